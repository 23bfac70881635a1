// The browser's part of the gather stage: one Chromium session that logs in
// like a person, then hands its cookies to the HTTP engine so authenticated
// probes run without a second login.
import { join } from 'node:path';
import { handOverCookies } from '../browser/handover.js';
import type { BrowserOptions } from '../browser/options.js';
import type { EarlyBrowser } from '../browser/session.js';
import type { BrowserObservations } from '../observations/browser.js';
import type { GatherContext } from './context.js';
import type { Engine } from '../http/index.js';
import { caTrust, envExtraCas, verifiedServerKey } from '../http/trust.js';
import { NONCE_MIN_AGE_MS, NONCE_TICK_AGE_MS } from './nonce.js';
import { DEFAULTS } from '../config/options.js';

export interface BrowserStageResult {
  observations: BrowserObservations | null;
  screenshots: { url: string; file: string; reason: string }[];
  error?: string;
  /** settles when Chromium has exited and its profile is gone (the scan goes on meanwhile) */
  closed: Promise<void>;
}

export const SCREENSHOTS_DIR = 'screenshots';

// puppeteer loads only when a scan uses the browser: --no-browser, --help
// and report start without it (it is most of the CLI's start-up time). A
// scan that will log in starts loading it at once, while discovery waits on
// the network, instead of after.
let sessionModule: Promise<typeof import('../browser/session.js')> | null = null;
export function preloadBrowser(): Promise<typeof import('../browser/session.js')> {
  sessionModule ??= import('../browser/session.js');
  return sessionModule;
}

/** The browser's limit for a scan's request timeout: a page with its scripts gets at least 20 s. */
export function browserTimeoutMs(scanTimeoutMs: number): number {
  return Math.max(scanTimeoutMs, 20000);
}

/**
 * Start Chromium for the scan a command line most likely runs
 * (prelaunchPlan), launched as that scan's session would launch it, before
 * the scan's own modules have loaded. The session takes it when its launch
 * is the same (src/browser/launch.ts); discardPrelaunch closes it otherwise.
 */
export async function prelaunchForScan(plan: { target: string; insecure: boolean; timeoutS: number | null }): Promise<void> {
  const [{ prelaunchBrowser }, { launchOptionsFor }, { requireChrome }] = await Promise.all([import('../browser/launch.js'), preloadBrowser(), import('../browser/find-chrome.js')]);
  let chromePath: string;
  try {
    new URL(plan.target);
    chromePath = requireChrome().path;
  } catch {
    return;
  }
  const timeoutMs = browserTimeoutMs(plan.timeoutS === null ? DEFAULTS.timeoutMs : plan.timeoutS * 1000);
  prelaunchBrowser(launchOptionsFor({ target: plan.target, insecure: plan.insecure, timeoutMs }, chromePath));
}

/** Close a prelaunched Chromium no scan took. */
export async function discardPrelaunch(): Promise<void> {
  const { discardPrelaunched } = await import('../browser/launch.js');
  await discardPrelaunched();
}

/** A browser session prepared before discovery ends: its options and, started at once, Chromium (its page, and the login page loading). */
export interface BrowserStart {
  opts: Promise<BrowserOptions>;
  launched: Promise<EarlyBrowser>;
}

async function browserOptions(ctx: GatherContext, base: string, basic?: { user: string; password: string }): Promise<BrowserOptions> {
  const { options, secrets } = ctx;
  const opts: BrowserOptions = {
    target: base,
    user: options.user,
    password: secrets.password,
    insecure: options.insecure,
    // the dashboard the login lands on and four more screens of its menu (the
    // menu's own index.php link is that dashboard, not a fifth)
    maxAdminPages: 5,
    timeoutMs: browserTimeoutMs(options.timeoutMs),
    screenshotsDir: join(options.outDir, SCREENSHOTS_DIR),
    nonceMinAgeMs: NONCE_MIN_AGE_MS,
    // a second when core echoes the nonce unchanged (the same check as the HTTP line's)
    nonceTickMs: NONCE_TICK_AGE_MS,
  };
  if (basic) opts.basic = basic;
  // An internal CA (--ca or NODE_EXTRA_CA_CERTS): Chromium accepts the server key
  // the scan verified against it — the same trust as the probes, no wider.
  if (!options.insecure && new URL(base).protocol === 'https:' && (options.ca || envExtraCas().length)) {
    const key = await verifiedServerKey(base, { ca: caTrust(options.ca), timeoutMs: options.timeoutMs });
    if (key) opts.trustedServerKeys = [key];
  }
  if (ctx.signal) opts.signal = ctx.signal;
  return opts;
}

/**
 * Start Chromium while discovery still waits on the network (a scan that will
 * log in in the browser): its start-up, and the login page's load after it
 * (launchEarly), then overlap the discovery requests instead of following
 * them. The caller hands the start to runBrowser — which posts the form —
 * only once the site is known to be WordPress, or abandons it.
 */
export function startBrowser(ctx: GatherContext, base: string, basic?: { user: string; password: string }): BrowserStart {
  const opts = browserOptions(ctx, base, basic);
  const launched = Promise.all([opts, preloadBrowser()]).then(([o, m]) => m.launchEarly(o));
  opts.catch(() => undefined);
  launched.catch(() => undefined);
  return { opts, launched };
}

/** Close an early Chromium no session took. */
export function abandonBrowser(start: BrowserStart | null): Promise<void> {
  return start ? start.launched.then((b) => b.close()).catch(() => undefined) : Promise.resolve();
}

/**
 * Run the browser session. `hooks.onLoggedIn` gets the cookies of a
 * successful login as soon as it succeeds (before the session's wp-admin
 * crawl and REST checks), to start the HTTP probes that use them;
 * `hooks.onNonceSent` says when the session's own chain is down to the
 * nonce's wait (BrowserOptions).
 */
export async function runBrowser(engine: Engine, start: BrowserStart, hooks: Pick<BrowserOptions, 'onLoggedIn' | 'onNonceSent'> = {}): Promise<BrowserStageResult> {
  const opts: BrowserOptions = { ...(await start.opts), ...hooks };
  const { gatherBrowser } = await preloadBrowser();
  const { observations, handover, closed } = await gatherBrowser(opts, start.launched);
  const screenshots = observations.screenshots.map((s) => ({ url: s.url, file: `${SCREENSHOTS_DIR}/${s.file}`, reason: s.reason }));
  const out: BrowserStageResult = { observations, screenshots, closed };
  try {
    await handOverCookies(engine, handover, opts.target);
  } catch (err) {
    return { observations, screenshots: [], closed, error: engine.redactor.scrub(`cookie hand-over failed: ${err instanceof Error ? err.message : String(err)}`) };
  }
  if (observations.error) out.error = engine.redactor.scrub(observations.error.message);
  return out;
}

/** What the browser's login cookies get over plain HTTP. */
export async function runCookieProbes(engine: Engine, base: string): Promise<void> {
  const paths = ['wp-admin/', 'wp-json/wp/v2/users/me'];
  await Promise.all(paths.map((p) => engine.probe({ source: 'cookie', url: new URL(p, base).toString(), auth: 'cookie', useJar: true })));
}
