// First contact: is the target reachable, and is it WordPress? Judged from
// the home page, the REST index and the login page — any one mark suffices.
import type { Probe } from '../model.js';
import type { Discovery, RestIndexSummary } from '../observations/index.js';
import { parseWwwAuthenticate } from '../parse/www-authenticate.js';

export const DISCOVERY_PATHS = ['', 'wp-json/', 'wp-login.php'] as const;

function header(p: Probe, name: string): string[] {
  return p.headers[name.toLowerCase()] ?? [];
}

function restIndexOf(p: Probe | undefined): RestIndexSummary | null {
  const f = p?.body?.facts;
  if (!f?.restIndex) return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    namespaces: list(f.restNamespaces),
    authentication: list(f.restAuthentication),
    routes: list(f.restRoutes),
    home: typeof f.restHome === 'string' ? f.restHome : undefined,
    url: typeof f.restUrl === 'string' ? f.restUrl : undefined,
  };
}

/** A redirect to wp-login.php on the same origin (not a login page of another host that mentions it). */
function redirectsToOwnLogin(from: string, location: string | undefined): boolean {
  if (!location) return false;
  try {
    const to = new URL(location, from);
    return to.origin === new URL(from).origin && to.pathname.endsWith('/wp-login.php');
  } catch {
    return false;
  }
}

/** Decide from the discovery probes (home, REST index, login page; anonymous or with site basic auth). */
export function judgeDiscovery(probes: Probe[]): Discovery {
  const answered = probes.filter((p) => p.status > 0);
  const marks: string[] = [];
  let restIndex: RestIndexSummary | null = null;
  let version: string | undefined;
  for (const p of answered) {
    const idx = restIndexOf(p);
    if (idx?.namespaces.includes('wp/v2')) {
      restIndex ??= idx;
      marks.push('rest-index');
    }
    if (header(p, 'link').some((l) => l.includes('https://api.w.org/'))) marks.push('api-link-header');
    if (p.body?.pageKind === 'wp-login' || p.body?.facts?.loginForm) marks.push('login-form');
    if (p.body?.restError?.code?.startsWith('rest_')) marks.push('rest-error');
    if (p.body?.facts?.generator) {
      marks.push('generator');
      version ??= String(p.body.facts.generator);
    }
    if (p.body?.facts?.wpAssets) marks.push('wp-assets');
    if (p.chain.some((h) => redirectsToOwnLogin(h.url, h.location))) marks.push('login-redirect');
    if (header(p, 'x-pingback').some((v) => v.includes('xmlrpc.php'))) marks.push('x-pingback');
  }
  const uniqueMarks = [...new Set(marks)];
  const reachable = answered.length > 0;
  // A site whose every answer ended in an error (a redirect loop, a chain off
  // to another host) cannot be judged as WordPress, whatever it looked like.
  const allFailed = probes.every((p) => p.error);
  let wordpress: Discovery['wordpress'] = uniqueMarks.length > 0 && !allFailed ? 'yes' : 'no';
  if (wordpress === 'no' && reachable) {
    const locked = answered.every(
      (p) => (p.status === 401 && parseWwwAuthenticate(header(p, 'www-authenticate')).length > 0) || p.status === 403,
    );
    if (locked) wordpress = 'locked';
  }
  return { reachable, wordpress, marks: uniqueMarks, restIndex, restBase: 'wp-json/', version };
}
