// scan(): gather → observations → rules → findings → (isolate) → result.
import { BrowserNotFound } from './browser/find-chrome.js';
import { type ScanOptions, UsageError } from './config/options.js';
import type { Secrets } from './config/secrets.js';
import { createBridge, createScanEngine, gather, type GatherContext, IsolationUnavailable } from './gather/index.js';
import { WP401_VERSION } from './http/index.js';
import type { Finding, ScanResult, Verdict, Zone } from './model.js';
import type { Observations } from './observations/index.js';
import type { NonceWait, ScanTimings } from './observations/timings.js';
import { createTimeline } from './gather/timeline.js';
import { buildZones, markExpectedZones } from './facts/zones.js';
import { judgeFindings } from './rules/index.js';
import { parseBridgeObservation } from './bridge/parse.js';
import { BRIDGE_SOURCE } from './gather/bridge.js';
import { runIsolation } from './gather/isolation.js';
import { credentialSets } from './gather/core.js';
import { bridgeStatusOf } from './facts/bridge-status.js';

/**
 * A scan that stopped because of how it was asked to run, not because of the
 * site or of wp401: an option (a password missing, a conflict), no browser to
 * log in with, `--isolate` without a working companion plugin. `wp401 scan`
 * exits 2 for these, and `scan-many` gives the site the same code.
 */
export function isConfigurationError(err: unknown): boolean {
  return err instanceof UsageError || err instanceof BrowserNotFound || err instanceof IsolationUnavailable;
}

export interface ScanHooks {
  progress?: GatherContext['progress'];
  signal?: AbortSignal;
}

const LAYER_WORDS: Record<Finding['layer'], string> = {
  browser: 'the browser',
  network: 'the network',
  edge: 'a proxy or CDN in front of the site',
  server: 'the web server',
  wordpress: 'WordPress itself',
  plugin: 'a plugin',
};

/** One sentence for the whole scan; an interrupted scan says so first. */
export function verdictOf(findings: Finding[], interrupted = false): Verdict {
  const verdict = completeVerdictOf(findings);
  if (!interrupted) return verdict;
  return {
    status: verdict.status,
    summary:
      verdict.status === 'ok'
        ? 'Interrupted before the scan finished: no problem found in what was checked so far.'
        : `Interrupted before the scan finished. So far: ${verdict.summary}`,
  };
}

function completeVerdictOf(findings: Finding[]): Verdict {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) {
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    return {
      status: 'ok',
      summary:
        warnings > 0
          ? `No authentication problem found; ${warnings} thing${warnings > 1 ? 's' : ''} worth a look.`
          : 'No authentication problem found: logins and authenticated requests reach WordPress as they should.',
    };
  }
  const first = errors[0] as Finding;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return { status: 'problems', summary: `${first.title} — the request is stopped by ${LAYER_WORDS[first.layer]}${more}.` };
}

/** Re-judges saved observations: the rules stage and the result, no I/O. */
export function judge(saved: Observations, startedMs = Date.parse(saved.startedAt)): ScanResult {
  // A saved file is where bridge data enters again: typed by the same parser as a live answer.
  const obs: Observations = { ...saved, bridge: parseBridgeObservation(saved.bridge) };
  // Isolation experiments (when there are any) confirm or hand over the findings the rules made.
  const findings = judgeFindings(obs);
  const interrupted = obs.errors.some((e) => e.stage === 'interrupted');
  const zones: Zone[] = markExpectedZones(buildZones(obs.probes, obs.target), obs.probes, findings);
  return {
    schemaVersion: 1,
    tool: { name: 'wp401', version: WP401_VERSION },
    target: obs.target,
    startedAt: obs.startedAt,
    durationMs: Math.max(0, Date.now() - startedMs),
    verdict: budgetVerdict(verdictOf(findings, interrupted), obs),
    findings,
    zones,
    probes: [...obs.probes, ...(obs.bridge?.calls ?? [])],
    experiments: obs.experiments,
    ...(obs.incomplete ? { incomplete: true } : {}),
    environment: environmentOf(obs),
    ...(obs.screenshots?.length ? { screenshots: obs.screenshots.map((s) => ({ url: s.url, file: s.file })) } : {}),
    ...(obs.timings ? { timings: timingsOf(obs, startedMs) } : {}),
  };
}

/** What the bridge reported, with its status for this scan on top (environment.bridge.status): present whether or not it answered. */
function environmentOf(obs: Observations): Record<string, unknown> {
  const env = (obs.bridge?.environment as unknown as Record<string, unknown> | undefined) ?? {};
  const own = (env.bridge as Record<string, unknown> | undefined) ?? {};
  return { ...env, bridge: { ...own, ...bridgeStatusOf(obs) } };
}

/** A scan stopped by its time budget says so first: what follows covers only what was checked. */
function budgetVerdict(v: Verdict, obs: Observations): Verdict {
  if (!obs.errors.some((e) => e.stage === 'time-budget')) return v;
  const budget = obs.budgetMs ? `${obs.budgetMs / 1000} s ` : '';
  return {
    status: v.status,
    summary:
      v.status === 'ok'
        ? `The time budget (${budget.trim() || 'set'}) ran out before the scan finished: no problem found in what was checked so far.`
        : `The time budget ${budget}ran out before the scan finished. So far: ${v.summary}`,
  };
}

/** The waits for a nonce to age: the browser's, or the HTTP login line's (only the part no other work filled counts as waited). */
function nonceWaits(obs: Observations): Pick<ScanTimings, 'waits'> {
  const waits: NonceWait[] = [];
  const b = obs.browser?.timings.nonceAge;
  if (b) waits.push({ reason: 'nonce-age', by: 'browser', ...b });
  const h = obs.login?.restNonce?.wait;
  if (h) waits.push({ reason: 'nonce-age', by: 'http', minAgeMs: h.minAgeMs, waitedMs: h.idleMs });
  return waits.length ? { waits } : {};
}

function timingsOf(obs: Observations, startedMs: number): ScanTimings {
  const budget = obs.errors.find((e) => e.stage === 'time-budget');
  return {
    totalMs: Math.max(0, Date.now() - startedMs),
    stages: obs.timings ?? [],
    ...(obs.concurrency ? { concurrency: obs.concurrency } : {}),
    ...nonceWaits(obs),
    ...(obs.budgetMs ? { budgetMs: obs.budgetMs, budgetExhausted: budget !== undefined } : {}),
  };
}

export async function scan(options: ScanOptions, secrets: Secrets, hooks: ScanHooks = {}): Promise<{ result: ScanResult; observations: Observations }> {
  const started = Date.now();
  // The time budget ends gathering like an interrupt does, but the scan then
  // judges what it has: the result is marked incomplete, not abandoned.
  const budget = AbortSignal.timeout(options.timeBudgetMs);
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, budget]) : budget;
  // Work gathering leaves running (Chromium's exit) ends before the scan returns.
  const background: Promise<void>[] = [];
  const ctx: GatherContext = { options, secrets, progress: hooks.progress, signal, background: (work) => void background.push(work.catch(() => undefined)) };
  const timeline = createTimeline();
  const outOfTime = (obs: Observations): void => {
    if (!budget.aborted || hooks.signal?.aborted || obs.errors.some((e) => e.stage === 'time-budget')) return;
    obs.incomplete = true;
    obs.errors.push({ stage: 'time-budget', message: `the time budget of ${options.timeBudgetMs / 1000} s ran out: the scan stopped gathering and judged what it had (--time-budget raises it)` });
  };
  const bridge = createBridge(ctx);
  const engine = createScanEngine(ctx, bridge);
  try {
    const observations = await gather(ctx, engine, bridge, timeline);
    observations.budgetMs = options.timeBudgetMs;
    outOfTime(observations);
    if (options.isolate && bridge && observations.bridge?.status === 'ok' && !signal.aborted) {
      hooks.progress?.stage('isolate');
      // Its own engine: the crawl may have spent the scan's request budget; replays are bounded by the search.
      const replayEngine = createScanEngine(ctx, bridge, 'r');
      bridge.use(replayEngine);
      try {
        const sets = credentialSets(options.user, secrets);
        observations.experiments = await timeline.time('isolate', () =>
          runIsolation(observations, {
            engine: replayEngine,
            bridge,
            credentialsFor: (auth) => {
              if (auth === 'none') return undefined;
              const set = sets.find((s) => s.auth === auth);
              return set?.basic ? { basic: set.basic } : null;
            },
          }),
        );
      } catch (err) {
        observations.errors.push({ stage: 'isolate', message: replayEngine.redactor.scrub(err instanceof Error ? err.message : String(err)) });
      } finally {
        observations.bridge.calls = [...(observations.bridge.calls ?? []), ...replayEngine.probes().filter((p) => p.source === BRIDGE_SOURCE)];
        await replayEngine.close();
      }
      observations.timings = timeline.entries();
      outOfTime(observations);
    }
    if (hooks.signal?.aborted && !observations.errors.some((e) => e.stage === 'interrupted')) {
      observations.incomplete = true;
      observations.errors.push({ stage: 'interrupted', message: 'the scan was interrupted before it finished' });
    }
    // One judgement, from one observation set: gathering and isolation are done.
    hooks.progress?.stage('judge');
    const result = judge(observations, started);
    return { result, observations };
  } finally {
    await Promise.all([engine.close(), ...background]);
  }
}
