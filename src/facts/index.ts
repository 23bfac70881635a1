// Facts several rules share, computed once from the observations ("which
// probes are 401", "what does each credential get on users/me", "is there a
// proxy in front", "which responses came from a cache").
import type { Probe } from '../model.js';
import type { Observations, RestIndexSummary } from '../observations/index.js';
import { type CookieJudgement, judgeSetCookie } from '../parse/set-cookie.js';
import type { Challenge } from '../parse/www-authenticate.js';
import { challengesOf, serverChallengeIn } from './challenge.js';
import { cacheHits, proxyMarks as proxyMarksOf } from './marks.js';
import { type BridgeFacts, computeBridgeFacts } from './bridge.js';
import { MISSING_PHP_PATH } from '../observations/probe.js';

/** What answers for the site at the front, judged from response headers. */
export interface Front {
  /** the Server header seen most often, e.g. "nginx/1.22.1" */
  server: string | null;
  /** apache | nginx | litespeed | iis | cloudflare | other | unknown */
  software: 'apache' | 'nginx' | 'litespeed' | 'iis' | 'cdn' | 'other' | 'unknown';
  /** headers that show a proxy or CDN in the path: "via: 1.1 varnish", "cf-ray" */
  proxyMarks: string[];
  /** a proxy/CDN is very likely between us and PHP */
  proxied: boolean;
  /**
   * Who answered the request for a PHP file that does not exist (gather/core.ts
   * MISSING_PHP_PATH): the web server's own error page or PHP-FPM's "File not
   * found." (the server hands .php to PHP itself), WordPress's page (requests
   * are rewritten to WordPress, as Apache's .htaccess does), or null (not asked,
   * or another answer).
   */
  missingPhp: 'server' | 'fastcgi' | 'wordpress' | null;
}

export interface SetCookieSeen {
  probe: string;
  url: string;
  judgement: CookieJudgement;
}

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
  /** the REST index, from discovery */
  restIndex: RestIndexSummary | null;
  front: Front;
  /** cache marks on a response: "x-cache: HIT", "age: 187" (empty when it was not served from a cache) */
  cacheHits(p: Probe): string[];
  /** every Set-Cookie the site sent, judged against the URL that sent it (values never kept) */
  setCookies: SetCookieSeen[];
  /** the scan's clock: when the observations were gathered (rules never read Date.now) */
  now: Date;
  /** the target's host name, lower case */
  host: string;
  /** what the companion plugin saw (environment, probe ledger); null without a working bridge */
  bridge: BridgeFacts | null;
}


function softwareOf(server: string | null): Front['software'] {
  if (!server) return 'unknown';
  const s = server.toLowerCase();
  if (s.startsWith('apache')) return 'apache';
  if (s.startsWith('nginx') || s.startsWith('openresty') || s.startsWith('tengine')) return 'nginx';
  if (s.startsWith('litespeed') || s.startsWith('openlitespeed')) return 'litespeed';
  if (s.includes('iis')) return 'iis';
  if (/cloudflare|sucuri|akamai|cloudfront|varnish|fastly|envoy|caddy|traefik|awselb|google frontend/.test(s)) return 'cdn';
  return 'other';
}

function missingPhpOf(probes: Probe[]): Front['missingPhp'] {
  const p = probes.find((x) => x.method === 'GET' && !x.error && x.status === 404 && new URL(x.url).pathname.endsWith(`/${MISSING_PHP_PATH}`));
  if (!p) return null;
  const kind = p.body?.pageKind;
  if (kind === 'nginx-error' || kind === 'apache-error') return 'server';
  if (/^(File not found\.|No input file specified\.)/.test(p.body?.excerpt ?? '')) return 'fastcgi';
  if (kind === 'wordpress') return 'wordpress';
  return null;
}

function frontOf(probes: Probe[]): Front {
  const counts = new Map<string, number>();
  const marks = new Set<string>();
  for (const p of probes) {
    const server = p.headers.server?.[0];
    if (server) counts.set(server, (counts.get(server) ?? 0) + 1);
    for (const m of proxyMarksOf((h) => p.headers[h]?.[0])) marks.add(m);
  }
  const server = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const software = softwareOf(server);
  const proxyMarks = [...marks];
  // nginx's Server header alone does not tell a reverse proxy (which hides the origin's Server
  // header by default and adds no Via) from nginx running PHP itself through FastCGI. A missing
  // .php answered by nginx itself (or PHP-FPM) shows nginx hands .php to PHP: not taken for a
  // proxy then. Otherwise nginx may be either, and the findings say so.
  const missingPhp = missingPhpOf(probes);
  const nginxRunsPhp = software === 'nginx' && (missingPhp === 'server' || missingPhp === 'fastcgi');
  return { server, software, proxyMarks, proxied: proxyMarks.length > 0 || software === 'cdn' || (software === 'nginx' && !nginxRunsPhp), missingPhp };
}

export function computeFacts(obs: Observations): Facts {
  const base = obs.target;
  const b = new URL(base);
  const byId = new Map(obs.probes.map((p) => [p.id, p]));
  const challengeCache = new Map<string, Challenge[]>();
  const pathOf = (p: Probe) => {
    const u = new URL(p.url);
    const rel = u.pathname.startsWith(b.pathname) ? u.pathname.slice(b.pathname.length) : u.pathname;
    return rel + u.search;
  };
  const challenges = (p: Probe) => {
    let c = challengeCache.get(p.id);
    if (!c) {
      c = challengesOf(p);
      challengeCache.set(p.id, c);
    }
    return c;
  };
  const now = new Date(Date.parse(obs.startedAt) || 0);
  const setCookies: SetCookieSeen[] = [];
  for (const p of obs.probes) {
    for (const hop of p.chain) {
      for (const line of hop.headers['set-cookie'] ?? []) {
        setCookies.push({ probe: p.id, url: hop.url, judgement: judgeSetCookie(line, hop.url, { now, loopbackIsSecure: false }) });
      }
    }
  }
  const front = frontOf(obs.probes);
  return {
    base,
    byId,
    unauthorized: obs.probes.filter((p) => p.status === 401),
    pathOf,
    find: (path, auth = 'none') => obs.probes.find((p) => p.auth === auth && pathOf(p) === path),
    challenges,
    basicChallenge: (p) => serverChallengeIn(p.status, challenges(p)),
    header: (p, name) => p.headers[name.toLowerCase()]?.[0],
    restIndex: obs.discovery.restIndex,
    front,
    cacheHits: (p) => cacheHits((h) => p.headers[h]?.[0]),
    setCookies,
    now,
    host: b.hostname.toLowerCase(),
    bridge: computeBridgeFacts(obs, front.server),
  };
}
