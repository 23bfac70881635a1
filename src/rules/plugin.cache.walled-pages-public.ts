// A page cache serves pages that the site otherwise keeps behind a login.
//
// Mechanism (WordPress core, wp-settings.php): when WP_CACHE is true,
// wp-content/advanced-cache.php is included before any plugin — before the
// must-use plugins even — and a page cache answers from its store there and
// exits. A login wall ("members only", "force login", restricted-access
// plugins) runs much later, on template_redirect (or init) of a full
// WordPress load, so it never sees a visitor the cache answered: pages stored
// while the wall was off (or for someone it let through) stay public until the
// cache is purged, while every page not in the store redirects to the login.
// A proxy cache in front of the site (Varnish, nginx proxy_cache, a CDN) does
// the same from outside. The zone map shows it: among the anonymous
// front-end pages, some demand a WordPress login and others answer 200 from a
// cache, while no page WordPress rendered itself (no cache mark) was public —
// the wall covers every page it sees, so the public ones are public only
// because the cache answered (a site with a few private pages among public
// ones renders public pages fresh too, and is left alone). From outside the two caches look alike (a cache HIT header); the
// companion plugin separates them — it sees the drop-in and WP_CACHE, and
// the cached answers never reach PHP while the walled ones do (its ledger
// names the code that sent the redirect).
import { ledgerEv } from '../facts/bridge.js';
import { demandOf } from '../facts/zones.js';
import type { Evidence, Probe } from '../model.js';
import type { Rule } from './types.js';
import { noteEv, probeEv } from './util.js';

/** WordPress's own non-page paths: the login, the admin, REST, XML-RPC, assets. */
const NOT_A_PAGE = /^(wp-login\.php|wp-admin\/|wp-json\/|wp-content\/|wp-includes\/|xmlrpc\.php|wp-cron\.php|favicon\.ico|robots\.txt|.*sitemap.*\.xml)/;

const CDN_HIT = /^(cf-cache-status|x-served-by|x-sucuri-cache)/;

export const walledPagesCachedRule: Rule = {
  meta: { id: 'plugin.cache.walled-pages-public', title: 'A page cache serves pages the site keeps behind a login', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const pages = obs.probes.filter((p) => p.auth === 'none' && p.method === 'GET' && p.status > 0 && !p.url.includes('rest_route=') && !NOT_A_PAGE.test(f.pathOf(p)));
    const walled = pages.filter((p) => demandOf(p).kind === 'wordpress-login');
    const cached = pages.filter((p) => p.status === 200 && demandOf(p).kind === 'none' && f.cacheHits(p).length > 0);
    // A page WordPress rendered itself (no cache mark) that a visitor may read means the wall is not
    // site-wide: then cached public pages can be public by design, and nothing here says otherwise.
    const html = (p: Probe) => /html/i.test(p.body?.contentType ?? p.headers['content-type']?.[0] ?? '');
    const freshPublic = pages.filter((p) => p.status === 200 && demandOf(p).kind === 'none' && f.cacheHits(p).length === 0 && html(p));
    if (walled.length === 0 || cached.length === 0 || freshPublic.length > 0) return [];
    const seen = new Set<string>();
    const once = (ps: Probe[]) =>
      ps.filter((p) => {
        if (seen.has(f.pathOf(p))) return false;
        seen.add(f.pathOf(p));
        return true;
      });
    const shownCached = once(cached).slice(0, 3);
    const shownWalled = once(walled).slice(0, 3);
    const evidence: Evidence[] = [
      ...shownCached.map((p) => probeEv(p, `GET /${f.pathOf(p)} → ${p.status} for a visitor who is not logged in, ${f.cacheHits(p).join(', ')}`)),
      ...shownWalled.map((p) => probeEv(p, `GET /${f.pathOf(p)} → ${p.status} to the login (${(p.chain[0]?.location ?? '').slice(0, 100)})`)),
    ];
    for (const p of shownCached.slice(0, 2)) for (const h of ['x-cache', 'age', 'cf-cache-status', 'x-litespeed-cache']) if (p.headers[h]) evidence.push({ kind: 'header', probe: p.id, name: h, value: (p.headers[h] ?? []).join(', ').slice(0, 80) });

    const marks = shownCached.flatMap((p) => f.cacheHits(p));
    const outside = marks.some((m) => CDN_HIT.test(m)) || f.front.software === 'cdn' || f.front.proxyMarks.length > 0;
    const bridge = f.bridge;
    const dropin = bridge?.dropin('advanced-cache.php');
    const pageCache = dropin?.active === true && bridge?.env.wpCache === true;
    const unseen = bridge ? shownCached.filter((p) => bridge.reachedPhp(p) === false) : [];
    const wallEntry = bridge ? bridge.ledger(shownWalled[0] as Probe) : undefined;
    const wall = wallEntry && bridge ? bridge.stopOwner(wallEntry) : null;
    if (bridge && dropin) evidence.push({ kind: 'bridge', fact: 'dropins.advanced-cache.php', value: { active: dropin.active, name: dropin.name, wpCache: bridge.env.wpCache } });
    if (unseen.length) evidence.push(...unseen.slice(0, 2).map((p) => ledgerEv(p, null)), noteEv(`the companion plugin never saw ${unseen.length === 1 ? 'this cached page' : `these ${unseen.length} cached pages`}: they were answered before WordPress loaded any plugin`));
    // the ledger entry of a followed redirect is the login page's; it names the wall only when the wall set the status itself
    if (wall && wallEntry && shownWalled[0]) evidence.push(ledgerEv(shownWalled[0], wallEntry, ['reachedPhp', 'status', 'statusSetBy']));
    // the cache is the site's own only when the bridge shows the drop-in and no proxy in front
    const own = pageCache && !(bridge?.proxyMarks.length ?? 0) && !marks.some((m) => CDN_HIT.test(m));
    const edge = !own && outside;
    const wallWords = wall ? `${wall.type === 'mu-plugin' ? 'the must-use plugin' : wall.type === 'plugin' ? 'the plugin' : wall.type} ${wall.slug}` : 'a login wall (a "members only" or "force login" plugin, or the theme)';
    const which = own
      ? `The companion plugin shows the site's own page cache: wp-content/advanced-cache.php is active with WP_CACHE${dropin?.name && dropin.name !== 'advanced-cache.php' ? ` (written by ${dropin.name})` : ''}${unseen.length ? ', and the cached pages never reached WordPress\'s plugins' : ''}.`
      : edge
        ? 'The cache marks belong to a proxy or CDN in front of the site.'
        : 'From outside a page-cache plugin (wp-content/advanced-cache.php) and a proxy cache in front of the site (Varnish, nginx, a CDN) look the same: both answer with a cache HIT before any plugin runs. The companion plugin tells them apart.';
    return [
      {
        id: 'plugin.cache.walled-pages-public',
        severity: 'error',
        layer: edge ? 'edge' : 'plugin',
        culprit: edge ? { kind: 'proxy', name: 'cache' } : { kind: 'drop-in', name: 'advanced-cache.php', file: 'wp-content/advanced-cache.php' },
        title: `Pages the site keeps behind a login are served publicly from a cache (${shownCached.map((p) => `/${f.pathOf(p)}`).join(', ')})`,
        explanation:
          `Visitors who are not logged in are sent to the login by ${wallWords} on ${walled.length} page${walled.length === 1 ? '' : 's'} (/${f.pathOf(shownWalled[0] as Probe)}${shownWalled.length > 1 ? ', …' : ''}), yet ${cached.length === 1 ? 'one page answers' : `${new Set(cached.map((p) => f.pathOf(p))).size} pages answer`} them 200 out of a cache (${marks.slice(0, 2).join(', ')}). ` +
          'A page cache answers from its store before WordPress loads any plugin, so a wall that runs later (template_redirect, init) never sees those visitors: pages stored before the wall went up, or for someone it let through, stay public until the cache is purged. ' +
          which,
        evidence,
        fixes: [
          'Purge the page cache now, then check the pages again as a visitor who is not logged in.',
          edge
            ? 'In the proxy or CDN, do not cache pages of a members-only site (or bypass the cache for every visitor without a wordpress_logged_in_ cookie).'
            : 'In the page-cache plugin, turn off caching for visitors who are not logged in while the site is members-only (or use the login-wall plugin\'s cache integration); advanced-cache.php answers before any plugin can check a login.',
          ...(wall ? [`The wall itself (${wall.slug}) works: it redirects every page the cache does not hold.`] : []),
        ],
        confidence: own || (edge && marks.some((m) => CDN_HIT.test(m))) ? 'likely' : 'possible',
      },
    ];
  },
};
