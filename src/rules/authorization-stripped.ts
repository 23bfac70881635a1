// The application password is sent, WordPress answers 401 "not logged in"
// with no Basic challenge, while the REST index advertises application
// passwords: the Authorization header was lost between the client and PHP.
// From outside, the Server/Via headers decide between the web server
// (PHP-FPM/CGI without CGIPassAuth) and a proxy in front of it.
import type { Evidence, Finding } from '../model.js';
import type { Rule } from './types.js';
import { describe, headerEv, noteEv, probeEv } from './util.js';

const NOT_SEEN = new Set(['rest_not_logged_in', 'rest_forbidden_context', 'rest_forbidden', 'rest_cannot_view']);

export const authorizationStrippedRule: Rule = {
  meta: { id: 'rest.app-password.authorization-stripped', title: 'Authorization header lost before WordPress', layer: 'server', requires: ['probes'] },
  evaluate(obs, f) {
    if (!obs.credentials.appPassword) return [];
    const me = f.find('wp-json/wp/v2/users/me', 'app-password');
    if (me?.status !== 401 || f.basicChallenge(me) || !me.body?.restError || !NOT_SEEN.has(me.body.restError.code)) return [];
    if (!f.restIndex?.authentication.includes('application-passwords')) return [];
    const origin = obs.probes.find((p) => p.source === 'origin' && p.auth === 'app-password' && f.pathOf(p) === 'wp-json/wp/v2/users/me');
    const originOk = origin !== undefined && origin.status === 200;
    const originRefused = origin !== undefined && origin.status === 401;
    const edge = originOk || (!originRefused && f.front.proxied);
    const evidence: Evidence[] = [
      probeEv(me, `${describe(f, me)} ${me.body.restError.code}, no WWW-Authenticate challenge`),
      noteEv('the REST index lists "application-passwords" under authentication: WordPress would accept them'),
      ...headerEv(me, 'server'),
      ...headerEv(me, 'via'),
    ];
    if (origin) evidence.push(probeEv(origin, `the same request straight to the origin (--origin) → ${origin.status}`));
    const walkthrough =
      'wp401 sent the application password in an Authorization header. WordPress answered as if no credentials came at all (' +
      `${me.body.restError.code}, and no Basic challenge, so it was not the web server asking for a password), while its REST index says application passwords are available. `;
    const wrongPassword = 'If the header does reach PHP, the application password itself is wrong or was revoked: create a new one under Users → Profile → Application Passwords and scan again.';
    let finding: Finding;
    if (edge) {
      finding = {
        id: 'rest.app-password.authorization-stripped',
        severity: 'error',
        layer: 'edge',
        culprit: { kind: 'proxy', name: 'Authorization' },
        title: 'A proxy in front of the site drops the Authorization header',
        explanation:
          walkthrough +
          (originOk
            ? 'Sent straight to the origin the same request succeeds, so the proxy in front removes the header.'
            : `The answer comes through ${f.front.server ?? 'a proxy'}${f.front.proxyMarks.length ? ` (${f.front.proxyMarks.join(', ')})` : ''}, which does not pass the header on to WordPress.`),
        evidence,
        fixes: [
          'nginx reverse proxy: in the location that proxies to WordPress add `proxy_set_header Authorization $http_authorization;` and remove any `proxy_set_header Authorization "";` line, then reload nginx.',
          'nginx with PHP-FPM directly: add `fastcgi_param HTTP_AUTHORIZATION $http_authorization;` to the PHP location.',
          'CDN or load balancer: forward the Authorization header to the origin (and never cache responses to requests that carry it).',
          ...(originOk ? [] : ['Run the scan again with --origin http://<origin-address>/ to compare the origin directly.', wrongPassword]),
        ],
        confidence: 'likely',
      };
    } else {
      finding = {
        id: 'rest.app-password.authorization-stripped',
        severity: 'error',
        layer: 'server',
        culprit: { kind: 'server-config', name: 'CGIPassAuth' },
        title: 'The web server does not pass the Authorization header to PHP',
        explanation:
          walkthrough +
          `The site is served by ${f.front.server ?? 'a web server'} with no sign of a proxy in front: PHP running as FPM/CGI under Apache does not receive Authorization unless told to, so WordPress never sees the application password.`,
        evidence,
        fixes: [
          'Apache 2.4.13 or later: add `CGIPassAuth On` to the site\'s <Directory> block (or the top of .htaccess when AllowOverride permits it).',
          'Or, in .htaccess or the vhost: `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1`',
          'Or keep WordPress\'s own rewrite line in .htaccess: `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` inside the `# BEGIN WordPress` block.',
          wrongPassword,
        ],
        confidence: 'likely',
      };
    }
    return [finding];
  },
};

