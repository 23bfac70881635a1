// The list of sites for `wp401 scan-many`: a plain text file (one URL per
// line, optionally followed by the WordPress user; # comments) or a YAML/JSON
// file with per-site settings and the NAMES of the environment variables that
// hold each site's secrets — never the secrets themselves.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkBridgeKey, normaliseTarget, UsageError } from '../config/options.js';
import { SECRET_ENV, type Secrets } from '../config/secrets.js';

/** Per-site settings a fleet file may give (the same meaning as the scan flags). */
export interface SiteSettings {
  user?: string;
  isolate?: boolean;
  browser?: boolean;
  format?: string;
  concurrency?: number;
  timeout?: number;
  maxRequests?: number;
  insecure?: boolean;
  ca?: string;
  origin?: string;
}

export interface FleetSite extends SiteSettings {
  /** the site's folder name under the output folder */
  name: string;
  url: string;
  /** secret → name of the environment variable that holds it, for this site */
  secretEnv: Partial<Record<keyof Secrets, string>>;
}

/** The file keys naming secret variables, e.g. passwordEnv: SHOP_WP_PASSWORD. */
export const SECRET_ENV_KEYS: Record<string, keyof Secrets> = {
  passwordEnv: 'password',
  appPasswordEnv: 'appPassword',
  httpUserEnv: 'httpUser',
  httpPasswordEnv: 'httpPassword',
  bridgeKeyEnv: 'bridgeKey',
};

const SETTING_TYPES: Record<keyof SiteSettings, 'string' | 'boolean' | 'number'> = {
  user: 'string',
  isolate: 'boolean',
  browser: 'boolean',
  format: 'string',
  concurrency: 'number',
  timeout: 'number',
  maxRequests: 'number',
  insecure: 'boolean',
  ca: 'string',
  origin: 'string',
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A folder name from the URL: host, port and path, lowercase, safe on every file system. */
export function folderName(url: string): string {
  const u = new URL(url);
  const raw = `${u.hostname}${u.port ? `-${u.port}` : ''}${u.pathname.replace(/\/+$/, '')}`;
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[.-]+|[.-]+$/g, '')
      .slice(0, 80) || 'site'
  );
}

function settingsFrom(where: string, entry: Record<string, unknown>, known: Set<string>): SiteSettings & { secretEnv: FleetSite['secretEnv'] } {
  const out: SiteSettings & { secretEnv: FleetSite['secretEnv'] } = { secretEnv: {} };
  for (const [key, value] of Object.entries(entry)) {
    if (known.has(key)) continue;
    const secret = SECRET_ENV_KEYS[key];
    if (secret) {
      if (typeof value !== 'string' || !ENV_NAME.test(value)) throw new UsageError(`${where}: ${key} must name an environment variable (like SHOP_PASSWORD), not hold a value`);
      out.secretEnv[secret] = value;
      continue;
    }
    const type = SETTING_TYPES[key as keyof SiteSettings];
    if (!type) {
      if (/pass|secret|key|token|cookie|nonce/i.test(key)) {
        throw new UsageError(`${where}: secrets are not accepted in the sites file ("${key}"); name an environment variable with ${Object.keys(SECRET_ENV_KEYS).join(', ')}`);
      }
      throw new UsageError(`${where}: unknown setting "${key}" (known: url, name, ${[...Object.keys(SETTING_TYPES), ...Object.keys(SECRET_ENV_KEYS)].join(', ')})`);
    }
    if (typeof value !== type) throw new UsageError(`${where}: ${key} must be a ${type}`);
    (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

function fromText(text: string): Omit<FleetSite, 'name'>[] {
  const sites: Omit<FleetSite, 'name'>[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const bare = line.replace(/(^|\s)#.*$/, '').trim();
    if (!bare) return;
    const [url, user, extra] = bare.split(/\s+/);
    if (extra !== undefined) throw new UsageError(`line ${i + 1}: one site per line: a URL and optionally the WordPress user (for more settings use a YAML or JSON file)`);
    sites.push({ url: url as string, ...(user ? { user } : {}), secretEnv: {} });
  });
  return sites;
}

function fromStructured(data: unknown): (Omit<FleetSite, 'name'> & { name?: string })[] {
  const doc = Array.isArray(data) ? { sites: data } : data;
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { sites?: unknown }).sites)) {
    throw new UsageError('the sites file needs a list of sites (a top-level list, or "sites:" with one)');
  }
  const { sites, defaults, ...rest } = doc as { sites: unknown[]; defaults?: unknown };
  if (Object.keys(rest).length) throw new UsageError(`unknown top-level key "${Object.keys(rest)[0]}" (use sites and defaults)`);
  if (defaults !== undefined && (!defaults || typeof defaults !== 'object' || Array.isArray(defaults))) throw new UsageError('defaults must be a mapping of settings');
  const base = defaults ? settingsFrom('defaults', defaults as Record<string, unknown>, new Set()) : { secretEnv: {} };
  return sites.map((entry, i) => {
    const where = `site ${i + 1}`;
    const item = typeof entry === 'string' ? { url: entry } : entry;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new UsageError(`${where}: a URL or a mapping with url`);
    const rec = item as Record<string, unknown>;
    if (typeof rec.url !== 'string') throw new UsageError(`${where}: url is missing`);
    if (rec.name !== undefined && (typeof rec.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/.test(rec.name))) {
      throw new UsageError(`${where}: name must be a folder name (letters, digits, . _ -)`);
    }
    const own = settingsFrom(`${where} (${rec.url.slice(0, 100)})`, rec, new Set(['url', 'name']));
    return { ...base, ...own, secretEnv: { ...base.secretEnv, ...own.secretEnv }, url: rec.url, ...(rec.name ? { name: rec.name as string } : {}) };
  });
}

/** Parses a sites file's text; `kind` from the file name (.yml/.yaml/.json → structured, anything else → lines). */
export function parseSites(text: string, kind: 'text' | 'structured'): FleetSite[] {
  let entries: (Omit<FleetSite, 'name'> & { name?: string })[];
  if (kind === 'structured') {
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (err) {
      throw new UsageError(`the sites file is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
    }
    entries = fromStructured(data);
  } else {
    entries = fromText(text);
  }
  if (entries.length === 0) throw new UsageError('the sites file lists no site');
  const used = new Set<string>();
  return entries.map((e) => {
    const url = normaliseTarget(e.url);
    let name = e.name ?? folderName(url);
    if (e.name && used.has(name)) throw new UsageError(`two sites are named "${name}"`);
    for (let n = 2; used.has(name); n++) name = `${e.name ?? folderName(url)}-${n}`;
    used.add(name);
    return { ...e, url, name };
  });
}

/** The sites file cannot be read: a runtime failure (its own exit code), not a usage error. */
export class SitesFileError extends Error {
  override readonly name = 'SitesFileError';
}

export function readSitesFile(path: string): FleetSite[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SitesFileError(`cannot read the sites file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const ext = extname(path).toLowerCase();
  return parseSites(text, ext === '.yml' || ext === '.yaml' || ext === '.json' ? 'structured' : 'text');
}

/**
 * A site's secrets: each from the variable the file names for it, otherwise
 * from the usual WP401_* variable. A named variable that is not set is a
 * configuration error, found before any site is scanned.
 */
export function siteSecrets(site: FleetSite, env: NodeJS.ProcessEnv): Secrets {
  const out: Secrets = {};
  for (const key of Object.keys(SECRET_ENV) as (keyof Secrets)[]) {
    const named = site.secretEnv[key];
    const value = named ? env[named] : env[SECRET_ENV[key]];
    if (named && (value === undefined || value === '')) throw new UsageError(`${site.name}: the environment variable ${named} is not set`);
    if (value) out[key] = value;
  }
  checkBridgeKey(out.bridgeKey, `${site.name}: ${site.secretEnv.bridgeKey ?? SECRET_ENV.bridgeKey}`);
  return out;
}
