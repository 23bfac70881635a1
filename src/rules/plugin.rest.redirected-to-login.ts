// REST requests carrying a valid-looking application password are redirected
// to wp-login.php instead of being answered.
//
// Why a plugin (WordPress core's source):
//   - the REST API never redirects to the login: rest_api_loaded() (on
//     parse_request) serves JSON, and an unauthenticated or refused request gets
//     a JSON error (rest_not_logged_in, rest_forbidden…), not a 302;
//   - wp_authenticate_application_password() honours an application password
//     only when the request is an API request (REST_REQUEST or XMLRPC_REQUEST
//     defined, filter application_password_is_api_request); REST_REQUEST is
//     defined inside rest_api_loaded(). Code that checks is_user_logged_in()
//     earlier (on init, or parse_request before priority 10) sees an anonymous
//     visitor and, in a "members only" plugin, sends it to wp_login_url().
// The web server or a proxy cannot do this: the redirect's answer (the login
// page) comes from WordPress, and a server rule would not know who is logged in.
// The companion plugin's ledger names the plugin when it caught the redirect
// (its wp_redirect filter runs last and records the first file outside core
// on the call stack: the plugin that called wp_redirect());
// otherwise the active plugins that restrict access are the candidates.
import type { Evidence, Probe } from '../model.js';
import { blamedCulprit, blamedWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { isolateHint, probeEv } from './util.js';

const REST_PATHS = [/^wp-json(\/|$)/, /^\?rest_route=/];

export const restRedirectedToLoginRule: Rule = {
  meta: { id: 'plugin.rest.redirected-to-login', title: 'REST requests with an application password are sent to the login page', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const sent: Probe[] = obs.probes.filter((p) => {
      if (p.auth !== 'app-password' || p.error || p.chain.length < 2) return false;
      if (!REST_PATHS.some((re) => re.test(f.pathOf(p)))) return false;
      try {
        return new URL(p.finalUrl).pathname.endsWith('/wp-login.php');
      } catch {
        return false;
      }
    });
    if (sent.length === 0) return [];
    const first = sent[0] as Probe;
    const bridge = f.bridge;
    let blamed = null;
    const evidence: Evidence[] = sent.slice(0, 4).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} with the application password → ${p.chain[0]?.status ?? p.status} to ${p.finalUrl}`));
    for (const p of sent) {
      const e = bridge?.ledger(p);
      if (!e || !bridge) continue;
      // The ledger's wp_redirect() caller, when the redirect went to the login: the file that sent it.
      const sender = e.redirectedBy?.toLogin ? bridge.redirectOwner(e) : null;
      if (sender) {
        blamed = sender;
        evidence.push({ kind: 'bridge', fact: `ledger.${p.id}.redirectedBy`, value: { status: e.redirectedBy?.status, toLogin: true, plugin: sender.slug, hook: sender.hook ?? null, line: e.redirectedBy?.line ?? null } });
        break;
      }
      const who = bridge.stopOwner(e) ?? bridge.errorOwner(e);
      if (who) {
        blamed = who;
        evidence.push({ kind: 'bridge', fact: `ledger.${p.id}.stop`, value: { status: e.status, plugin: who.slug, hook: who.hook ?? null } });
        break;
      }
    }
    const candidates = bridge ? bridge.env.plugins.filter((p) => !p.bridge && (p.category === 'rest-restriction' || p.category === 'security')).map((p) => p.slug) : [];
    if (!blamed && candidates.length) evidence.push({ kind: 'bridge', fact: 'plugins.restricting', value: candidates });
    return [
      {
        id: 'plugin.rest.redirected-to-login',
        severity: 'error',
        layer: 'plugin',
        culprit: blamed ? blamedCulprit(blamed) : { kind: 'plugin', name: 'unknown' },
        title: 'REST requests with your application password are redirected to the login page',
        explanation:
          `${first.method} /${f.pathOf(first)} with the application password was redirected to ${first.finalUrl} instead of being answered. WordPress's REST API never redirects to the login; it answers JSON. ` +
          'A plugin that restricts the site to logged-in visitors checked the login before WordPress knew this was a REST request — application passwords are only honoured once REST_REQUEST is defined — so apps, integrations and the block editor with application passwords cannot use the API. ' +
          (blamed
            ? `The companion plugin saw who sent it: ${blamedWords(blamed)}.`
            : candidates.length
              ? `Possible: ${candidates.join(', or ')} (active plugins that restrict access, from the companion plugin's list); nothing in the answers tells them apart.`
              : 'Which plugin cannot be told from outside: the login page it lands on is WordPress\'s own.'),
        evidence,
        fixes: [
          'In the access-restriction plugin, allow the REST API (or its routes your apps use) for requests that carry credentials, or exempt /wp-json/ from the restriction.',
          ...(blamed ? [`Look at ${blamed.slug}'s settings.`] : []),
          ...(blamed ? [] : isolateHint(obs)),
        ],
        confidence: blamed ? 'confirmed' : 'possible',
      },
    ];
  },
};
