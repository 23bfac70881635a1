// `wp401 scan-many`: scans a list of sites, a few at a time, each into its
// own report folder, then writes an index.html and wp401-fleet.json summary.
// One site's failure (unreachable, a crash) is recorded for that site and
// never stops the others. Secrets come from the environment only.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULTS, type ScanOptions, resolveOptions } from '../config/options.js';
import type { Secrets } from '../config/secrets.js';
import { TargetError } from '../gather/index.js';
import type { ScanResult } from '../model.js';
import { writeReports } from '../report/index.js';
import { isConfigurationError, scan } from '../scan.js';
import { renderFleetIndex } from './index-html.js';
import type { FleetSite, SiteSettings } from './sites-file.js';
import type { FleetSummary, SiteOutcome, SiteSummary } from './types.js';

export { renderFleetIndex } from './index-html.js';
export type { FleetSummary, SiteOutcome, SiteSummary } from './types.js';
export { type FleetSite, folderName, parseSites, readSitesFile, SitesFileError, siteSecrets } from './sites-file.js';

export const FLEET_EXIT = { ok: 0, problems: 1, usage: 2, target: 3, runtime: 4, interrupted: 130 } as const;

/** Worse first: an interrupted run, a crashed site, an unreachable site, a site its settings kept from being scanned, problems, all clear. */
const RANK = [FLEET_EXIT.ok, FLEET_EXIT.problems, FLEET_EXIT.usage, FLEET_EXIT.target, FLEET_EXIT.runtime, FLEET_EXIT.interrupted];

export function worstExit(codes: number[]): number {
  return codes.reduce((worst, c) => (RANK.indexOf(c as (typeof RANK)[number]) > RANK.indexOf(worst as (typeof RANK)[number]) ? c : worst), FLEET_EXIT.ok as number);
}

export interface FleetOptions {
  outDir: string;
  /** sites scanned at the same time */
  parallel: number;
  /** settings given on the command line: they win over the file's */
  flags: SiteSettings & { quiet?: boolean };
}

export interface FleetHooks {
  signal?: AbortSignal;
  /** one line per site event, for stderr */
  log?: (line: string) => void;
  /** the secrets of one site (from the environment); may throw a UsageError */
  secretsFor: (site: FleetSite) => Secrets;
  /** turns an error into one safe line (redacted) */
  describeError?: (err: unknown) => string;
}

/** Resolves every site's scan options up front, so a bad entry stops the run before any request. */
export function planFleet(sites: FleetSite[], opts: FleetOptions, secretsFor: FleetHooks['secretsFor']): { site: FleetSite; options: ScanOptions; secrets: Secrets }[] {
  return sites.map((site) => {
    const merged: Record<string, unknown> = { url: site.url, quiet: true };
    for (const source of [site, opts.flags] as Record<string, unknown>[]) {
      for (const key of ['user', 'isolate', 'browser', 'format', 'concurrency', 'timeout', 'maxRequests', 'insecure', 'ca', 'origin']) {
        if (source[key] !== undefined) merged[key] = source[key];
      }
    }
    merged.out = join(opts.outDir, site.name);
    const options = resolveOptions(merged);
    options.quiet = true;
    const secrets = secretsFor(site);
    return { site, options, secrets };
  });
}

function summaryOf(site: FleetSite, result: ScanResult, folder: string, reports: string[], interrupted: boolean): SiteSummary {
  const errors = result.findings.filter((f) => f.severity === 'error');
  const top = errors[0] ?? result.findings.find((f) => f.severity === 'warning') ?? null;
  // A scan cut short by its time budget never claims a clean site (as `wp401 scan` exits 1 for it).
  const outcome: SiteOutcome = interrupted ? 'interrupted' : result.verdict.status === 'ok' && !result.incomplete ? 'ok' : 'problems';
  return {
    name: site.name,
    url: site.url,
    outcome,
    exit: outcome === 'interrupted' ? FLEET_EXIT.interrupted : outcome === 'ok' ? FLEET_EXIT.ok : FLEET_EXIT.problems,
    summary: result.verdict.summary,
    topFinding: top?.title ?? null,
    errors: errors.length,
    warnings: result.findings.filter((f) => f.severity === 'warning').length,
    durationMs: result.durationMs,
    folder,
    reports,
  };
}

export async function scanMany(sites: FleetSite[], opts: FleetOptions, hooks: FleetHooks): Promise<FleetSummary> {
  const started = Date.now();
  const plan = planFleet(sites, opts, hooks.secretsFor);
  const describe = hooks.describeError ?? ((e: unknown) => (e instanceof Error ? e.message : String(e)));
  const out: SiteSummary[] = new Array(plan.length);
  let next = 0;
  let done = 0;

  async function one(index: number): Promise<void> {
    const { site, options, secrets } = plan[index] as (typeof plan)[number];
    const folder = site.name;
    const t0 = Date.now();
    hooks.log?.(`[${index + 1}/${plan.length}] ${site.name}: scanning ${site.url}`);
    try {
      const { result } = await scan(options, secrets, { signal: hooks.signal });
      const interrupted = hooks.signal?.aborted === true;
      if (interrupted) result.incomplete = true;
      const written = await writeReports(result, { outDir: options.outDir, formats: options.formats });
      out[index] = summaryOf(
        site,
        result,
        folder,
        written.map((p) => join(folder, p.slice(options.outDir.length + 1))),
        interrupted,
      );
    } catch (err) {
      const unreachable = err instanceof TargetError;
      out[index] = {
        name: site.name,
        url: site.url,
        outcome: unreachable ? 'unreachable' : 'failed',
        // The code `wp401 scan` would have returned: 2 for the site's settings (--isolate without a working plugin, no browser).
        exit: unreachable ? FLEET_EXIT.target : isConfigurationError(err) ? FLEET_EXIT.usage : FLEET_EXIT.runtime,
        summary: describe(err),
        topFinding: null,
        errors: 0,
        warnings: 0,
        durationMs: Date.now() - t0,
        folder,
        reports: [],
      };
    }
    done++;
    const s = out[index] as SiteSummary;
    hooks.log?.(`[${done}/${plan.length} done] ${site.name}: ${s.outcome} in ${(s.durationMs / 1000).toFixed(1)} s${s.topFinding ? ` — ${s.topFinding}` : ''}`);
  }

  async function worker(): Promise<void> {
    while (next < plan.length && !hooks.signal?.aborted) {
      const index = next++;
      await one(index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.parallel, plan.length) }, () => worker()));

  plan.forEach(({ site }, i) => {
    if (!out[i]) {
      out[i] = { name: site.name, url: site.url, outcome: 'not-scanned', exit: FLEET_EXIT.interrupted, summary: 'Not scanned: the run was interrupted first.', topFinding: null, errors: 0, warnings: 0, durationMs: 0, folder: site.name, reports: [] };
    }
  });
  const summary: FleetSummary = {
    schemaVersion: 1,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    exit: worstExit(out.map((s) => s.exit)),
    sites: out,
  };
  await mkdir(opts.outDir, { recursive: true });
  await writeFile(join(opts.outDir, 'wp401-fleet.json'), `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
  await writeFile(join(opts.outDir, 'index.html'), renderFleetIndex(summary), 'utf8');
  return summary;
}

export const FLEET_DEFAULTS = { outDir: './wp401-fleet', parallel: 2, maxParallel: 8, formats: DEFAULTS.formats };
