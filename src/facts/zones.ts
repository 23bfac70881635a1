// Zones: the smallest set of path prefixes that demand credentials, and what
// each demands (a Basic realm, a WordPress login, a REST auth code), judged
// from what anonymous requests got; with probe and 401 counts per zone.
import type { Probe, Zone, ZoneDemand } from '../model.js';
import { serverChallenge } from './challenge.js';

function relPath(p: Probe, base: URL): string {
  try {
    const u = new URL(p.url);
    if (u.origin !== base.origin) return '';
    return u.pathname.startsWith(base.pathname) ? u.pathname.slice(base.pathname.length) : u.pathname.replace(/^\//, '');
  } catch {
    return '';
  }
}

/** What an anonymous answer demanded. */
export function demandOf(p: Probe): ZoneDemand {
  if (p.status === 401) {
    const basic = serverChallenge(p);
    if (basic) return { kind: 'basic', realm: basic.realm ?? null };
    if (p.body?.restError) return { kind: 'rest-auth', code: p.body.restError.code };
    return { kind: 'other', status: 401 };
  }
  if (p.status === 403 && p.body?.restError) return { kind: 'rest-auth', code: p.body.restError.code };
  const loginRedirect = p.chain.some((h) => (h.location ?? '').includes('wp-login.php')) && !p.url.includes('wp-login.php');
  if (loginRedirect) return { kind: 'wordpress-login' };
  if (p.status === 403 || p.status === 407 || p.status === 429) return { kind: 'other', status: p.status };
  return { kind: 'none' };
}

const keyOf = (d: ZoneDemand) => JSON.stringify(d);

/** Directory prefixes of a path, shortest first: "a/b/c" → ["", "a/", "a/b/"] plus the path itself. */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) out.push(`${parts.slice(0, i).join('/')}${i ? '/' : ''}`);
  out.push(path);
  return [...new Set(out)];
}

export function buildZones(probes: Probe[], base: string): Zone[] {
  let b: URL;
  try {
    b = new URL(base);
  } catch {
    return [];
  }
  // anonymous GETs decide the demand; each path counted once (the first answer)
  const demandByPath = new Map<string, ZoneDemand>();
  for (const p of probes) {
    if (p.auth !== 'none' || p.method !== 'GET' || p.status === 0) continue;
    const path = relPath(p, b).replace(/\?.*$/, '');
    if (!demandByPath.has(path)) demandByPath.set(path, demandOf(p));
  }
  const paths = [...demandByPath.keys()];
  const under = (prefix: string) => paths.filter((q) => (prefix.endsWith('/') || prefix === '' ? q.startsWith(prefix) : q === prefix));
  const chosen = new Map<string, ZoneDemand>();
  for (const [path, demand] of demandByPath) {
    if (demand.kind === 'none') continue;
    const k = keyOf(demand);
    for (const a of ancestors(path)) {
      const inside = a === path ? [path] : under(a);
      // generalise to a directory only when every probe under it agrees and there are at least two
      if (inside.every((q) => keyOf(demandByPath.get(q) as ZoneDemand) === k) && (inside.length >= 2 || a === path)) {
        chosen.set(a, demand);
        break;
      }
    }
  }
  // drop prefixes covered by a shorter chosen prefix with the same demand
  const prefixes = [...chosen.keys()].sort((x, y) => x.length - y.length);
  const kept = prefixes.filter((p, i) => !prefixes.slice(0, i).some((q) => (q === '' || q.endsWith('/')) && p.startsWith(q) && keyOf(chosen.get(q) as ZoneDemand) === keyOf(chosen.get(p) as ZoneDemand)));
  const zones: Zone[] = kept.map((prefix) => {
    const exact = !paths.some((q) => q !== prefix && q.startsWith(prefix) && keyOf(demandByPath.get(q) as ZoneDemand) === keyOf(chosen.get(prefix) as ZoneDemand));
    const inZone = probes.filter((p) => {
      const path = relPath(p, b).replace(/\?.*$/, '');
      return exact ? path === prefix : path.startsWith(prefix);
    });
    return { prefix: `${b.pathname}${prefix}`, demand: chosen.get(prefix) as ZoneDemand, probes: inZone.length, unauthorized: inZone.filter((p) => p.status === 401).length };
  });
  if (!chosen.has('')) {
    const open = probes.filter((p) => p.auth === 'none' && demandOf(p).kind === 'none');
    if (open.length) zones.unshift({ prefix: b.pathname, demand: { kind: 'none' }, probes: open.length, unauthorized: 0 });
  }
  return zones.sort((x, y) => x.prefix.localeCompare(y.prefix));
}

/**
 * The REST error codes WordPress core's own permission checks answer an
 * anonymous request with: WP_REST_Server's `rest_forbidden` for a
 * permission_callback that returns false, `rest_forbidden_context` for
 * context=edit, `rest_not_logged_in` from users/me, and the controllers'
 * `rest_cannot_*` / `rest_<thing>_cannot_*` checks — all with
 * rest_authorization_required_code(), 401 when nobody is logged in.
 */
export const CORE_REST_REFUSAL = /^rest_(not_logged_in|forbidden|forbidden_context|cannot_[a-z_]+|[a-z_]+_cannot_[a-z_]+)$/;

/**
 * Marks the zones whose refusals are WordPress working as designed: a core
 * REST permission code, only anonymous requests refused there, and no
 * finding citing one of its requests.
 */
export function markExpectedZones(zones: Zone[], probes: Probe[], findings: { evidence: { kind: string; probe?: string }[] }[]): Zone[] {
  const cited = new Set(findings.flatMap((f) => f.evidence.flatMap((e) => (e.probe ? [e.probe] : []))));
  return zones.map((zone) => {
    if (zone.demand.kind !== 'rest-auth' || !CORE_REST_REFUSAL.test(zone.demand.code) || zone.unauthorized === 0) return zone;
    const inZone = probes.filter((p) => {
      try {
        const path = new URL(p.url).pathname;
        return zone.prefix.endsWith('/') ? path.startsWith(zone.prefix) : path === zone.prefix;
      } catch {
        return false;
      }
    });
    const refused = inZone.filter((p) => p.status === 401 || p.status === 403);
    const expected = refused.length > 0 && refused.every((p) => p.auth === 'none') && !inZone.some((p) => cited.has(p.id));
    return expected ? { ...zone, expected: true } : zone;
  });
}
