// Cookies marked Secure on a plain-http answer: WordPress believes the
// request is HTTPS (is_ssl() is true) while it is not. Browsers drop Secure
// cookies over http, so the login never sticks — usually a forced
// $_SERVER['HTTPS'] in wp-config.php, or a proxy header trusted blindly.
import type { Evidence } from '../model.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

export const secureCookieOverHttpRule: Rule = {
  meta: { id: 'browser.cookie.secure-over-http', title: 'Secure login cookies on plain http', layer: 'browser', requires: ['probes'] },
  evaluate(obs, f) {
    const bad = f.setCookies.filter((c) => c.url.startsWith('http:') && c.judgement.wordpress !== null && !c.judgement.clearing && c.judgement.secure);
    if (bad.length === 0) return [];
    const names = [...new Set(bad.map((c) => c.judgement.name ?? ''))].filter(Boolean);
    const evidence: Evidence[] = names.slice(0, 5).map((name) => {
      const c = bad.find((b) => b.judgement.name === name);
      return { kind: 'cookie', name, reason: `Secure on a response to ${c?.url ?? 'an http URL'}`, probe: c?.probe };
    });
    const home = f.restIndex?.home;
    if (home?.startsWith('https:') && f.base.startsWith('http:')) evidence.push(noteEv(`the REST index says home is ${home} while the site answered on ${f.base}`));
    if (obs.login) evidence.push(noteEv(`the HTTP login: ${obs.login.outcome}`));
    const env = f.bridge?.env;
    if (env && f.base.startsWith('http:')) {
      evidence.push({ kind: 'bridge', fact: 'wordpress.isSsl', value: env.wordpress.isSsl }, { kind: 'bridge', fact: 'server.https', value: env.server.https });
      if (env.wordpress.isSsl) evidence.push(noteEv(`the companion plugin, asked over http, sees is_ssl() = true (HTTPS = ${JSON.stringify(env.server.https)}${env.server.forwardedProto ? `, X-Forwarded-Proto: ${env.server.forwardedProto}` : ''}): WordPress believes plain http is HTTPS`));
    }
    return [
      {
        id: 'browser.cookie.secure-over-http',
        severity: 'error',
        layer: 'browser',
        culprit: { kind: 'wp-config', name: 'HTTPS' },
        title: 'WordPress sends Secure cookies over plain http',
        explanation:
          'Answers on http:// set WordPress cookies with the Secure flag, which WordPress only does when it believes the request came over HTTPS. A browser on http never stores or sends Secure cookies (loopback addresses aside), so the login test cookie and the login itself are lost and the login form comes back. ' +
          'The usual cause is `$_SERVER[\'HTTPS\'] = \'on\';` forced in wp-config.php (or a trusted X-Forwarded-Proto) on a site reached over http.',
        evidence,
        fixes: [
          "Remove the forced `$_SERVER['HTTPS'] = 'on';` from wp-config.php, or set it only when the proxy really terminated TLS: `if ( isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) && $_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https' ) { $_SERVER['HTTPS'] = 'on'; }`",
          'Or serve the site over https end to end, with https:// site and home URLs.',
        ],
        confidence: 'likely',
      },
    ];
  },
};
