// The login page or the admin came out of a cache: the cached copy has no
// Set-Cookie (no test cookie, no session), so the login breaks with "cookies
// are blocked" or the admin shows someone else's page. A page cache on the
// origin (advanced-cache.php drop-in of a cache plugin) or a CDN. The
// companion plugin settles which: an active advanced-cache.php with WP_CACHE,
// and cached answers the bridge never saw (served before plugins load).
import { pluginsByHeaders, pluginsBySlugs } from '../catalog/index.js';
import type { Evidence, Probe } from '../model.js';
import { ledgerEv } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { noteEv, probeEv, settingsFix } from './util.js';

const CDN_HIT = /^(cf-cache-status|x-served-by|x-sucuri-cache)/;

export const cachedLoginRule: Rule = {
  meta: { id: 'plugin.cache.login-cached', title: 'Login or admin answers served from a cache', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const sensitive = (p: Probe) => {
      const path = f.pathOf(p);
      return path.startsWith('wp-login.php') || path.startsWith('wp-admin/') || p.source === 'login';
    };
    const hits = obs.probes.filter((p) => sensitive(p) && f.cacheHits(p).length > 0);
    if (hits.length === 0) return [];
    const first = hits[0] as Probe;
    const marks = f.cacheHits(first);
    const noCookie = hits.filter((p) => f.pathOf(p).startsWith('wp-login.php') && p.method === 'GET' && !(p.headers['set-cookie'] ?? []).length);
    const outsideCdn = marks.some((m) => CDN_HIT.test(m)) || f.front.software === 'cdn' || f.front.proxyMarks.some((m) => m.startsWith('via') || m === 'cf-ray' || m === 'x-served-by');
    const dropin = f.bridge?.dropin('advanced-cache.php');
    const pageCache = dropin?.active === true && f.bridge?.env.wpCache === true;
    const unseen = f.bridge ? hits.filter((p) => f.bridge?.reachedPhp(p) === false) : [];
    // a CDN mark wins unless the bridge shows the site's own page cache and no proxy in front
    const cdn = outsideCdn && !(pageCache && f.bridge?.proxyMarks.length === 0 && !marks.some((m) => CDN_HIT.test(m)));
    const known = [
      ...pluginsByHeaders(first.headers),
      ...pluginsBySlugs(obs.probes.flatMap((p) => (Array.isArray(p.body?.facts?.pluginSlugs) ? (p.body?.facts?.pluginSlugs as string[]) : []))),
      ...obs.probes.flatMap((p) => (Array.isArray(p.body?.facts?.pluginMarks) ? (p.body?.facts?.pluginMarks as string[]) : [])).flatMap((slug) => pluginsBySlugs([slug])),
    ].filter((m) => m.plugin.category === 'cache' || m.plugin.category === 'cdn');
    const evidence: Evidence[] = hits.slice(0, 4).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} → ${p.status}, ${f.cacheHits(p).join(', ')}`));
    for (const p of hits.slice(0, 2)) for (const h of ['x-cache', 'age', 'cf-cache-status', 'x-litespeed-cache']) if (p.headers[h]) evidence.push({ kind: 'header', probe: p.id, name: h, value: (p.headers[h] ?? []).join(', ').slice(0, 80) });
    if (noCookie.length) evidence.push(noteEv(`the cached wp-login.php came without any Set-Cookie (WordPress always sets wordpress_test_cookie there)`));
    if (obs.login) evidence.push(noteEv(`the HTTP login: ${obs.login.outcome}${obs.login.message ? ` — "${obs.login.message.slice(0, 100)}"` : ''}`));
    if (f.bridge && dropin) evidence.push({ kind: 'bridge', fact: 'dropins.advanced-cache.php', value: { active: dropin.active, name: dropin.name, wpCache: f.bridge.env.wpCache } });
    if (unseen.length) {
      evidence.push(...unseen.slice(0, 2).map((p) => ledgerEv(p, null)));
      evidence.push(noteEv(`the companion plugin never saw ${unseen.length === 1 ? 'this cached answer' : `these ${unseen.length} cached answers`}: ${pageCache ? 'advanced-cache.php served them before WordPress loaded its plugins' : 'they were served before WordPress loaded its plugins'}`));
    }
    const named = [...new Map(known.map((m) => [m.plugin.slug, m])).values()];
    // A plugin is "seen" only through a verified mark (its asset path, its own
    // header or page mark); a catalog hint (x-litespeed-cache comes from the
    // LiteSpeed server, cf-cache-status from Cloudflare's proxy) says only that
    // it may be installed.
    const seen = named.filter((m) => known.some((k) => k.plugin.slug === m.plugin.slug && k.confidence === 'verified'));
    const hinted = named.filter((m) => !seen.includes(m));
    const seenWords = seen.length ? `seen: ${seen.map((m) => m.plugin.name).join(', ')}` : '';
    const hintWords = hinted.length ? `possibly ${hinted.map((m) => `${m.plugin.name}, from ${m.mark} — a hint, not a mark of the plugin's own code`).join('; ')}` : '';
    return [
      {
        id: 'plugin.cache.login-cached',
        severity: 'error',
        layer: cdn ? 'edge' : 'plugin',
        culprit: cdn ? { kind: 'proxy', name: 'cache' } : { kind: 'drop-in', name: 'advanced-cache.php', file: 'wp-content/advanced-cache.php' },
        title: `The login${hits.some((p) => f.pathOf(p).startsWith('wp-admin/')) ? ' and admin' : ''} page is served from a cache`,
        explanation:
          `/${f.pathOf(first)} came from a cache (${marks.join(', ')}). A cached login page carries no Set-Cookie — no test cookie, no fresh form — so a correct password ends in "Cookies are blocked" or a login loop, and a cached admin page can show another user's screen. ` +
          (cdn
            ? 'The cache marks belong to a CDN or proxy in front of the site.'
            : pageCache
              ? `The companion plugin shows the site's own page cache: wp-content/advanced-cache.php is active (WP_CACHE is true)${dropin?.name && dropin.name !== 'advanced-cache.php' ? `, written by ${dropin.name}` : ''}${unseen.length ? ', and the cached answers never reached WordPress\'s plugins' : ''}.` +
                (seenWords || hintWords ? ` (${[seenWords, hintWords].filter(Boolean).join('; ')}).` : '')
              : 'No CDN marks: possibly the site\'s own page cache, which in WordPress is a page-cache plugin through the wp-content/advanced-cache.php drop-in' +
                ` (${seenWords || 'which plugin wrote it cannot be told from outside'}${hintWords ? `; ${hintWords}` : ''})` +
                ', or a proxy cache in front of the site that adds no Via header — from outside both look the same. The companion plugin tells them apart: it sees the drop-in and WP_CACHE, and never sees a request a cache answered.'),
        evidence,
        fixes: [
          ...(cdn
            ? ['Add a cache rule at the CDN/proxy: bypass the cache for /wp-login.php, /wp-admin/ and every request carrying a wordpress_logged_in_ or wordpress_sec_ cookie, and never cache responses that set cookies.']
            : [
                'In the page-cache plugin, exclude /wp-login.php and /wp-admin/ and turn off caching for logged-in users; then purge the cache.',
                'Open wp-content/advanced-cache.php: its header names the plugin that wrote it. Deleting it (and WP_CACHE in wp-config.php) switches the page cache off.',
              ]),
          ...settingsFix(named),
        ],
        // A bare cache HIT is left by a page-cache drop-in and a proxy cache alike: likely only when the
        // bridge shows the drop-in active (or the marks are a CDN's own headers).
        confidence: pageCache || (cdn && marks.some((m) => CDN_HIT.test(m))) ? 'likely' : 'possible',
      },
    ];
  },
};
