// One browser per scan, in a fresh temporary profile, launched with flags that
// work on a closed network. Whatever happens (success, error, abort, Ctrl-C)
// the browser is closed and its profile folder removed.

import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { type ChromeFound, isHeadlessShell, requireChrome } from './find-chrome.js';

export interface LaunchOptions {
  /** the Chrome to use; default requireChrome() */
  executablePath?: string;
  /** accept certificates that do not verify */
  insecure?: boolean;
  /** base64 SHA-256 SPKI hashes of server keys to accept (verified by the scan against --ca / NODE_EXTRA_CA_CERTS) */
  trustedServerKeys?: string[];
  /** resolve no host name but 127.0.0.1 (for a loopback target on a closed network) */
  blockOtherHosts?: boolean;
  /** browser start-up limit; default 30000 */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
}

export interface LaunchedBrowser {
  browser: Browser;
  chrome: ChromeFound;
  profileDir: string;
  args: string[];
  launchMs: number;
  /** close the browser (kill it if it does not answer) and remove the profile; safe to call twice */
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 and localhost names. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Chrome's command line for a scan. Pure: exported for tests. */
export function chromeArgs(opts: { insecure?: boolean; blockOtherHosts?: boolean; root?: boolean; trustedServerKeys?: string[] }): string[] {
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
    '--disable-default-apps',
    '--disable-extensions',
    '--password-store=basic',
    '--use-mock-keychain',
  ];
  if (opts.root ?? runningAsRoot()) args.push('--no-sandbox');
  if (opts.blockOtherHosts) args.push('--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1');
  if (opts.insecure) args.push('--ignore-certificate-errors');
  // Chromium has no flag for an extra CA: it is told the server keys the scan
  // itself verified against that CA (Chromium honours this only with its own
  // --user-data-dir, which every scan has).
  const keys = (opts.trustedServerKeys ?? []).filter((k) => /^[A-Za-z0-9+/]{43}=$/.test(k));
  if (!opts.insecure && keys.length) args.push(`--ignore-certificate-errors-spki-list=${keys.join(',')}`);
  return args;
}

// Browsers open right now, for the signal handlers and the exit hook.
const open = new Set<LaunchedBrowser>();
let handlersOn = false;

function onSignal(signal: NodeJS.Signals): void {
  removeHandlers();
  const all = [...open];
  const done = Promise.allSettled(all.map((b) => b.close()));
  const deadline = new Promise((resolve) => setTimeout(resolve, 8000).unref());
  void Promise.race([done, deadline]).then(() => {
    // Let the signal do what it would have done without us — unless the CLI
    // listens for it itself (it then writes a partial report and exits).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

// Last resort when the process exits with a browser still open (e.g. the
// caller called process.exit()): kill it and remove the profile, synchronously.
function onExit(): void {
  for (const b of open) {
    try {
      b.browser.process()?.kill('SIGKILL');
    } catch {
      // already gone
    }
    try {
      rmSync(b.profileDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // nothing more can be done while exiting
    }
  }
}

function addHandlers(): void {
  if (handlersOn) return;
  handlersOn = true;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', onExit);
}

function removeHandlers(): void {
  if (!handlersOn) return;
  handlersOn = false;
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('exit', onExit);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForExit(b: Browser, ms: number): Promise<boolean> {
  const proc = b.process();
  if (!proc) return true;
  const end = Date.now() + ms;
  while (proc.exitCode === null && proc.signalCode === null) {
    if (Date.now() > end) return false;
    await sleep(25);
  }
  return true;
}

/**
 * A Chromium started before any scan asked for one (prelaunchBrowser): the
 * next launchBrowser whose executable and command line are the same takes it.
 */
let spare: { key: string; launched: Promise<LaunchedBrowser> } | null = null;

/** What makes two launches the same browser: the executable, its command line, and puppeteer's limits (protocolTimeout follows timeoutMs). */
const launchKey = (path: string, args: readonly string[], opts: LaunchOptions): string => JSON.stringify([path, opts.timeoutMs ?? 30000, ...args]);

function chromeFor(opts: LaunchOptions): ChromeFound {
  return opts.executablePath ? { path: opts.executablePath, source: 'option' } : requireChrome(opts.env);
}

function argsFor(opts: LaunchOptions): string[] {
  return chromeArgs({ insecure: opts.insecure, blockOtherHosts: opts.blockOtherHosts, trustedServerKeys: opts.trustedServerKeys });
}

/**
 * Start Chromium now for a launchBrowser that comes later with the same
 * options (the CLI, while the scan's own modules load: Chromium's start-up
 * is the first step of a browser scan's longest chain, and it needs nothing
 * the scan learns). A later launch with another executable or command line
 * does not take it: it is closed and a new one started, so a wrong guess
 * costs one start-up, never a browser with other flags. Whoever prelaunches
 * calls discardPrelaunched when done. No Chrome found: nothing is started
 * (the scan reports that itself).
 */
export function prelaunchBrowser(opts: LaunchOptions = {}): void {
  if (spare) return;
  let chrome: ChromeFound;
  try {
    chrome = chromeFor(opts);
  } catch {
    return;
  }
  const args = argsFor(opts);
  // Puppeteer makes the first tab's Page (a round of CDP calls to set it up)
  // on the first pages(); here that runs while the caller's modules load, and
  // the session's own pages() then finds it made.
  const launched = startChrome(opts, chrome, args).then(async (b) => {
    await b.browser.pages().catch(() => undefined);
    return b;
  });
  launched.catch(() => undefined);
  spare = { key: launchKey(chrome.path, args, opts), launched };
}

/** Close a prelaunched Chromium no launch took (and remove its profile); nothing when there is none. */
export async function discardPrelaunched(): Promise<void> {
  const s = spare;
  spare = null;
  if (s) await s.launched.then((b) => b.close(), () => undefined);
}

/** Start Chrome in a new temporary profile (or take the prelaunched one started with the same command line). The caller must close() it; prefer withBrowser. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const chrome = chromeFor(opts);
  const args = argsFor(opts);
  if (spare) {
    const s = spare;
    spare = null;
    if (s.key === launchKey(chrome.path, args, opts)) {
      try {
        const b = await s.launched;
        if (b.browser.connected) {
          opts.log?.(`browser: ${chrome.path} started in ${b.launchMs} ms (before the scan asked), profile ${b.profileDir}`);
          return b;
        }
        await b.close();
      } catch {
        // it failed to start: start one now, and let that one say why
      }
    } else void s.launched.then((b) => b.close(), () => undefined);
  }
  return startChrome(opts, chrome, args);
}

async function startChrome(opts: LaunchOptions, chrome: ChromeFound, args: string[]): Promise<LaunchedBrowser> {
  const profileDir = await mkdtemp(join(tmpdir(), 'wp401-chrome-'));
  const started = Date.now();
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chrome.path,
      userDataDir: profileDir,
      headless: isHeadlessShell(chrome.path) ? 'shell' : true,
      pipe: true,
      args,
      timeout: opts.timeoutMs ?? 30000,
      protocolTimeout: Math.max(30000, (opts.timeoutMs ?? 30000) * 2),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      acceptInsecureCerts: Boolean(opts.insecure),
      defaultViewport: { width: 1280, height: 900 },
    });
  } catch (err) {
    await rm(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    throw err;
  }
  const launchMs = Date.now() - started;
  opts.log?.(`browser: ${chrome.path} started in ${launchMs} ms, profile ${profileDir}`);
  let closing: Promise<void> | null = null;
  const launched: LaunchedBrowser = {
    browser,
    chrome,
    profileDir,
    args,
    launchMs,
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('close timed out')), 5000);
          });
          await Promise.race([browser.close(), late]);
        } catch {
          browser.process()?.kill('SIGKILL');
        } finally {
          clearTimeout(timer);
        }
        if (!(await waitForExit(browser, 3000))) browser.process()?.kill('SIGKILL');
        await waitForExit(browser, 2000);
        await rm(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
        open.delete(launched);
        if (open.size === 0) removeHandlers();
        opts.log?.('browser: closed, profile removed');
      })();
      return closing;
    },
  };
  open.add(launched);
  addHandlers();
  return launched;
}

/** Run fn with a fresh browser; the browser is closed and its profile removed afterwards, whatever happens. */
export async function withBrowser<T>(opts: LaunchOptions & { signal?: AbortSignal }, fn: (b: LaunchedBrowser) => Promise<T>): Promise<T> {
  opts.signal?.throwIfAborted();
  const b = await launchBrowser(opts);
  // An abort closes the browser at once; whatever fn is waiting for then fails fast.
  const onAbort = () => void b.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(b);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await b.close();
  }
}
