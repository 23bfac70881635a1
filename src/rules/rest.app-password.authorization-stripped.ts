// The application password is sent, WordPress answers 401 "not logged in"
// with no Basic challenge, while the REST index advertises application
// passwords: the Authorization header was lost between the client and PHP.
// From outside, the Server/Via headers decide between the web server
// (PHP-FPM/CGI without CGIPassAuth) and a proxy in front of it. With the
// companion plugin the probe ledger decides: the request reached PHP without
// Authorization (lost before PHP), and PHP's SAPI and the proxy marks PHP
// sees say whether the web server or a proxy dropped it.
import type { Culprit, Evidence, Finding } from '../model.js';
import { ledgerEv } from '../facts/bridge.js';
import { MISSING_PHP_PATH } from '../observations/probe.js';
import { readCredentials } from '../facts/credentials.js';
import type { Rule } from './types.js';
import { describe, headerEv, noteEv, probeEv } from './util.js';

const NOT_SEEN = new Set(['rest_not_logged_in', 'rest_forbidden_context', 'rest_forbidden', 'rest_cannot_view']);

export const authorizationStrippedRule: Rule = {
  meta: { id: 'rest.app-password.authorization-stripped', title: 'Authorization header lost before WordPress', layer: 'server', requires: ['probes'] },
  evaluate(obs, f) {
    if (!obs.credentials.appPassword) return [];
    const me = f.find('wp-json/wp/v2/users/me', 'app-password');
    if (me?.status !== 401 || f.basicChallenge(me) || !me.body?.restError || !NOT_SEEN.has(me.body.restError.code)) return [];
    const bridge = f.bridge;
    const entry = bridge?.ledger(me);
    // the ledger knows: the header arrived (a wrong password, not this case) or the probe never reached PHP (another layer's 401)
    const proven = bridge !== null && entry !== undefined;
    if (proven && (entry === null || !entry.reachedPhp || entry.authorizationHeader)) return [];
    if (!proven && !f.restIndex?.authentication.includes('application-passwords')) return [];
    // The discriminating probes (src/facts/credentials.ts): wrong credentials are wordpress.app-password.refused's;
    // when nothing separated them, this finding is only possible and names the other candidates.
    const reading = readCredentials(obs, f);
    if (reading && ['wrong-app-password', 'unknown-user', 'wrong-credentials'].includes(reading.verdict)) return [];
    const undecided = !proven && reading?.verdict !== 'header-lost';
    const ruledOut = reading?.ruledOut.length ? ` ${reading.ruledOut.join(' ')}` : '';
    const origin = obs.probes.find((p) => p.source === 'origin' && p.auth === 'app-password' && f.pathOf(p) === 'wp-json/wp/v2/users/me');
    const originOk = origin !== undefined && origin.status === 200;
    // From outside, where the header is lost is a guess from the Server/Via headers (a proxy without marks, nginx's
    // fastcgi_param and Apache's CGIPassAuth look alike): possible, all named — likely only with the ledger or --origin.
    const confidence: Finding['confidence'] = proven || originOk ? 'likely' : 'possible';
    const where = proven || originOk ? '' : ' Where it is lost cannot be seen from outside: PHP-FPM or CGI under Apache without CGIPassAuth, nginx running PHP-FPM without `fastcgi_param HTTP_AUTHORIZATION`, or a proxy or CDN in front that does not forward it — the fixes cover each; the companion plugin tells them apart.';
    const originRefused = origin !== undefined && origin.status === 401;
    const outsideMarks = f.front.software === 'cdn' || f.front.proxyMarks.length > 0;
    const edge = bridge ? originOk || (!originRefused && (bridge.proxyMarks.length > 0 || outsideMarks)) : originOk || (!originRefused && f.front.proxied);
    const evidence: Evidence[] = [
      probeEv(me, `${describe(f, me)} ${me.body.restError.code}, no WWW-Authenticate challenge`),
      ...(bridge && entry
        ? [
            ledgerEv(me, entry, ['reachedPhp', 'authorizationHeader']),
            noteEv(`the companion plugin's ledger: this request reached PHP, and no Authorization header arrived with it (HTTP_AUTHORIZATION, REDIRECT_HTTP_AUTHORIZATION and PHP_AUTH_USER all empty)`),
            { kind: 'bridge', fact: 'php.sapi', value: bridge.env.php.sapi } as Evidence,
            { kind: 'bridge', fact: 'server.software', value: bridge.env.server.software } as Evidence,
            ...bridge.proxyMarks.map((m) => noteEv(`a proxy in front: ${m}`)),
          ]
        : [noteEv('the REST index lists "application-passwords" under authentication: WordPress would accept them')]),
      ...headerEv(me, 'server'),
      ...headerEv(me, 'via'),
    ];
    if (origin) evidence.push(probeEv(origin, `the same request straight to the origin (--origin) → ${origin.status}`));
    const missing = obs.probes.find((p) => p.status === 404 && new URL(p.url).pathname.endsWith(`/${MISSING_PHP_PATH}`));
    if (missing && f.front.missingPhp) evidence.push(probeEv(missing, `a PHP file that does not exist → 404 answered by ${f.front.missingPhp === 'wordpress' ? 'WordPress (requests rewritten to WordPress)' : f.front.missingPhp === 'fastcgi' ? 'PHP-FPM ("File not found.")' : 'the web server itself'}`));
    for (const ev of reading?.evidence ?? []) if (!(ev.kind === 'probe' && ev.probe === me.id)) evidence.push(ev);
    const candidates = undecided
      ? ' Possible causes, which what was sent cannot tell apart here: the header is lost on the way (below), the application password is wrong or revoked, or the user name is not a WordPress login (the application password\'s name used as the user name is a common mix-up). To tell: log in at wp-login.php with that user name ("is not registered" means the name is wrong), switch XML-RPC on for a moment, or install the companion plugin, whose ledger shows whether the header arrived.'
      : '';
    const nginxFastcgi = bridge ? /nginx/i.test(bridge.env.server.software) : f.front.software === 'nginx';
    const walkthrough =
      'wp401 sent the application password in an Authorization header. WordPress answered as if no credentials came at all (' +
      (bridge && entry
        ? `${me.body.restError.code}). The companion plugin's ledger proves it: the request reached PHP, but without any Authorization header, so the header was removed on the way — not refused by WordPress. `
        : `${me.body.restError.code}, and no Basic challenge, so it was not the web server asking for a password), while its REST index says application passwords are available.${ruledOut}${candidates}${nginxFastcgi ? '' : where} `);
    const wrongPassword = 'If the header does reach PHP, the application password itself is wrong or was revoked: create a new one under Users → Profile → Application Passwords and scan again.';
    // nginx running PHP itself (its SERVER_SOFTWARE inside PHP; from outside, nginx answering a
    // missing .php itself): nginx passes every request header to FastCGI as HTTP_* by default, so
    // the header is lost only by a `fastcgi_param HTTP_AUTHORIZATION …` line — CGIPassAuth is Apache's.
    const serverCulprit: Culprit = nginxFastcgi
      ? { kind: 'server-config', name: 'fastcgi_param' }
      : !bridge || bridge.cgi
        ? { kind: 'server-config', name: 'CGIPassAuth' }
        : { kind: 'server-config', name: 'Authorization' };
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
            : bridge?.proxyMarks.length
              ? `PHP sees a proxy in front (${bridge.proxyMarks.join('; ')}), which does not pass the header on to WordPress.`
              : `The answer comes through ${f.front.server ?? 'a proxy'}${f.front.proxyMarks.length ? ` (${f.front.proxyMarks.join(', ')})` : ''}, which does not pass the header on to WordPress.`),
        evidence,
        fixes: [
          'nginx reverse proxy: in the location that proxies to WordPress add `proxy_set_header Authorization $http_authorization;` and remove any `proxy_set_header Authorization "";` line, then reload nginx.',
          'nginx with PHP-FPM directly: add `fastcgi_param HTTP_AUTHORIZATION $http_authorization;` to the PHP location.',
          'CDN or load balancer: forward the Authorization header to the origin (and never cache responses to requests that carry it).',
          ...(originOk ? [] : ['Run the scan again with --origin http://<origin-address>/ to compare the origin directly.', ...(proven || reading?.verdict === 'header-lost' ? [] : [wrongPassword])]),
        ],
        confidence,
      };
    } else {
      finding = {
        id: 'rest.app-password.authorization-stripped',
        severity: 'error',
        layer: 'server',
        culprit: serverCulprit,
        title: 'The web server does not pass the Authorization header to PHP',
        explanation:
          walkthrough +
          (bridge
            ? `PHP runs as ${bridge.env.php.sapi} under ${bridge.env.server.software || 'the web server'} and sees no proxy in front: ` +
              (nginxFastcgi
                ? 'nginx runs PHP through FastCGI itself and passes every request header to it by default, so a `fastcgi_param HTTP_AUTHORIZATION` line in its PHP location (an empty value, often left from an nginx Basic lock) replaces the header WordPress needs.'
                : bridge.cgi
                  ? 'PHP running as FPM/CGI under Apache does not receive Authorization unless told to (CGIPassAuth), so WordPress never sees the application password.'
                  : 'the web server configuration does not hand the Authorization header to PHP.')
            : nginxFastcgi
              ? `The site is served by ${f.front.server ?? 'nginx'} with no proxy marks, and nginx answers a missing .php file itself${f.front.missingPhp === 'fastcgi' ? ' (PHP-FPM\'s "File not found.")' : ' (its own 404 page, not WordPress\'s)'}: nginx hands .php to PHP-FPM through FastCGI itself. nginx passes every request header to FastCGI by default, so a \`fastcgi_param HTTP_AUTHORIZATION\` line in its PHP location (an empty value, often left from an nginx Basic lock) is what replaces the header. Possible too: a reverse proxy without marks in front of that nginx (\`proxy_set_header Authorization ""\`) — the companion plugin tells them apart.`
              : `The site is served by ${f.front.server ?? 'a web server'} with no sign of a proxy in front: PHP running as FPM/CGI under Apache does not receive Authorization unless told to, so WordPress never sees the application password.`),
        evidence,
        fixes: [
          ...(nginxFastcgi ? ['nginx with PHP-FPM: in the PHP location remove `fastcgi_param HTTP_AUTHORIZATION "";` (nginx then passes the header by default), or set `fastcgi_param HTTP_AUTHORIZATION $http_authorization;`, then reload nginx.'] : []),
          ...(nginxFastcgi
            ? [...(bridge ? [] : ['A reverse proxy in front of nginx, if there is one: `proxy_set_header Authorization $http_authorization;` and no `proxy_set_header Authorization "";`.'])]
            : [
                'Apache 2.4.13 or later: add `CGIPassAuth On` to the site\'s <Directory> block (or the top of .htaccess when AllowOverride permits it).',
                'Or, in .htaccess or the vhost: `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1`',
                'Or keep WordPress\'s own rewrite line in .htaccess: `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` inside the `# BEGIN WordPress` block.',
              ]),
          ...(proven || reading?.verdict === 'header-lost' ? [] : [wrongPassword]),
        ],
        // from outside, where the header is lost (nginx's fastcgi_param, CGIPassAuth, a proxy) is only possible
        confidence,
      };
    }
    return [finding];
  },
};

