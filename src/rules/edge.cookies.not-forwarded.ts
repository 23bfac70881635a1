// The login sets WordPress's cookies, a browser would keep them, yet the
// next request is treated as logged out: the cookies do not reach WordPress.
// With a proxy in front (Server: nginx, Via…) that proxy drops the Cookie
// header.
import type { Evidence, Probe } from '../model.js';
import type { Rule } from './types.js';
import { ledgerEv } from '../facts/bridge.js';
import { headerEv, noteEv, probeEv } from './util.js';

export const cookiesNotForwardedRule: Rule = {
  meta: { id: 'edge.cookies.not-forwarded', title: 'Login cookies set but never honoured', layer: 'edge', requires: ['probes', 'login'] },
  evaluate(obs, f) {
    const login = obs.login;
    if (!login || (login.outcome !== 'cookies-blocked' && login.outcome !== 'loop')) return [];
    if (!login.authCookiesKept.some((n) => n.startsWith('wordpress_logged_in_'))) return [];
    const loginProbes = obs.probes.filter((p) => p.source === 'login' || f.pathOf(p).startsWith('wp-login.php'));
    if (loginProbes.some((p) => f.cacheHits(p).length > 0)) return []; // a cached login page: cached-login's case
    if (f.setCookies.some((c) => c.judgement.wordpress && c.judgement.problems.some((p) => p.code === 'domain-mismatch' || p.code === 'secure-over-http'))) return [];
    const post = f.byId.get(login.probe) as Probe | undefined;
    const evidence: Evidence[] = [
      noteEv(`login outcome: ${login.outcome}; auth cookies set: ${login.authCookiesSet.join(', ')}; kept by a browser-like jar: ${login.authCookiesKept.join(', ')}`),
    ];
    if (post) evidence.unshift(probeEv(post, `login form posted → ${post.status}${login.message ? `: "${login.message.slice(0, 120)}"` : ''}`), ...headerEv(post, 'server'), ...headerEv(post, 'via'));
    const proxied = f.bridge ? f.bridge.proxyMarks.length > 0 || f.front.software === 'cdn' || f.front.proxyMarks.length > 0 : f.front.proxied;
    let ledgerCited = false;
    if (f.bridge) {
      const after = obs.probes.filter((p) => (p.requestHeaders.cookie ?? []).length > 0 && f.bridge?.ledger(p));
      ledgerCited = after.length > 0;
      for (const p of after.slice(0, 2)) {
        const e = f.bridge.ledger(p);
        if (e) evidence.push(ledgerEv(p, e, ['reachedPhp', 'cookieNames']), noteEv(`${p.method} /${f.pathOf(p)} was sent with cookies; PHP received ${e.cookieNames.length ? e.cookieNames.join(', ') : 'none'}`));
      }
      evidence.push(...f.bridge.proxyMarks.map((m) => noteEv(`a proxy in front: ${m}`)));
    }
    return [
      {
        id: 'edge.cookies.not-forwarded',
        severity: 'error',
        layer: proxied ? 'edge' : 'server',
        culprit: proxied ? { kind: 'proxy', name: 'Cookie' } : { kind: 'server-config', name: 'Cookie' },
        title: proxied ? 'A proxy in front of the site drops the login cookies' : 'The login cookies never reach WordPress',
        explanation:
          'The correct password was accepted and WordPress set its login cookies with valid scope and flags (a browser keeps them), but the next request still came back to the login form: WordPress never received the cookies. ' +
          (proxied
            ? `The site answers through ${f.front.server ?? 'a proxy'}${f.front.proxyMarks.length ? ` (${f.front.proxyMarks.join(', ')})` : ''}, which removes the Cookie header before it reaches WordPress.`
            : 'Something between the client and PHP removes the Cookie header (a proxy without its own Server header, a server rule, or a plugin that unsets $_COOKIE).'),
        evidence,
        fixes: [
          'nginx reverse proxy: remove `proxy_set_header Cookie "";` (and any `proxy_pass_request_headers off;`) from the location that proxies to WordPress; nginx passes cookies by default.',
          'CDN or load balancer: forward cookies (at least wordpress_*, wordpress_logged_in_* and wp-settings-*) to the origin for /wp-admin/, /wp-login.php and /wp-json/.',
          'Varnish: do not `unset req.http.Cookie` for /wp-admin/, /wp-login.php or requests with wordpress_logged_in_ cookies.',
        ],
        // only the ledger shows the cookies were sent and never arrived; from outside a proxy, a server rule or a plugin are alike
        confidence: ledgerCited ? 'likely' : 'possible',
      },
    ];
  },
};
