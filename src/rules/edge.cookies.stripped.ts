// WordPress's login page answers without any cookie, and the login post is
// refused for lack of cookies: something between PHP and the client removes
// Set-Cookie (and a browser then has no cookie to send back).
//
// The mechanism, from WordPress core's wp-login.php: every request to it sets
// the test cookie (setcookie( TEST_COOKIE, 'WP Cookie check', … ) before
// login_init, unconditionally); the login post answers the test_cookie error
// ("Cookies are blocked or not supported by your browser") when
// $_COOKIE[TEST_COOKIE] is empty. So a login page that WordPress rendered
// (its own markup) and that arrives with no Set-Cookie at all lost the header
// after PHP. A cache proxy that strips cookies "for a better hit rate" does
// exactly that: Varnish's `unset beresp.http.Set-Cookie` in
// vcl_backend_response and `unset req.http.Cookie` in vcl_recv (the
// builtin VCL only passes such requests; a custom VCL removes them).
// Black box, the candidates are the proxy in front when its marks are there
// (Via, X-Varnish…), else a proxy without marks or a server rule
// (`Header unset Set-Cookie`); a plugin that calls header_remove() is
// possible too. With the companion plugin, the ledger shows the login page
// reached PHP (so core set the cookie) and the login post reached PHP with no
// cookie at all.
import type { Evidence, Probe } from '../model.js';
import type { Rule } from './types.js';
import { ledgerEv } from '../facts/bridge.js';
import { headerEv, noteEv, probeEv } from './util.js';

const WP_COOKIE = /^\s*(wordpress|wp-settings)/i;

export const cookiesStrippedRule: Rule = {
  meta: { id: 'edge.cookies.stripped', title: "WordPress's cookies never arrive", layer: 'edge', requires: ['probes', 'login'] },
  evaluate(obs, f) {
    const login = obs.login;
    if (!login || (login.outcome !== 'cookies-blocked' && login.outcome !== 'loop') || login.authCookiesSet.length > 0) return [];
    // Login pages WordPress rendered itself, answered directly (no redirect), none from a cache (that is cached-login's case).
    const pages = obs.probes.filter((p) => p.method === 'GET' && p.status === 200 && p.chain.length === 1 && p.body?.pageKind === 'wp-login' && /wp-login\.php$/.test(new URL(p.url).pathname));
    if (pages.length === 0 || pages.some((p) => f.cacheHits(p).length > 0)) return [];
    const setsCookie = (p: Probe) => p.chain.some((h) => (h.headers['set-cookie'] ?? []).some((c) => WP_COOKIE.test(c)));
    if (pages.some(setsCookie)) return [];
    const post = f.byId.get(login.probe);
    if (post && setsCookie(post)) return [];
    const bridge = f.bridge;
    const page = pages.find((p) => p.source === 'login') ?? (pages[0] as Probe);
    const marks = [...new Set([...f.front.proxyMarks, ...(bridge?.proxyMarks ?? []), ...(f.front.software === 'cdn' && f.front.server ? [`server: ${f.front.server}`] : [])])];
    const proxied = marks.length > 0;
    const pageEntry = bridge?.ledger(page);
    const postEntry = post ? bridge?.ledger(post) : undefined;
    const reached = pageEntry?.reachedPhp === true;
    const evidence: Evidence[] = [
      probeEv(page, `GET /${f.pathOf(page)} → 200, WordPress's login page, with no Set-Cookie (core sets wordpress_test_cookie on every login page)`),
      ...headerEv(page, 'via'),
      ...headerEv(page, 'x-varnish'),
      ...headerEv(page, 'server'),
    ];
    if (post) evidence.push(probeEv(post, `login form posted → ${post.status}${login.message ? `: "${login.message.slice(0, 120)}"` : ''}`));
    if (bridge && pageEntry) evidence.push(ledgerEv(page, pageEntry, ['reachedPhp', 'cookieNames']));
    if (bridge && post && postEntry) evidence.push(ledgerEv(post, postEntry, ['reachedPhp', 'cookieNames']));
    const seenInPhp = reached ? ` The companion plugin's ledger shows the login page reached PHP, so wp-login.php ran and set the cookie; ${postEntry ? `the login post reached PHP ${postEntry.cookieNames.length ? `with the cookies ${postEntry.cookieNames.join(', ')}` : `with no cookie at all${(post?.requestHeaders.cookie ?? []).length === 0 ? ' (wp401 had received none to send back)' : ''}`}` : 'the login post was not in the ledger'}.` : '';
    const where = proxied
      ? `The answers come through a proxy (${marks.join('; ')}) that removes Set-Cookie from WordPress's answers (and so the browser has no cookie to send back).`
      : 'No proxy marks are visible: a proxy that adds none, a web-server rule (`Header unset Set-Cookie`) or a plugin removing the header (header_remove) can do this.';
    return [
      {
        id: 'edge.cookies.stripped',
        severity: 'error',
        layer: 'edge',
        culprit: proxied ? { kind: 'proxy', name: 'Cookie' } : null,
        title: proxied ? "A proxy in front of the site removes WordPress's cookies: no login can stick" : "WordPress's cookies never arrive: no login can stick",
        explanation:
          `WordPress's login page sets a test cookie every time it is shown, and the login refuses to go on without it${login.outcome === 'cookies-blocked' ? ` — the login here ended with WordPress's own message${login.message ? ` "${login.message.slice(0, 120)}"` : ''}` : ''}. ` +
          `Yet ${pages.length === 1 ? 'the login page' : `all ${pages.length} login pages`} wp401 received carried no Set-Cookie at all, and the login set no auth cookie either. ${where}${seenInPhp}`,
        evidence: [...evidence, noteEv('application passwords need no cookie: they are not affected')],
        fixes: [
          'Varnish: do not `unset beresp.http.Set-Cookie` or `unset req.http.Cookie` for /wp-login.php, /wp-admin/ and requests carrying wordpress_* cookies; pass them (`return (pass);`) instead, as a WordPress VCL does.',
          'Another cache or CDN: bypass the cache for /wp-login.php, /wp-admin/ and logged-in visitors, and forward Set-Cookie and Cookie there.',
          ...(proxied ? [] : ['Web server: look for `Header unset Set-Cookie` (Apache) or `proxy_hide_header Set-Cookie` / `fastcgi_hide_header Set-Cookie` (nginx).']),
        ],
        confidence: proxied && reached ? 'likely' : 'possible',
      },
    ];
  },
};
