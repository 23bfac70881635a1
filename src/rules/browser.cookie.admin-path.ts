// The login set WordPress's auth cookie with a Path that does not cover the
// admin screens WordPress then sent the browser to, so the login bounces.
//
// The mechanism, from WordPress core:
//   - wp_set_auth_cookie() (wp-includes/pluggable.php) sets the auth cookie
//     (wordpress_<hash>, wordpress_sec_<hash> over https) twice, with Path
//     PLUGINS_COOKIE_PATH and with Path ADMIN_COOKIE_PATH; the logged-in
//     cookie goes to COOKIEPATH. No filter changes those paths.
//   - auth_redirect(), which guards every wp-admin screen, validates the auth
//     cookie only (wp_validate_auth_cookie with the auth/secure_auth scheme);
//     without it the visitor is sent to wp-login.php?reauth=1, which clears
//     the cookies — the login loops, while the front end, which reads the
//     logged-in cookie (Path COOKIEPATH), may show the user logged in.
//   - A browser sends a cookie only to paths its Path path-matches (RFC 6265
//     §5.1.4), so an auth cookie whose Path does not cover the admin URL never
//     reaches auth_redirect().
//   - Core's own ADMIN_COOKIE_PATH always covers the admin of the site that
//     sets it: SITECOOKIEPATH . 'wp-admin' on a single site
//     (wp_cookie_constants), SITECOOKIEPATH on a subdirectory network
//     (ms_cookie_constants, wp-includes/ms-default-constants.php). A Path that
//     does not is the constant defined before core's default: in
//     wp-config.php (or, on a network, in the sunrise.php drop-in, which loads
//     before ms_cookie_constants()).
// Black box: the Set-Cookie Path against the admin URL WordPress redirected
// the login to. With the companion plugin: the constant's value it reports.
import type { Evidence, Finding, Hop } from '../model.js';
import type { Rule } from './types.js';
import { noteEv, probeEv } from './util.js';
import { judgeSetCookie } from '../parse/set-cookie.js';

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (cookiePath === requestPath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

const AUTH_COOKIE = /^wordpress_(?:sec_)?[0-9a-f]{32}$/;

export const adminCookiePathRule: Rule = {
  meta: { id: 'browser.cookie.admin-path', title: "The auth cookie's path does not cover the admin", layer: 'browser', requires: ['probes', 'login'] },
  evaluate(obs, f) {
    const login = obs.login;
    if (!login || login.outcome === 'success' || login.outcome === 'skipped') return [];
    const post = f.byId.get(login.probe);
    if (!post) return [];
    // The hop whose answer set the auth cookies (the accepted login) and the admin URL it sent the browser to.
    const setIdx = post.chain.findIndex((h) => authCookiePaths(h, f.now).length > 0);
    const setHop = post.chain[setIdx];
    const adminHop = post.chain.slice(setIdx + 1).find((h) => /\/wp-admin(?:\/|$)/.test(new URL(h.url).pathname));
    if (!setHop || !adminHop) return [];
    const adminPath = new URL(adminHop.url).pathname;
    const bounced = post.chain.slice(post.chain.indexOf(adminHop) + 1).some((h) => /\/wp-login\.php$/.test(new URL(h.url).pathname));
    const paths = authCookiePaths(setHop, f.now);
    if (paths.some((p) => pathMatches(p.path, adminPath))) return [];
    const bridge = f.bridge;
    const constant = bridge?.env.cookies.adminPath ?? null;
    const uniquePaths = [...new Set(paths.map((p) => p.path))];
    const evidence: Evidence[] = [
      probeEv(post, `the login was accepted and sent on to ${adminPath}${bounced ? ', which sent it back to the login form' : ''} (login outcome: ${login.outcome})`),
      ...paths.map((p): Evidence => ({ kind: 'cookie', name: p.name, probe: post.id, reason: `auth cookie set with path ${p.path}, which does not path-match ${adminPath}` })),
      ...(bridge ? [{ kind: 'bridge', fact: 'cookies.adminPath', value: constant } as Evidence, { kind: 'bridge', fact: 'wordpress.multisite', value: bridge.env.wordpress.multisite } as Evidence] : []),
    ];
    const multisite = bridge?.env.wordpress.multisite;
    const coreDefault = multisite === false ? 'SITECOOKIEPATH plus wp-admin' : 'on a subdirectory network SITECOOKIEPATH (the network\'s path), on a single site SITECOOKIEPATH plus wp-admin';
    const finding: Finding = {
      id: 'browser.cookie.admin-path',
      severity: 'error',
      layer: 'browser',
      culprit: { kind: 'wp-config', name: 'ADMIN_COOKIE_PATH' },
      title: 'The login cookie is scoped away from the dashboard: the login bounces back to the form',
      explanation:
        `The right password was accepted: WordPress set its auth cookie with path ${uniquePaths.join(' and ')} and sent the browser on to ${adminPath}. A browser sends a cookie only to URLs under its path, so that auth cookie never reaches ${adminPath}; the dashboard (auth_redirect) finds no auth cookie${bounced ? ' and sent the login back to the form' : ' and cannot let the user in'}. ` +
        `WordPress core takes that path from the ADMIN_COOKIE_PATH constant, and its own default always covers the site's admin (${coreDefault}); a path that does not is a constant set in wp-config.php` +
        (constant !== null ? ` — the companion plugin reports ADMIN_COOKIE_PATH = "${constant}"${multisite ? ' on a multisite network' : ''}.` : ' (on a multisite network possibly in the sunrise.php drop-in).'),
      evidence: [...evidence, noteEv('core sets the auth cookie only with the paths ADMIN_COOKIE_PATH and PLUGINS_COOKIE_PATH (wp_set_auth_cookie); no filter changes them')],
      fixes: [
        `Remove the define( 'ADMIN_COOKIE_PATH', … ) line from wp-config.php so that core picks the right path${multisite === false ? '' : ' (on a subdirectory network: the network\'s path, /)'}; or set it to a path that covers ${adminPath}.`,
        'Then log in again (old cookies with the wrong path expire on their own).',
      ],
      confidence: 'likely',
    };
    return [finding];
  },
};

/** The auth cookies a hop set (not cleared), with their effective path. */
function authCookiePaths(h: Hop, now: Date): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const line of h.headers['set-cookie'] ?? []) {
    const j = judgeSetCookie(line, h.url, { now, loopbackIsSecure: false });
    if (j.name && AUTH_COOKIE.test(j.name) && !j.clearing) out.push({ name: j.name, path: j.path });
  }
  return out;
}
