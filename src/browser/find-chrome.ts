// Find a Chrome or Chromium already on the machine. wp401 never downloads a
// browser: the environment variables win, then the usual install places of
// each platform, then puppeteer's cache if someone installed one there.

import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ChromeFound {
  path: string;
  /** where it was found: "CHROME_PATH", "system", "puppeteer cache"… */
  source: string;
}

/** No usable browser: the CLI turns this into exit code 2. */
export class BrowserNotFound extends Error {
  override readonly name = 'BrowserNotFound';
  readonly code = 'browser-not-found';
  constructor(detail?: string) {
    super(
      [
        'No Chrome or Chromium found for the browser checks.',
        detail,
        'Install one (Debian/Ubuntu: apt-get install chromium-headless-shell, or chromium; macOS: install Google Chrome) or set CHROME_PATH to its executable; --no-browser skips these checks.',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
}

export interface FindChromeProbe {
  platform?: NodeJS.Platform;
  home?: string;
  isExecutable?: (path: string) => boolean;
  /** sub-folders of a folder, newest first is not required */
  listDir?: (path: string) => string[];
}

// Debian's chromium-headless-shell comes first: the same engine and network
// stack as Chromium (Blink, V8, the cookie store) without the browser's own
// layer, which a headless scan never shows. It needs a third of the CPU of
// the full browser in headless mode to start and load the same pages, on
// machines where Chromium shares the cores with the site being diagnosed.
// The real binary, not /usr/bin/chromium-headless-shell: that wrapper runs it
// as a child without exec, so a kill of the wrapper would orphan Chromium.
const LINUX = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/opt/google/chrome/chrome',
];

const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
];

/** Chromium's headless shell (Debian's chromium-headless-shell, Chrome for Testing's chrome-headless-shell): puppeteer starts it in its 'shell' mode. */
export function isHeadlessShell(path: string): boolean {
  return /(?:^|[\\/])(?:chrome|chromium)-headless-shell(?:\.exe)?$/i.test(path);
}

function defaultIsExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function defaultListDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** The places to look, in order, for a platform. Pure: exported for tests. */
export function chromeCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): ChromeFound[] {
  const out: ChromeFound[] = [];
  if (platform === 'darwin') {
    for (const app of MAC_APPS) {
      out.push({ path: join('/Applications', app), source: 'system' });
      out.push({ path: join(home, 'Applications', app), source: 'system' });
    }
  } else if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    for (const root of roots) {
      out.push({ path: `${root}\\Google\\Chrome\\Application\\chrome.exe`, source: 'system' });
      out.push({ path: `${root}\\Chromium\\Application\\chrome.exe`, source: 'system' });
    }
  } else {
    for (const p of LINUX) out.push({ path: p, source: 'system' });
  }
  return out;
}

function puppeteerCache(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string, listDir: (p: string) => string[]): ChromeFound[] {
  const cache = env.PUPPETEER_CACHE_DIR || join(home, '.cache', 'puppeteer');
  const out: ChromeFound[] = [];
  // The headless shell first (see LINUX), then Chrome for Testing. Folder
  // names are "<platform>-<version>"; try the highest version first.
  for (const [product, exeName] of [
    ['chrome-headless-shell', 'chrome-headless-shell'],
    ['chrome', 'chrome'],
  ] as const) {
    const root = join(cache, product);
    const versions = listDir(root).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    for (const v of versions) {
      for (const sub of listDir(join(root, v))) {
        if (!sub.startsWith(`${product}-`)) continue;
        const exe =
          platform === 'win32'
            ? join(root, v, sub, `${exeName}.exe`)
            : platform === 'darwin' && product === 'chrome'
              ? join(root, v, sub, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing')
              : join(root, v, sub, exeName);
        out.push({ path: exe, source: 'puppeteer cache' });
      }
    }
  }
  return out;
}

/** The first usable browser, or null. */
export function findChrome(env: NodeJS.ProcessEnv = process.env, probe: FindChromeProbe = {}): ChromeFound | null {
  const platform = probe.platform ?? process.platform;
  const home = probe.home ?? homedir();
  const isExecutable = probe.isExecutable ?? defaultIsExecutable;
  const listDir = probe.listDir ?? defaultListDir;
  const fromEnv: ChromeFound[] = [];
  for (const name of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const v = env[name];
    if (v) fromEnv.push({ path: v, source: name });
  }
  for (const c of [...fromEnv, ...chromeCandidates(env, platform, home), ...puppeteerCache(env, platform, home, listDir)]) {
    if (isExecutable(c.path)) return c;
  }
  return null;
}

/** Like findChrome, but throws BrowserNotFound (saying what was wrong with CHROME_PATH, if set). */
export function requireChrome(env: NodeJS.ProcessEnv = process.env, probe: FindChromeProbe = {}): ChromeFound {
  const found = findChrome(env, probe);
  const isExecutable = probe.isExecutable ?? defaultIsExecutable;
  for (const name of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const v = env[name];
    if (v && !isExecutable(v)) throw new BrowserNotFound(`${name} is set to "${v}", which is not an executable file.`);
  }
  if (!found) throw new BrowserNotFound();
  return found;
}
