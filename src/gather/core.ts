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

/** Anonymous probes of every core path, then the REST paths with each credential set. */
export async function runCoreProbes(engine: Engine, base: string, sets: CredentialSet[]): Promise<Probe[]> {
  const jobs: ProbeRequest[] = CORE_PATHS.map((p) => req(base, p, 'core'));
  const site = sets.find((s) => s.auth === 'basic-site');
  // behind a site-wide Basic lock only the credentialed request gets past it
  jobs.push(req(base, MISSING_PHP_PATH, 'core', site));
  if (site) for (const p of CORE_PATHS) jobs.push(req(base, p, 'core', site));
  for (const set of sets) {
    if (set.auth === 'basic-site') continue;
    for (const p of AUTHED_PATHS) jobs.push(req(base, p, 'auth', set));
  }
  return Promise.all(jobs.map((j) => engine.probe(j)));
}
