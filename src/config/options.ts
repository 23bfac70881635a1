// Scan options in one place: every option's flag, environment variable,
// default and check, and one precedence — an explicit flag, then the
// environment (WP401_OUT, WP401_FORMAT…), then the config file
// (wp401.config.json or --config), then the default. Conflicts between
// options, and with the secrets, are checked here too. The CLI only turns
// argv into flags and prints; it never fills in a default.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BRIDGE_KEY_MIN_LENGTH } from '../bridge/protocol.js';
import { readCaFile } from '../http/trust.js';
import { REPORT_FORMATS, type ReportFormat } from '../model.js';
import { readSecrets, SECRET_ENV, type Secrets } from './secrets.js';

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

export const FORMATS: readonly ReportFormat[] = REPORT_FORMATS;

/** A usage or configuration mistake: exit code 2, one line, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionType = 'string' | 'boolean' | 'number' | 'list';

export interface OptionSpec {
  /** the name in ScanOptions' raw input and in the config file */
  key: string;
  /** the command-line flag, without "--" */
  flag: string;
  /** the environment variable; absent for per-run options */
  env?: string;
  type: OptionType;
  describe: string;
  /** shown in --help; the value itself is applied by resolveOptions, never by the parser */
  defaultText?: string;
  /** read from the command line only: never from the environment or the config file */
  perRun?: boolean;
}

/** Every option of `wp401 scan`, in --help order. */
export const SCAN_OPTIONS: readonly OptionSpec[] = [
  { key: 'user', flag: 'user', env: 'WP401_USER', type: 'string', describe: 'WordPress user for the login and application password (its password comes from WP401_PASSWORD)' },
  { key: 'isolate', flag: 'isolate', env: 'WP401_ISOLATE', type: 'boolean', defaultText: String(DEFAULTS.isolate), describe: 'find the plugin behind each WordPress-side 401 (needs the companion plugin and WP401_BRIDGE_KEY)' },
  { key: 'browser', flag: 'browser', env: 'WP401_BROWSER', type: 'boolean', defaultText: String(DEFAULTS.browser), describe: 'log in with a real browser (Chromium); --no-browser runs HTTP probes only' },
  { key: 'out', flag: 'out', env: 'WP401_OUT', type: 'string', defaultText: DEFAULTS.outDir, describe: 'report folder' },
  { key: 'format', flag: 'format', env: 'WP401_FORMAT', type: 'string', defaultText: DEFAULTS.formats.join(','), describe: `reports to write, comma-separated: ${REPORT_FORMATS.join(', ')}` },
  { key: 'concurrency', flag: 'concurrency', env: 'WP401_CONCURRENCY', type: 'number', defaultText: String(DEFAULTS.concurrency), describe: 'requests in flight at once, at most (1-32)' },
  { key: 'adaptive', flag: 'adaptive', env: 'WP401_ADAPTIVE', type: 'boolean', defaultText: String(DEFAULTS.adaptive), describe: 'send fewer requests at once while the server slows under parallel load; --no-adaptive keeps --concurrency' },
  { key: 'timeout', flag: 'timeout', env: 'WP401_TIMEOUT', type: 'number', defaultText: String(DEFAULTS.timeoutMs / 1000), describe: 'seconds per request, body included' },
  { key: 'timeBudget', flag: 'time-budget', env: 'WP401_TIME_BUDGET', type: 'number', defaultText: String(DEFAULTS.timeBudgetMs / 1000), describe: 'seconds after which the scan stops gathering, judges what it has and marks the result incomplete (5-3600)' },
  { key: 'maxRequests', flag: 'max-requests', env: 'WP401_MAX_REQUESTS', type: 'number', defaultText: String(DEFAULTS.maxRequests), describe: 'most requests one scan may send' },
  { key: 'insecure', flag: 'insecure', env: 'WP401_INSECURE', type: 'boolean', defaultText: String(DEFAULTS.insecure), describe: 'accept a self-signed or mismatched TLS certificate (staging)' },
  { key: 'ca', flag: 'ca', env: 'WP401_CA', type: 'string', describe: 'trust the certificate authorities in this PEM file (an internal CA) for the probes and the browser' },
  { key: 'origin', flag: 'origin', env: 'WP401_ORIGIN', type: 'string', describe: 'the origin server behind a proxy/CDN, to compare its answers with the edge' },
  { key: 'resolve', flag: 'resolve', env: 'WP401_RESOLVE', type: 'list', describe: 'pin host:port:address like curl --resolve (repeatable)' },
  { key: 'quiet', flag: 'quiet', env: 'WP401_QUIET', type: 'boolean', defaultText: String(DEFAULTS.quiet), describe: 'no progress on stderr' },
  { key: 'saveObservations', flag: 'save-observations', type: 'string', perRun: true, describe: 'also save the gathered observations to this file (to attach to a bug report)' },
  { key: 'fromObservations', flag: 'from-observations', type: 'string', perRun: true, describe: 're-judge saved observations instead of scanning (no network)' },
];

/** Option names that would carry a secret: refused wherever they come from. */
const SECRET_KEYS = /pass|secret|key|token|cookie|nonce/i;

/** The config file's name, looked for in the working folder when --config is not given. */
export const CONFIG_FILE = 'wp401.config.json';

function fromEnv(spec: OptionSpec, value: string): unknown {
  switch (spec.type) {
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(value)) return true;
      if (/^(0|false|no|off)$/i.test(value)) return false;
      throw new UsageError(`${spec.env} must be true or false, not "${value.slice(0, 40)}"`);
    case 'number':
      return Number(value);
    case 'list':
      return value.split(/[\s,]+/).filter(Boolean);
    default:
      return value;
  }
}

/**
 * The raw options of one scan, each from the first source that has it: the
 * command line (flags the user typed; the parser fills in no defaults), the
 * environment, the config file. What none of them has stays out, for
 * resolveOptions to default.
 */
export function mergeOptionSources(sources: { flags: Record<string, unknown>; env?: NodeJS.ProcessEnv; file?: Record<string, unknown> }): Record<string, unknown> {
  const { flags, env = {}, file = {} } = sources;
  const known = new Set(SCAN_OPTIONS.filter((s) => !s.perRun).map((s) => s.key));
  for (const k of Object.keys(file)) {
    if (SECRET_KEYS.test(k)) throw new UsageError(`secrets are not accepted in the config file ("${k}"); use the WP401_* environment variables`);
    if (!known.has(k)) throw new UsageError(`the config file names an unknown option "${k}" (known: ${[...known].join(', ')})`);
  }
  const raw: Record<string, unknown> = { url: flags.url };
  for (const spec of SCAN_OPTIONS) {
    let v = flags[spec.key];
    const fromEnvironment = spec.env && !spec.perRun ? env[spec.env] : undefined;
    if (v === undefined && fromEnvironment !== undefined && fromEnvironment !== '') v = fromEnv(spec, fromEnvironment);
    if (v === undefined && !spec.perRun) v = file[spec.key];
    if (v !== undefined) raw[spec.key] = v;
  }
  return raw;
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

/** Reads a config file: a JSON object of option keys (see SCAN_OPTIONS). */
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
    outDir: String(raw.out ?? DEFAULTS.outDir),
    formats: parseFormats(raw.format as string | string[] | undefined),
    concurrency: intIn('concurrency', raw.concurrency ?? DEFAULTS.concurrency, 1, 32),
    adaptive: raw.adaptive === undefined ? DEFAULTS.adaptive : Boolean(raw.adaptive),
    timeoutMs: intIn('timeout', raw.timeout ?? DEFAULTS.timeoutMs / 1000, 1, 600) * 1000,
    timeBudgetMs: intIn('time-budget', raw.timeBudget ?? DEFAULTS.timeBudgetMs / 1000, 5, 3600) * 1000,
    maxRequests: intIn('max-requests', raw.maxRequests ?? DEFAULTS.maxRequests, 10, 100000),
    insecure: Boolean(raw.insecure ?? DEFAULTS.insecure),
    ca,
    origin,
    resolve,
    quiet: Boolean(raw.quiet ?? DEFAULTS.quiet),
    saveObservations: raw.saveObservations ? String(raw.saveObservations) : undefined,
    fromObservations: raw.fromObservations ? String(raw.fromObservations) : undefined,
  };
}

/** A companion plugin key too short to be one (a truncated paste): named by its variable, never echoed. */
export function checkBridgeKey(key: string | undefined, variable: string): void {
  if (key !== undefined && key.length < BRIDGE_KEY_MIN_LENGTH) {
    throw new UsageError(`${variable} is not a companion plugin key: it has fewer than ${BRIDGE_KEY_MIN_LENGTH} characters (copy the key from Tools → wp401 on the site)`);
  }
}

/** Options that only make sense with something else, checked against what the scan was given. */
export function checkConflicts(options: ScanOptions, secrets: Secrets): void {
  checkBridgeKey(secrets.bridgeKey, SECRET_ENV.bridgeKey);
  if (options.isolate && !secrets.bridgeKey) {
    throw new UsageError('--isolate needs the companion plugin: install it on the site and set WP401_BRIDGE_KEY');
  }
}

/**
 * A scan's options and secrets from the parsed command line, the environment
 * and the config file (`--config`, else ./wp401.config.json when present).
 */
export function loadScanOptions(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { options: ScanOptions; secrets: Secrets } {
  const configPath = typeof flags.config === 'string' ? flags.config : existsSync(join(cwd, CONFIG_FILE)) ? join(cwd, CONFIG_FILE) : null;
  const file = configPath ? readConfigFile(configPath) : {};
  const options = resolveOptions(mergeOptionSources({ flags, env, file }));
  const secrets = readSecrets(env);
  checkConflicts(options, secrets);
  return { options, secrets };
}
