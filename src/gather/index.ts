// The gather stage: all I/O of a scan. It returns plain observations; every
// failure of a stage is recorded as data, never thrown — except the two that
// end a scan before it starts: an unreachable target and one that is not
// WordPress (exit code 3).
import { createTimeline, type Timeline } from './timeline.js';
import { DEFAULTS } from '../config/options.js';
import type { Engine } from '../http/index.js';
import type { Probe } from '../model.js';
import type { ClockObservation, Observations } from '../observations/index.js';
import { abandonBrowser, type BrowserStart, runBrowser, runCookieProbes, startBrowser } from './browser.js';
import { type CookieHandover, handOverCookies } from '../browser/handover.js';
import { crawlSite } from './crawl.js';
import { attachLedger, BRIDGE_SOURCE, bridgeClockSettled, type BridgeStage, checkBridgeFiles, readBridge } from './bridge.js';
import { type GatherContext, IsolationUnavailable, TargetError } from './context.js';
import { bridgeStatusOf } from '../facts/bridge-status.js';
import { coreProbeCount, credentialSets, runCoreProbes } from './core.js';
import { runCredentialProbes, runProfileProbe } from './credentials.js';
import { runOriginProbes } from './origin.js';
import { DISCOVERY_PATHS, judgeDiscovery } from './discover.js';
import { httpLogin } from './login.js';
import { advertisedRestRoot, checkRestNonce, idleMs, NONCE_CHECK_REQUESTS, type NonceSleep } from './nonce.js';

/** Pages the crawler samples at the default request budget. */
export const CRAWL_PAGES = 40;
/** Requests kept back from the crawl for the bridge's ledger read at the end (and one clock correction). */
const LEDGER_CALLS = 2;

function clockFrom(probes: Probe[]): ClockObservation | null {
  for (const p of probes) {
    const date = p.headers.date?.[0];
    if (!date) continue;
    const serverMs = Date.parse(date);
    if (Number.isNaN(serverMs)) continue;
    const localMs = Date.parse(p.startedAt) + p.durationMs / 2;
    return { localMs, serverMs, skewMs: serverMs - localMs };
  }
  return null;
}

/** One line for a request that failed before or instead of an answer. */
function explainFailure(err: { code: string; message: string } | undefined): string {
  if (!err) return 'no answer';
  switch (err.code) {
    case 'tls-error':
      return `${err.message} (a staging certificate from an internal CA? --ca <file> trusts that CA; --insecure accepts any certificate)`;
    case 'invalid-response':
      return `the server answered with a malformed HTTP response (${err.message})`;
    case 'too-many-redirects':
    case 'redirect-loop':
      return `${err.message} (a redirect loop: check the site address in Settings → General, FORCE_SSL_ADMIN and proxy headers)`;
    default:
      return err.message;
  }
}

/** What was gathered before an interrupt: the result will be marked incomplete. */
function partial(ctx: GatherContext, engine: Engine, startedAt: string, discovery: Observations['discovery'], errors: Observations['errors'], timeline: Timeline): Observations {
  return {
    schemaVersion: 1,
    target: ctx.options.url,
    origin: ctx.options.origin,
    startedAt,
    credentials: { user: !!ctx.options.user, password: !!ctx.secrets.password, appPassword: !!ctx.secrets.appPassword, siteBasic: !!ctx.secrets.httpUser, bridgeKey: !!ctx.secrets.bridgeKey },
    discovery,
    probes: engine.probes(),
    notes: engine.notes() as unknown as Observations['notes'],
    clock: null,
    login: null,
    crawl: null,
    browser: null,
    screenshots: [],
    bridge: null,
    experiments: [],
    // A time budget (AbortSignal.timeout) is reported by the scan that set it.
    errors: (ctx.signal?.reason as { name?: string } | undefined)?.name === 'TimeoutError' ? errors : [...errors, { stage: 'interrupted', message: 'the scan was interrupted before it finished' }],
    incomplete: true,
    timings: timeline.entries(),
    concurrency: engine.concurrency(),
  };
}

export async function gather(ctx: GatherContext, engine: Engine, bridgeStage: BridgeStage | null = null, timeline: Timeline = createTimeline()): Promise<Observations> {
  const { options, secrets } = ctx;
  const base = options.url;
  const startedAt = new Date().toISOString();
  const sets = credentialSets(options.user, secrets);
  const site = sets.find((s) => s.auth === 'basic-site');
  const errors: Observations['errors'] = [];
  const canLogin = Boolean(options.user && secrets.password);
  // A scan that will log in in the browser starts Chromium now, while discovery waits on the network.
  const browserStart = canLogin && options.browser ? startBrowser(ctx, base, site?.basic) : null;

  ctx.progress?.stage('discover');
  const discoveryJobs = DISCOVERY_PATHS.map((p) => engine.probe({ source: 'discover', url: new URL(p, base).toString(), useJar: false }));
  if (site?.basic) {
    for (const p of DISCOVERY_PATHS) {
      discoveryJobs.push(engine.probe({ source: 'discover', url: new URL(p, base).toString(), auth: 'basic-site', credentials: { basic: site.basic }, useJar: false }));
    }
  }
  const discoveryProbes = await timeline.time('discover', () => Promise.all(discoveryJobs));
  const discovery = judgeDiscovery(discoveryProbes);
  if (ctx.signal?.aborted || !discovery.reachable || discovery.wordpress === 'no') await abandonBrowser(browserStart);
  if (ctx.signal?.aborted) return partial(ctx, engine, startedAt, discovery, errors, timeline);
  if (!discovery.reachable) {
    const err = discoveryProbes[0]?.error;
    const what = err?.code === 'invalid-response' ? `no usable answer from ${base}` : `cannot reach ${base}`;
    throw new TargetError('unreachable', `${what}: ${explainFailure(err)}`);
  }
  if (discovery.wordpress === 'no') {
    const home = discoveryProbes[0];
    const why = discoveryProbes.every((p) => p.error)
      ? `every request ended in an error: ${explainFailure(home?.error)}`
      : `home answered ${home?.status ?? 0}; no REST index, login page or WordPress marks`;
    throw new TargetError('not-wordpress', `${base} does not look like WordPress (${why})`);
  }

  // The bridge: its environment report, its clock, and (no door answered)
  // whether its files are there. Every probe is signed from the start
  // (discovery's too) with this machine's clock, which the bridge takes within
  // its window (±300 s, PROTOCOL.md "Clock"); the clock call only corrects
  // signatures when the two clocks differ by more than the client's margin
  // (BridgeClient.syncClock). So when discovery's Date headers put the
  // server's clock well inside that margin, no probe waits for the bridge: it
  // is read beside the lines below, like any other work. Read first, before
  // any other probe, when the clock may be off (or no Date header says) and
  // with --isolate, which stops at once when the bridge cannot take the key.
  let bridge: Observations['bridge'] = null;
  const discoveryClock = clockFrom(discoveryProbes);
  const readBridgeStage = async (): Promise<Observations['bridge']> => {
    if (!bridgeStage) return null;
    ctx.progress?.stage('bridge');
    bridgeStage.use(engine);
    const read = await timeline.time('bridge', () => readBridge(bridgeStage));
    if (read.status === 'not-installed') read.files = await checkBridgeFiles(engine, base, site?.basic);
    return read;
  };
  const bridgeBeside = bridgeStage !== null && !options.isolate && bridgeClockSettled(discoveryClock);
  const bridgeDone: Promise<Observations['bridge']> = bridgeBeside ? readBridgeStage() : Promise.resolve(null);
  if (bridgeStage && !bridgeBeside) {
    bridge = await readBridgeStage();
    // --isolate cannot do anything without a bridge that takes the key: say so at once, not after the whole scan.
    const status = bridgeStatusOf({ bridge, credentials: { bridgeKey: true } });
    if (options.isolate && bridge && (status.status === 'key-refused' || status.status === 'not-installed')) {
      // The scan ends here: the early Chromium (and the login page it loaded) goes with it.
      await abandonBrowser(browserStart);
      throw new IsolationUnavailable(status.message);
    }
  }

  // Independent lines of work share the engine's concurrency limit: the core
  // probes, the crawl, and the login — in Chromium (its own cookie store;
  // its cookies reach the engine's jar only when it is done) or over HTTP.
  // Only the login and the cookie probes use the jar,
  // so no anonymous probe ever carries a session. The crawl's budget leaves
  // room for the core probes and the login, so a small --max-requests still
  // covers what matters.
  const httpLoginPlanned = canLogin && !options.browser;
  const reserve = 23 + coreProbeCount(sets) * (options.origin ? 2 : 1) + (bridgeStage ? LEDGER_CALLS : 0) + (httpLoginPlanned ? NONCE_CHECK_REQUESTS : 0);
  const crawlPages = Math.max(0, Math.min(CRAWL_PAGES + Math.max(0, options.maxRequests - DEFAULTS.maxRequests), options.maxRequests - engine.requestsSent - reserve));

  const coreLine = (): Promise<void> =>
    timeline.time('core', async () => {
      ctx.progress?.stage('probe');
      const core = await runCoreProbes(engine, base, sets, discoveryProbes);
      // A refused application password: the cheapest probes that tell a wrong credential from a lost header.
      await runCredentialProbes(engine, base, sets, core);
      if (options.origin) await runOriginProbes(engine, options.origin, sets);
      ctx.progress?.count('requests', engine.requestsSent);
    });

  type LoginLine = { login: Observations['login']; browser: Observations['browser']; screenshots: Observations['screenshots'] };
  const noLogin = (): LoginLine => ({ login: null, browser: null, screenshots: [] });
  let browserClosed: Promise<void> = Promise.resolve();
  /** the cookie probes started by the browser's login (true once they ran) */
  let earlyCookieProbes: Promise<boolean> = Promise.resolve(false);
  const browserLine = async (): Promise<LoginLine> => {
    const out = noLogin();
    ctx.progress?.stage('browser');
    // Until the browser's chain is down to its nonce's wait (the dashboard's
    // nonce has had its first REST answer, or the session is over), probes
    // keep one request in flight and leave the rest of the concurrency limit
    // to the browser. That chain — the login page, the form's submission, the
    // dashboard it lands on, then the REST nonce that must age from its first
    // answer — is the longest of a browser scan, one step after another,
    // while the core probes and the crawl have slack: their answers are not
    // needed before the browser is done. Both load the same server (and, on a
    // local site, the same cores). At the full limit every step of the login
    // waited behind crawl requests (healthy: 4.5 s → 3.9 s at half the
    // limit); at one in flight the chain is shorter still, and the crawl still
    // ends inside it (interleaved runs, medians of five: modsec-crs-wordpress
    // 3.18 → 2.98 s, healthy 2.78 → 2.66 s, healthy-wp65 2.82 → 2.70 s; five
    // other scenarios within 0.04 s).
    let settled: () => void = () => {};
    const loginSettled = new Promise<void>((r) => {
      settled = r;
    });
    engine.reserve(options.concurrency - 1, loginSettled);
    // The login's cookies over plain HTTP as soon as the login succeeded,
    // beside the browser's crawl and its nonce's wait.
    const onLoggedIn = (cookies: CookieHandover): void => {
      earlyCookieProbes = handOverCookies(engine, cookies, base).then(
        () => timeline.time('cookie-probes', () => runCookieProbes(engine, base)).then(() => true),
        () => false,
      );
    };
    const b = await timeline.time('browser', () => runBrowser(engine, browserStart as BrowserStart, { onLoggedIn, onNonceSent: settled })).finally(settled);
    // Chromium exits beside the rest of the scan where the caller awaits it.
    if (ctx.background) ctx.background(b.closed);
    else browserClosed = b.closed;
    out.browser = b.observations;
    out.screenshots = b.screenshots;
    if (b.error) errors.push({ stage: 'browser', message: b.error });
    return out;
  };

  // The nonce check's sleeps, placed on the timeline: the crawl and the core probes usually fill them.
  let nonceSleeps: NonceSleep[] = [];
  const httpLoginLine = async (): Promise<LoginLine> => {
    const out = noLogin();
    // Beside the core probes, as the browser's login is: it needs none of
    // their answers, and its REST nonce must then age (about a second) — the
    // longest chain of a --no-browser scan, which the crawl fills.
    if (ctx.signal?.aborted) return out;
    ctx.progress?.stage('login');
    try {
      out.login = (await timeline.time('login', () => httpLogin(engine, base, options.user as string, secrets.password as string, site?.basic))).attempt;
    } catch (err) {
      errors.push({ stage: 'login', message: engine.redactor.scrub(err instanceof Error ? err.message : String(err)) });
    }
    // Logged in: the REST nonce fresh and aged, the check a browser makes (src/gather/nonce.ts).
    const login = out.login;
    if (login?.outcome === 'success' && !ctx.signal?.aborted) {
      try {
        const { check, sleeps } = await timeline.time('rest-nonce', () =>
          checkRestNonce(engine, { base, restRoot: advertisedRestRoot(discoveryProbes, base), basic: site?.basic, signal: ctx.signal, now: timeline.elapsed }),
        );
        login.restNonce = check;
        nonceSleeps = sleeps;
      } catch (err) {
        errors.push({ stage: 'rest-nonce', message: engine.redactor.scrub(err instanceof Error ? err.message : String(err)) });
      }
    }
    return out;
  };

  let crawlEndMs = 0;
  const crawlLine = async (): Promise<Observations['crawl']> => {
    try {
      // A sample is enough for the zone map; --max-requests raises the ceiling for big crawls.
      return await timeline.time('crawl', () =>
        crawlSite(engine, base, discovery, {
          maxPages: crawlPages,
          workers: Math.max(8, options.concurrency * 2),
          credentials: site?.basic ? { basic: site.basic } : undefined,
        }),
      );
    } catch (err) {
      errors.push({ stage: 'crawl', message: engine.redactor.scrub(err instanceof Error ? err.message : String(err)) });
      return null;
    } finally {
      crawlEndMs = timeline.elapsed();
      ctx.progress?.count('requests', engine.requestsSent);
    }
  };

  // The login line first: its requests are the scan's longest chain, and the
  // core probes started first would take every place for their first round.
  const loginDone: Promise<LoginLine> = !canLogin
    ? Promise.resolve(noLogin())
    : options.browser
      ? browserLine()
      : httpLoginLine();
  let coreEndMs = 0;
  const coreDone = coreLine().finally(() => {
    coreEndMs = timeline.elapsed();
  });
  const [, { login, browser, screenshots }, crawl, bridgeBesideRead] = await Promise.all([coreDone, loginDone, crawlLine(), bridgeDone]);
  if (bridgeBeside) bridge = bridgeBesideRead;
  // How much of the nonce's wait no other work filled: the part after the core probes and the crawl ended.
  if (login?.restNonce?.wait) login.restNonce.wait.idleMs = idleMs(nonceSleeps, Math.max(coreEndMs, crawlEndMs));
  // Authenticated HTTP probes with the browser's cookies: no second login.
  // Chromium exits meanwhile.
  // (without a successful login, with whatever cookies the browser ended with)
  if (canLogin && options.browser && !(await earlyCookieProbes)) await timeline.time('cookie-probes', () => runCookieProbes(engine, base));
  await browserClosed;
  // Logged in, and REST does not offer application passwords: the profile page says whether core or a filter turned them off.
  if (canLogin && (login?.outcome === 'success' || browser?.login.outcome === 'success')) await runProfileProbe(engine, base);

  // Calls to the bridge itself are requests like any other (budget, record, HAR), kept apart from the site's probes.
  const probes = engine.probes().filter((p) => p.source !== BRIDGE_SOURCE);
  if (bridgeStage && bridge) {
    ctx.progress?.stage('ledger');
    await timeline.time('ledger', () => attachLedger(bridgeStage, probes, bridge));
    bridge.calls = engine.probes().filter((p) => p.source === BRIDGE_SOURCE);
  }
  return {
    schemaVersion: 1,
    target: base,
    origin: options.origin,
    startedAt,
    credentials: {
      user: !!options.user,
      password: !!secrets.password,
      appPassword: !!secrets.appPassword,
      siteBasic: !!site,
      bridgeKey: !!secrets.bridgeKey,
    },
    discovery,
    probes,
    notes: engine.notes() as unknown as Observations['notes'],
    clock: clockFrom(probes),
    login,
    crawl,
    browser,
    screenshots,
    bridge,
    experiments: [],
    errors,
    timings: timeline.entries(),
    concurrency: engine.concurrency(),
  };
}

export { type GatherContext, IsolationUnavailable, TargetError } from './context.js';
export { createBridge, createScanEngine } from './engine.js';
