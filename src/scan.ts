// scan(): gather → observations → rules → findings → (isolate) → result.
import type { ScanOptions } from './config/options.js';
import type { Secrets } from './config/secrets.js';
import { createBridge, createScanEngine, gather, type GatherContext } from './gather/index.js';
import { WP401_VERSION } from './http/index.js';
import type { Finding, ScanResult, Verdict, Zone } from './model.js';
import type { Observations } from './observations/index.js';
import { buildZones } from './facts/zones.js';
import { RULES, runRules, sortFindings } from './rules/index.js';
import { applyIsolation } from './isolate/index.js';
import { runIsolation } from './gather/isolation.js';
import { credentialSets } from './gather/core.js';

export interface ScanHooks {
  log?: GatherContext['log'];
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

export function verdictOf(findings: Finding[]): Verdict {
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
export function judge(obs: Observations, startedMs = Date.parse(obs.startedAt)): ScanResult {
  // Isolation experiments (when there are any) confirm or hand over the findings the rules made.
  const findings = obs.experiments.length ? sortFindings(applyIsolation(runRules(RULES, obs), obs)) : runRules(RULES, obs);
  const zones: Zone[] = buildZones(obs.probes, obs.target);
  return {
    schemaVersion: 1,
    tool: { name: 'wp401', version: WP401_VERSION },
    target: obs.target,
    startedAt: obs.startedAt,
    durationMs: Math.max(0, Date.now() - startedMs),
    verdict: verdictOf(findings),
    findings,
    zones,
    probes: obs.probes,
    experiments: obs.experiments,
    ...(obs.incomplete ? { incomplete: true } : {}),
    environment: (obs.bridge?.environment as Record<string, unknown> | undefined) ?? null,
    ...(obs.screenshots?.length ? { screenshots: obs.screenshots.map((s) => ({ url: s.url, file: s.file })) } : {}),
  };
}

export async function scan(options: ScanOptions, secrets: Secrets, hooks: ScanHooks = {}): Promise<{ result: ScanResult; observations: Observations }> {
  const started = Date.now();
  const ctx: GatherContext = { options, secrets, log: hooks.log, progress: hooks.progress, signal: hooks.signal };
  const bridge = createBridge(ctx);
  const engine = createScanEngine(ctx, bridge);
  try {
    const observations = await gather(ctx, engine, bridge);
    hooks.progress?.stage('judge');
    let result = judge(observations, started);
    if (options.isolate && bridge && observations.bridge?.status === 'ok') {
      hooks.progress?.stage('isolate');
      // Its own engine: the crawl may have spent the scan's request budget; replays are bounded by the search.
      const replayEngine = createScanEngine(ctx, bridge, 'r');
      try {
        const sets = credentialSets(options.user, secrets);
        const run = await runIsolation(result.findings, observations, {
          engine: replayEngine,
          bridge,
          credentialsFor: (auth) => {
            if (auth === 'none') return undefined;
            const set = sets.find((s) => s.auth === auth);
            return set?.basic ? { basic: set.basic } : null;
          },
        });
        observations.experiments = run.experiments;
      } catch (err) {
        observations.errors.push({ stage: 'isolate', message: replayEngine.redactor.scrub(err instanceof Error ? err.message : String(err)) });
      } finally {
        await replayEngine.close();
      }
      result = judge(observations, started);
    }
    return { result, observations };
  } finally {
    await engine.close();
  }
}
