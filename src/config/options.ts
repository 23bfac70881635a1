// Scan options in one place: defaults, validation and conflicts. The CLI and
// a config file (wp401.config.json, merged under the flags) both end here.
import { readFileSync } from 'node:fs';
import { readCaFile } from '../http/trust.js';
import type { ReportFormat } from '../report/index.js';

export interface ScanOptions {
  url: string;
  user?: string;
  isolate: boolean;
  browser: boolean;
  outDir: string;
  formats: ReportFormat[];
  concurrency: number;
  /** back off below `concurrency` when the server slows under parallel load */
  adaptive: boolean;
  timeoutMs: number;
  /** after this long the scan stops gathering, judges what it has and marks the result incomplete */
  timeBudgetMs: number;
  maxRequests: number;
  insecure: boolean;
  /** a PEM file of extra certificate authorities to trust (an internal CA), like NODE_EXTRA_CA_CERTS */
  ca?: string;
  /** the origin server behind the edge, to compare answers (`--origin http://10.0.0.5:8080`) */
  origin?: string;
  /** host:port:address pins, like curl --resolve */
  resolve: string[];
  quiet: boolean;
  saveObservations?: string;
  fromObservations?: string;
}

export const DEFAULTS = {
  isolate: false,
  browser: true,
  outDir: './wp401-report',
  formats: ['html', 'json'] as ReportFormat[],
  concurrency: 4,
  adaptive: true,
  timeoutMs: 15000,
  timeBudgetMs: 90_000,
  maxRequests: 300,
  insecure: false,
  quiet: false,
  resolve: [] as string[],
};

export const FORMATS: readonly ReportFormat[] = ['html', 'json', 'har'];

/** A usage or configuration mistake: exit code 2, one line, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Checks and normalises a target URL; throws UsageError with a one-line reason. */
export function normaliseTarget(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new UsageError(`"${raw.slice(0, 200)}" is not a URL (try http://staging.example.com/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`only http:// and https:// sites can be scanned, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new UsageError('do not put credentials in the URL; set WP401_HTTP_USER and WP401_HTTP_PASSWORD instead');
  }
  if (!url.hostname) throw new UsageError(`"${raw.slice(0, 200)}" has no host`);
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

export function parseFormats(raw: string | string[] | undefined): ReportFormat[] {
  if (raw === undefined) return [...DEFAULTS.formats];
  const list = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => r.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) {
    if (!FORMATS.includes(f as ReportFormat)) throw new UsageError(`unknown report format "${f}" (use ${FORMATS.join(', ')})`);
  }
  if (list.length === 0) throw new UsageError('--format needs at least one of html, json, har');
  return [...new Set(list)] as ReportFormat[];
}

function intIn(name: string, v: unknown, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Reads wp401.config.json (or the named file); flags given on the command line win. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read config file ${path}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new UsageError(`config file ${path} is not a JSON object`);
  }
}

const SECRET_KEYS = /pass|secret|key|token|cookie|nonce/i;

export function resolveOptions(raw: Record<string, unknown>): ScanOptions {
  for (const k of Object.keys(raw)) {
    if (SECRET_KEYS.test(k) && raw[k] !== undefined && raw[k] !== false && typeof raw[k] === 'string') {
      throw new UsageError(`secrets are not accepted as options ("${k}"); use the WP401_* environment variables`);
    }
  }
  const url = normaliseTarget(String(raw.url ?? ''));
  const origin = raw.origin ? normaliseTarget(String(raw.origin)) : undefined;
  const resolve = ([] as unknown[]).concat(raw.resolve ?? []).map(String);
  for (const r of resolve) {
    if (!/^[^:\s]+:\d{1,5}:[0-9a-fA-F.:[\]]+$/.test(r)) throw new UsageError(`--resolve wants host:port:address, not "${r}"`);
  }
  const isolate = Boolean(raw.isolate ?? DEFAULTS.isolate);
  const ca = raw.ca ? String(raw.ca) : undefined;
  if (ca) {
    try {
      readCaFile(ca);
    } catch (err) {
      throw new UsageError(`--ca: ${(err as Error).message}`);
    }
  }
  return {
    url,
    user: raw.user ? String(raw.user) : undefined,
    isolate,
    browser: raw.browser === undefined ? DEFAULTS.browser : Boolean(raw.browser),
    outDir: String(raw.out ?? raw.outDir ?? DEFAULTS.outDir),
    formats: parseFormats(raw.format as string | string[] | undefined),
    concurrency: intIn('concurrency', raw.concurrency ?? DEFAULTS.concurrency, 1, 32),
    adaptive: raw.adaptive === undefined ? DEFAULTS.adaptive : Boolean(raw.adaptive),
    timeoutMs: intIn('timeout', raw.timeout ?? DEFAULTS.timeoutMs / 1000, 1, 600) * 1000,
    timeBudgetMs: intIn('time-budget', raw.timeBudget ?? raw['time-budget'] ?? DEFAULTS.timeBudgetMs / 1000, 5, 3600) * 1000,
    maxRequests: intIn('max-requests', raw.maxRequests ?? raw['max-requests'] ?? DEFAULTS.maxRequests, 10, 100000),
    insecure: Boolean(raw.insecure ?? DEFAULTS.insecure),
    ca,
    origin,
    resolve,
    quiet: Boolean(raw.quiet ?? DEFAULTS.quiet),
    saveObservations: raw.saveObservations ? String(raw.saveObservations) : undefined,
    fromObservations: raw.fromObservations ? String(raw.fromObservations) : undefined,
  };
}
