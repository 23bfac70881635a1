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
        'Install one (Debian/Ubuntu: apt-get install chromium; macOS: install Google Chrome) or set CHROME_PATH to its executable; --no-browser skips these checks.',
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

const LINUX = [
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
  const root = join(env.PUPPETEER_CACHE_DIR || join(home, '.cache', 'puppeteer'), 'chrome');
  const out: ChromeFound[] = [];
  // Folder names are "<platform>-<version>"; try the highest version first.
  const versions = listDir(root).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const v of versions) {
    for (const sub of listDir(join(root, v))) {
      if (!sub.startsWith('chrome-')) continue;
      const exe =
        platform === 'win32'
          ? join(root, v, sub, 'chrome.exe')
          : platform === 'darwin'
            ? join(root, v, sub, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing')
            : join(root, v, sub, 'chrome');
      out.push({ path: exe, source: 'puppeteer cache' });
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
