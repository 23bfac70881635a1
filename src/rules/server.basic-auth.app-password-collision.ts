// Application passwords and a basic-auth lock both travel in the one
// Authorization header: a REST client can send only one of them, so behind a
// staging lock the application password is answered by the lock, not WordPress.
// The lock is the web server's (.htaccess, vhost) or a plugin's sent from PHP
// (facts/answered-by.ts tells them apart); requests the lock leaves open and
// that passed with the application password are said to pass, never to be
// refused.
import type { Probe } from '../model.js';
import { challengeFrom } from '../facts/answered-by.js';
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
    const fromPhp = app.every((p) => challengeFrom(p, f.bridge?.reachedPhp(p)) === 'php');
    const passed = obs.probes.filter((p) => p.auth === 'app-password' && p.status >= 200 && p.status < 300 && !p.error);
    // the ledger: the application-password requests never reached PHP (WordPress never judged the password)
    const unseen = f.bridge ? app.filter((p) => f.bridge?.reachedPhp(p) === false) : [];
    const lock = fromPhp ? 'the Basic challenge a plugin sends from PHP' : "the web server's Basic challenge";
    return [
      {
        id: 'server.basic-auth.app-password-collision',
        severity: 'error',
        layer: fromPhp ? 'plugin' : 'server',
        culprit: { kind: 'credential', name: 'application-password' },
        title: 'The application password is answered by the HTTP lock, not by WordPress',
        explanation:
          `Requests carrying the application password got ${lock}${realm ? ` (realm "${realm}")` : ''}: ${app.slice(0, 3).map((p) => describe(f, p)).join(', ')}. The lock checked the application password as if it were its own password and refused it. ` +
          'Both need the same Authorization header, and a request can carry only one, so REST clients using application passwords cannot pass a basic-auth lock' +
          (passed.length
            ? ` — except where the lock lets requests through to WordPress: ${passed.slice(0, 3).map((p) => describe(f, p)).join(', ')} with the application password (WordPress accepted it there).`
            : '.'),
        evidence: [
          ...app.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)}: the lock's challenge`)),
          ...headerEv(first, 'www-authenticate'),
          ...passed.slice(0, 2).map((p) => probeEv(p, `${describe(f, p)}: passed, the lock leaves it open`)),
          ...unseen.slice(0, 2).map((p) => ledgerEv(p, null)),
          ...(unseen.length ? [noteEv('the companion plugin never saw these requests: the web server refused the application password before PHP ran')] : []),
        ],
        fixes: fromPhp
          ? [
              'Let the REST API through in the lock plugin\'s settings (most have an exception list for the REST API or for logged-in requests), so the Authorization header is left to WordPress.',
              'Or protect the staging site by IP address instead of a password, so Authorization stays free for application passwords.',
            ]
          : [
              'Exempt the REST API from the lock so the Authorization header is left to WordPress (Apache 2.4): `SetEnvIf Request_URI "^/wp-json/" wp401_rest` and `<RequireAny>` `Require env wp401_rest` `Require valid-user` `</RequireAny>`.',
              'Or lock the site by IP address (`Require ip …`) instead of a password, so Authorization stays free for application passwords.',
            ],
        confidence: 'likely',
      },
    ];
  },
};
