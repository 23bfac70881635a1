// The staging lock's Basic credentials reach a plugin that takes every Basic
// header for a WordPress login: REST answers an authentication error
// (invalid_username, incorrect_password…) with HTTP 500 on requests that only
// carried the lock's user and password.
//
// The mechanism (WordPress core's source and the plugins of this kind):
//   - a site-wide Basic lock (AuthType Basic) lets a request through with its
//     credentials, and the web server leaves them in the request: PHP sees
//     them as PHP_AUTH_USER / PHP_AUTH_PW;
//   - "Basic authentication for the REST API" plugins (the WP-API team's
//     JSON Basic Authentication and its forks) hook determine_current_user,
//     call wp_authenticate() with whatever Basic credentials arrive, and hand
//     the WP_Error back on rest_authentication_errors;
//   - wp_authenticate()'s errors (wp_authenticate_username_password,
//     wp_authenticate_email_password in wp-includes/user.php: invalid_username,
//     invalid_email, incorrect_password, empty_username, empty_password) carry
//     no HTTP status, and the REST server answers an error without a status
//     with 500 (rest_convert_error_to_response). Core's own application-password
//     check adds 401 to its errors (rest_application_password_check_errors), so
//     a 500 with these codes is not core's; a 401 with them may be either.
// From outside the plugin cannot be named; the companion plugin's ledger
// records which callback returned the error (authError).
import type { Culprit, Evidence, Probe } from '../model.js';
import { type Blamed, blamedCulprit, blamedWords, switchOffWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { describe, isolateHint, noteEv, probeEv } from './util.js';

/** The codes wp_authenticate()'s core callbacks return for a failed username/password login. */
export const WP_LOGIN_CODES = new Set(['invalid_username', 'invalid_email', 'incorrect_password', 'empty_username', 'empty_password', 'authentication_failed']);

const isRest = (path: string) => /^wp-json(\/|$)/.test(path) || /^\?rest_route=/.test(path);

export const basicCredentialsAsLoginRule: Rule = {
  meta: { id: 'plugin.rest.basic-credentials-as-login', title: "The staging lock's credentials are taken for a WordPress login", layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const hit = obs.probes.filter(
      (p) => p.auth === 'basic-site' && isRest(f.pathOf(p)) && p.status >= 400 && !f.basicChallenge(p) && WP_LOGIN_CODES.has(p.body?.restError?.code ?? ''),
    );
    if (hit.length === 0) return [];
    const first = hit[0] as Probe;
    const err = first.body?.restError as { code: string; message: string };
    const codes = [...new Set(hit.map((p) => p.body?.restError?.code))].join(', ');
    const all500 = hit.every((p) => p.status === 500);
    const pagesPass = obs.probes.filter((p) => p.auth === 'basic-site' && !isRest(f.pathOf(p)) && p.status >= 200 && p.status < 300).slice(0, 1);
    const bridge = f.bridge;
    let owner: Blamed | null = null;
    const ledgerEvidence: Evidence[] = [];
    for (const p of hit) {
      const e = bridge?.ledger(p);
      if (!e || !bridge) continue;
      // The error is born in core (wp_authenticate_username_password on authenticate); who handed it
      // to the REST API is the callback outside core that returned it on rest_authentication_errors.
      const code = e.authError?.code ?? p.body?.restError?.code;
      const passed = [...(e.hookEvents ?? [])].reverse().find((h) => h.hook === 'rest_authentication_errors' && h.change === 'error' && h.code === code && bridge.blame(h.owner));
      const who = (passed ? bridge.blame(passed.owner, { callback: passed.callback, hook: passed.hook }) : null) ?? bridge.errorOwner(e);
      if (who) {
        owner = who;
        ledgerEvidence.push({
          kind: 'bridge',
          fact: `ledger.${p.id}.authError`,
          value: { code, origin: e.authError?.callback ?? null, callback: who.callback ?? null, hook: who.hook ?? null, plugin: who.slug, authorizationHeader: e.authorizationHeader },
        });
        break;
      }
    }
    const culprit: Culprit = owner ? blamedCulprit(owner) : { kind: 'plugin', name: 'unknown' };
    const evidence: Evidence[] = [
      ...hit.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)} ${p.body?.restError?.code ?? ''} with only the staging lock's credentials`)),
      ...pagesPass.map((p) => probeEv(p, `${describe(f, p)} with the same credentials: the lock lets them through`)),
      ...ledgerEvidence,
      ...(all500 ? [noteEv('HTTP 500: the error carried no status, which WordPress core gives its own authentication errors (401); a plugin passed wp_authenticate()\'s error to the REST API')] : []),
    ];
    const who = owner
      ? `The companion plugin's ledger names the callback that returned it: ${blamedWords(owner)}.`
      : all500
        ? 'Which plugin cannot be told from outside: the candidates are the active plugins that add Basic-auth logins to the REST API (development tools) or log in from the Authorization header.'
        : 'Possible: a plugin that logs in from the Authorization header, or WordPress core\'s application-password check reading the lock\'s credentials (core answers 401); the companion plugin\'s ledger tells them apart.';
    return [
      {
        id: 'plugin.rest.basic-credentials-as-login',
        severity: 'error',
        layer: 'plugin',
        culprit,
        title: `The staging lock's credentials are taken for a WordPress login: REST answers ${[...new Set(hit.map((p) => p.status))].join('/')} ${codes}`,
        explanation:
          `Requests that carried only the HTTP credentials of the site's Basic lock (WP401_HTTP_USER) were answered by WordPress's REST API with the login error ${codes} ("${err.message.replace(/<[^>]*>/g, '').slice(0, 140)}"): ${[...new Set(hit.map((p) => describe(f, p)))].slice(0, 3).join(', ')}. ` +
          (pagesPass.length ? 'The lock itself accepts them (pages open with them). ' : '') +
          'The lock leaves its Authorization header in the request, and code inside WordPress tried to log in with it as if it were a WordPress user and password — the lock\'s user is no WordPress user, so every REST request that passed the lock fails: REST clients, and anything calling the REST API without a login cookie. ' +
          (all500 ? 'The answer is 500 because that code handed WordPress\'s login error to the REST API without an HTTP status (core gives its own authentication errors 401). ' : '') +
          who,
        evidence,
        fixes: [
          owner
            ? `${blamedWords(owner).replace(/^./, (c) => c.toUpperCase())} logs in with any Basic credentials: ${switchOffWords(owner)}; such plugins are development tools — WordPress's own application passwords replace them.`
            : 'Deactivate the plugin that adds Basic-auth logins to the REST API (the WP-API team\'s JSON Basic Auth plugin and its forks are development tools); WordPress\'s own application passwords replace them.',
          'Or keep the Basic credentials away from WordPress: lock the staging site by IP address (`Require ip …`) instead of a password.',
          ...(owner ? [] : isolateHint(obs)),
        ],
        confidence: owner ? 'confirmed' : 'possible',
      },
    ];
  },
};
