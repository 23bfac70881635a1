// A REST request authenticated with an application password (a logged-in
// request) is refused with a code WordPress core does not use for it: a
// plugin's own refusal (issue 16, class 11). Never "expected like an anonymous
// REST call": the credentials were given so that this passes.
//
// The codes core itself answers a logged-in or credentialed REST request with
// (wp-includes/rest-api.php, user.php, the wp/v2 controllers): rest_forbidden*,
// rest_cannot_* (capabilities), rest_not_logged_in, rest_cookie_invalid_nonce,
// and the application-password failures incorrect_password, invalid_username,
// invalid_email, application_passwords_disabled(_for_user) — other rules judge
// those. Any other code on a 401/403 to an application-password request comes
// from code hooked into rest_authentication_errors, rest_pre_dispatch or a
// permission callback: with the companion plugin the ledger names the callback
// that returned it (confirmed); from outside the code names no one unless the
// catalog verified it for an installed plugin.
import type { Evidence, Finding, Probe } from '../model.js';
import { blamedCulprit, blamedWords, switchOffWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { describe, isolateHint, probeEv } from './util.js';

const CORE_CODES = new Set(['rest_not_logged_in', 'rest_cookie_invalid_nonce', 'incorrect_password', 'invalid_username', 'invalid_email', 'application_passwords_disabled', 'application_passwords_disabled_for_user', 'rest_no_route']);
const coreCode = (code: string) => CORE_CODES.has(code) || /^rest_(forbidden|cannot_|user_cannot)/.test(code);

export const restRejectsAppPasswordsRule: Rule = {
  meta: { id: 'plugin.rest.rejects-app-passwords', title: 'A plugin refuses REST requests made with an application password', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const refused = obs.probes.filter((p) => p.auth === 'app-password' && (p.status === 401 || p.status === 403) && p.body?.restError && !coreCode(p.body.restError.code) && !f.basicChallenge(p));
    if (refused.length === 0) return [];
    const first = refused[0] as Probe;
    const err = first.body?.restError as { code: string; message: string };
    const evidence: Evidence[] = refused.slice(0, 4).map((p) => probeEv(p, `${describe(f, p)} ${p.body?.restError?.code ?? ''} with the application password`));
    const anon = f.find('wp-json/');
    if (anon?.status === 200) evidence.push(probeEv(anon, 'the REST index without credentials → 200: anonymous REST works'));
    let who = null as ReturnType<NonNullable<typeof f.bridge>['errorOwner']>;
    if (f.bridge) {
      for (const p of refused) {
        const e = f.bridge.ledger(p);
        who = e ? f.bridge.errorOwner(e) : null;
        if (e && who) {
          evidence.push({ kind: 'bridge', fact: `ledger.${p.id}.authError`, value: { code: e.authError?.code, callback: e.authError?.callback, hook: e.authError?.hook, plugin: who.slug } });
          break;
        }
      }
    }
    const finding: Finding = {
      id: 'plugin.rest.rejects-app-passwords',
      severity: 'error',
      layer: 'plugin',
      culprit: who ? blamedCulprit(who) : { kind: 'plugin', name: 'unknown' },
      title: `REST requests with a valid login are refused by a plugin (${err.code})`,
      explanation:
        `${describe(f, first)} with the application password, with the REST error "${err.code}" ("${err.message.slice(0, 160)}"). WordPress itself answers a credentialed request with its own codes (rest_not_logged_in, rest_forbidden, incorrect_password…); this one is not among them, so code hooked into the REST API refused the request although credentials came with it — apps, scripts and integrations that use application passwords are locked out. ` +
        (who
          ? `The companion plugin saw which callback returned it: ${blamedWords(who)}.`
          : 'Which plugin cannot be told from outside: the code names no plugin wp401 has verified.'),
      evidence,
      fixes: [
        ...(who ? [`Look at ${who.slug}'s REST or API-access settings${who.file ? ` (${who.file})` : ''}: allow application passwords, or the routes your integration needs; ${switchOffWords(who)}.`] : []),
        `Search the plugins, mu-plugins and theme for the code: \`grep -rn "${err.code}" wp-content/\`.`,
        ...(who ? [] : isolateHint(obs)),
      ],
      confidence: who ? 'confirmed' : 'possible',
    };
    return [finding];
  },
};
