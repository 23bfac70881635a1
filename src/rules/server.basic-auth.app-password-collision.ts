// Application passwords and a basic-auth lock both travel in the one
// Authorization header: a REST client can send only one of them, so behind a
// staging lock the application password is answered by the lock, not WordPress.
import type { Probe } from '../model.js';
import { ledgerEv } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { describe, headerEv, noteEv, probeEv } from './util.js';

export const appPasswordBasicCollisionRule: Rule = {
  meta: { id: 'server.basic-auth.app-password-collision', title: 'Application password and basic-auth lock collide', layer: 'server', requires: ['probes'] },
  evaluate(obs, f) {
    const app = obs.probes.filter((p) => p.auth === 'app-password' && f.basicChallenge(p));
    if (app.length === 0) return [];
    const first = app[0] as Probe;
    const realm = f.basicChallenge(first)?.realm;
    // the ledger: the application-password requests never reached PHP (WordPress never judged the password)
    const unseen = f.bridge ? app.filter((p) => f.bridge?.reachedPhp(p) === false) : [];
    return [
      {
        id: 'server.basic-auth.app-password-collision',
        severity: 'error',
        layer: 'server',
        culprit: { kind: 'credential', name: 'application-password' },
        title: 'The application password is answered by the HTTP lock, not by WordPress',
        explanation:
          `Requests carrying the application password got the web server's Basic challenge${realm ? ` (realm "${realm}")` : ''}: the server checked the application password as if it were the staging password and refused it. ` +
          'Both need the same Authorization header, and a request can carry only one, so REST clients using application passwords cannot pass a basic-auth lock.',
        evidence: [
          ...app.slice(0, 3).map((p) => probeEv(p, describe(f, p))),
          ...headerEv(first, 'www-authenticate'),
          ...unseen.slice(0, 2).map((p) => ledgerEv(p, null)),
          ...(unseen.length ? [noteEv('the companion plugin never saw these requests: the web server refused the application password before PHP ran')] : []),
        ],
        fixes: [
          'Exempt the REST API from the lock so the Authorization header is left to WordPress (Apache 2.4): `SetEnvIf Request_URI "^/wp-json/" wp401_rest` and `<RequireAny>` `Require env wp401_rest` `Require valid-user` `</RequireAny>`.',
          'Or lock the site by IP address (`Require ip …`) instead of a password, so Authorization stays free for application passwords.',
        ],
        confidence: 'likely',
      },
    ];
  },
};
