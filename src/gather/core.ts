// The probes every scan runs: the paths where WordPress authentication
// happens, each anonymously and with every credential the user gave.
import type { Engine, ProbeRequest } from '../http/index.js';
import type { AuthMode, Probe } from '../model.js';
import type { Secrets } from '../config/secrets.js';
import { MISSING_PHP_PATH } from '../observations/probe.js';

export const CORE_PATHS = [
  '',
  'wp-login.php',
  'wp-admin/',
  'wp-json/',
  'wp-json/wp/v2/users/me',
  'xmlrpc.php',
  'wp-admin/admin-ajax.php',
  // a public route inside a namespace: REST locks differ on the index (no namespace) and on routes —
  // Shield's anonymous-REST block leaves the index alone — so a refused index alone says too little
  'wp-json/wp/v2/posts',
] as const;

/** REST paths probed with credentials: the ones where a credential must change the answer. */
export const AUTHED_PATHS = ['wp-json/', 'wp-json/wp/v2/users/me', 'wp-json/wp/v2/posts?context=edit&per_page=1'] as const;

export interface CredentialSet {
  auth: AuthMode;
  basic?: { user: string; password: string };
  headers?: Record<string, string>;
}

/** Which credential sets this scan can try, from what the user gave. */
export function credentialSets(user: string | undefined, s: Secrets): CredentialSet[] {
  const sets: CredentialSet[] = [];
  const site = s.httpUser && s.httpPassword ? { user: s.httpUser, password: s.httpPassword } : undefined;
  if (site) sets.push({ auth: 'basic-site', basic: site });
  if (user && s.appPassword) {
    sets.push({ auth: 'app-password', basic: { user, password: s.appPassword } });
  }
  return sets;
}

function req(base: string, path: string, source: string, set?: CredentialSet, method: ProbeRequest['method'] = 'GET'): ProbeRequest {
  const r: ProbeRequest = { source, method, url: new URL(path, base).toString(), auth: set?.auth ?? 'none', useJar: false };
  if (set?.basic) r.credentials = { basic: set.basic };
  if (set?.headers) r.headers = set.headers;
  return r;
}

/** How many probes runCoreProbes sends for these credential sets (before redirects and retries). */
export function coreProbeCount(sets: CredentialSet[]): number {
  const site = sets.some((s) => s.auth === 'basic-site');
  return CORE_PATHS.length * (site ? 2 : 1) + 1 + AUTHED_PATHS.length * sets.filter((s) => s.auth !== 'basic-site').length;
}

/**
 * Core paths whose discovery answer stands for the core probe: the same GET
 * (no cookies, redirects followed), sent a moment earlier. The home page and
 * the REST index are among a site's most expensive answers (the index builds
 * every route's description). The login page is asked again: a second
 * anonymous GET is what shows an edge or page cache serving it (Age, X-Cache),
 * the first one may well have filled that cache.
 */
export const ANSWERED_BY_DISCOVERY: readonly string[] = ['', 'wp-json/'];

/**
 * Anonymous probes of every core path, then the REST paths with each
 * credential set. `discovered`: discovery's probes; an answered one of a path
 * in ANSWERED_BY_DISCOVERY, with the same credentials, is returned in place of
 * sending it again (one that ended in an error is asked again).
 */
export async function runCoreProbes(engine: Engine, base: string, sets: CredentialSet[], discovered: readonly Probe[] = []): Promise<Probe[]> {
  const site = sets.find((s) => s.auth === 'basic-site');
  const wanted: ProbeRequest[] = CORE_PATHS.map((p) => req(base, p, 'core'));
  // behind a site-wide Basic lock only the credentialed request gets past it
  wanted.push(req(base, MISSING_PHP_PATH, 'core', site));
  if (site) for (const p of CORE_PATHS) wanted.push(req(base, p, 'core', site));
  for (const set of sets) {
    if (set.auth === 'basic-site') continue;
    for (const p of AUTHED_PATHS) wanted.push(req(base, p, 'auth', set));
  }
  const reusable = ANSWERED_BY_DISCOVERY.map((p) => new URL(p, base).toString());
  const answered = (r: ProbeRequest): Probe | undefined =>
    reusable.includes(r.url) ? discovered.find((d) => d.status > 0 && d.method === 'GET' && d.url === r.url && d.auth === r.auth) : undefined;
  return Promise.all(wanted.map((r) => answered(r) ?? engine.probe(r)));
}
