// Facts several rules share, computed once from the observations ("which
// probes are 401", "what does each credential get on users/me").
import type { Probe } from '../model.js';
import type { Observations } from '../observations.js';
import { type Challenge, parseWwwAuthenticate } from '../parse/www-authenticate.js';

export interface Facts {
  base: string;
  byId: Map<string, Probe>;
  /** probes whose final answer is 401 */
  unauthorized: Probe[];
  /** the path of a probe relative to the site base, e.g. "wp-json/" */
  pathOf(p: Probe): string;
  /** the first probe of a path with the given auth mode */
  find(path: string, auth?: Probe['auth']): Probe | undefined;
  challenges(p: Probe): Challenge[];
  /** a 401 that carries an HTTP Basic/Digest challenge: the server (or edge) asked, not WordPress */
  basicChallenge(p: Probe): Challenge | undefined;
  header(p: Probe, name: string): string | undefined;
}

export function computeFacts(obs: Observations): Facts {
  const base = obs.target;
  const byId = new Map(obs.probes.map((p) => [p.id, p]));
  const challengeCache = new Map<string, Challenge[]>();
  const pathOf = (p: Probe) => {
    const u = new URL(p.url);
    const b = new URL(base);
    const rel = u.pathname.startsWith(b.pathname) ? u.pathname.slice(b.pathname.length) : u.pathname;
    return rel + u.search;
  };
  const challenges = (p: Probe) => {
    let c = challengeCache.get(p.id);
    if (!c) {
      c = parseWwwAuthenticate(p.headers['www-authenticate'] ?? []);
      challengeCache.set(p.id, c);
    }
    return c;
  };
  return {
    base,
    byId,
    unauthorized: obs.probes.filter((p) => p.status === 401),
    pathOf,
    find: (path, auth = 'none') => obs.probes.find((p) => p.auth === auth && pathOf(p) === path),
    challenges,
    basicChallenge: (p) => (p.status === 401 ? challenges(p).find((c) => /^(basic|digest)$/i.test(c.scheme)) : undefined),
    header: (p, name) => p.headers[name.toLowerCase()]?.[0],
  };
}
