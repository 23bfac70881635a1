// Why the application password was refused, as far as the discriminating
// probes (src/gather/credentials.ts, which says why they are needed) and the
// scan's other evidence separate it. Four hypotheses for a 401 "not logged
// in" without a Basic challenge, while the REST index offers application
// passwords:
//   header-lost          the Authorization header never reached PHP
//                        (CGIPassAuth, fastcgi_param, a proxy);
//   wrong-app-password   the user exists, the application password is wrong
//                        or revoked (core: incorrect_password);
//   unknown-user         the user name is not a WordPress login — often the
//                        application password's *name* typed as the user
//                        (core: invalid_username / invalid_email);
//   wrong-credentials    one of the two above, not which.
// Each piece of evidence below rules hypotheses out; `ruledOut` says which,
// in words the finding repeats. What decides, strongest first:
//   the bridge's ledger: the header arrived or not, and core's own
//     application_password_failed_authentication code;
//   REST's own code on the real request (when a plugin made it surface);
//   the controls: a wrong password / unknown user answered differently from
//     the real credentials (then REST tells);
//   XML-RPC with the same credentials in the body: accepted → they are
//     right; fault 403 → refused (or XML-RPC logins are refused by a plugin);
//   the password login of the same user: core's message says whether the
//     user name exists ("is not registered" / "password you entered for the
//     username … is incorrect"; wp-includes/user.php, English only).
import type { Evidence, Probe } from '../model.js';
import type { Observations } from '../observations/index.js';
import type { Facts } from './index.js';

export type CredentialVerdict = 'header-lost' | 'wrong-app-password' | 'unknown-user' | 'wrong-credentials' | 'undecided';

export interface CredentialReading {
  real: Probe;
  verdict: CredentialVerdict;
  /** true when the bridge's ledger decided */
  byLedger: boolean;
  /** evidence for the finding: each probe with what it showed */
  evidence: Evidence[];
  /** sentences: what each probe ruled out */
  ruledOut: string[];
  /** what XML-RPC said of the real credentials, when it was asked */
  xmlrpc: 'accepted' | 'refused' | 'disabled' | 'other' | null;
}

const USER_CODES = new Set(['invalid_username', 'invalid_email']);
const ME = 'wp-json/wp/v2/users/me';

function loginSaysUser(obs: Observations): { says: 'exists' | 'unknown'; what: string } | null {
  if (obs.login?.outcome === 'success' || obs.browser?.login.outcome === 'success') return { says: 'exists', what: 'the password login with the same user name succeeded: the user exists' };
  for (const m of [obs.login?.message, obs.browser?.login.message]) {
    if (!m) continue;
    if (/is not registered on this site|unknown (username|email address)/i.test(m)) return { says: 'unknown', what: `the login page says: "${m.slice(0, 160)}"` };
    if (/password you entered for the (username|email address) .* is incorrect/i.test(m)) return { says: 'exists', what: `the login page says the user exists and only the password is wrong: "${m.slice(0, 160)}"` };
  }
  return null;
}

const codeOf = (p: Probe) => p.body?.restError?.code ?? null;
const answer = (p: Probe) => `${p.status}${codeOf(p) ? ` ${codeOf(p)}` : ''}`;

/** The reading of a refused application password; null when it was not refused that way (or not sent). */
export function readCredentials(obs: Observations, f: Facts): CredentialReading | null {
  if (!obs.credentials.appPassword) return null;
  const real = f.find(ME, 'app-password');
  if (real?.status !== 401 || f.basicChallenge(real)) return null;
  const evidence: Evidence[] = [{ kind: 'probe', probe: real.id, note: `users/me with your user name and application password → ${answer(real)}` }];
  const ruledOut: string[] = [];
  const done = (verdict: CredentialVerdict, byLedger = false, xmlrpc: CredentialReading['xmlrpc'] = null): CredentialReading => ({ real, verdict, byLedger, evidence, ruledOut, xmlrpc });

  // The ledger sees inside: did the header arrive, and what did core say of the credentials?
  const e = f.bridge?.ledger(real);
  if (e?.reachedPhp) {
    evidence.push({ kind: 'bridge', fact: `ledger.${real.id}`, value: { authorizationHeader: e.authorizationHeader, appPasswordError: e.appPasswordError?.code ?? null } });
    if (!e.authorizationHeader) return done('header-lost', true);
    const code = e.appPasswordError?.code;
    if (code === 'incorrect_password') {
      ruledOut.push('The companion plugin saw the Authorization header arrive, so it was not lost on the way; WordPress checked it and found the user but not the password (incorrect_password).');
      return done('wrong-app-password', true);
    }
    if (code && USER_CODES.has(code)) {
      ruledOut.push(`The companion plugin saw the Authorization header arrive, so it was not lost on the way; WordPress found no user of that name (${code}), so the password was never compared.`);
      return done('unknown-user', true);
    }
  }

  // REST's own code, when something made it surface before the request went on anonymously.
  const own = codeOf(real);
  if (own === 'incorrect_password') {
    ruledOut.push('WordPress answered incorrect_password itself: the header reached it and the user exists.');
    return done('wrong-app-password');
  }
  if (own && USER_CODES.has(own)) {
    ruledOut.push(`WordPress answered ${own} itself: the header reached it, and no user has that name.`);
    return done('unknown-user');
  }

  const probes = obs.probes.filter((p) => p.source === 'discriminate');
  const wrong = probes.find((p) => p.auth === 'bad-app-password');
  const unknown = probes.find((p) => p.auth === 'unknown-user');
  const xml = probes.find((p) => p.auth === 'app-password-xmlrpc');
  if (wrong) evidence.push({ kind: 'probe', probe: wrong.id, note: `the same request with a deliberately wrong application password → ${answer(wrong)}` });
  if (unknown) evidence.push({ kind: 'probe', probe: unknown.id, note: `with a user name that does not exist → ${answer(unknown)}` });
  const wrongCode = wrong ? codeOf(wrong) : null;
  if (wrong && wrongCode === 'incorrect_password' && own !== 'incorrect_password') {
    ruledOut.push(`This site answers a wrong application password with incorrect_password, yet answered yours with ${answer(real)}, as if no credentials came: they never reached WordPress.`);
    return done('header-lost');
  }
  if (wrong && unknown && (wrong.status !== real.status || codeOf(wrong) !== own || unknown.status !== real.status || codeOf(unknown) !== own)) {
    ruledOut.push('A wrong password and an unknown user are answered differently from your credentials here; compare the three answers in the evidence.');
  } else if (wrong && unknown) {
    ruledOut.push('A deliberately wrong application password and an unknown user get the very same answer as yours, so REST cannot tell the cases apart on this site (WordPress 6.x records the reason too late for the REST answer).');
  }

  const login = loginSaysUser(obs);
  let xmlrpc: CredentialReading['xmlrpc'] = null;
  if (xml) {
    const fault = xml.body?.facts?.xmlrpcFault;
    xmlrpc = xml.body?.facts?.xmlrpcOk === true ? 'accepted' : fault === 403 ? 'refused' : fault === 405 ? 'disabled' : 'other';
    evidence.push({ kind: 'probe', probe: xml.id, note: `the same user name and application password in an XML-RPC call's body (wp.getUsersBlogs) → ${xmlrpc === 'accepted' ? 'accepted' : fault ? `fault ${fault}` : `HTTP ${xml.status}`}` });
    if (xmlrpc === 'accepted') {
      ruledOut.push('Sent in the body of an XML-RPC call, where no Authorization header is needed, the same user name and application password are accepted: they are right, so a wrong password, an unknown user and a name mix-up are ruled out.');
      return done('header-lost', false, xmlrpc);
    }
    if (xmlrpc === 'disabled') ruledOut.push('XML-RPC is switched off on this site (fault 405), so it could not carry the credentials another way.');
  } else if (wrong) {
    ruledOut.push('XML-RPC was not asked (it does not answer as WordPress\'s XML-RPC server here).');
  }
  if (login) evidence.push(obs.login?.probe && f.byId.has(obs.login.probe) ? { kind: 'probe', probe: obs.login.probe, note: login.what } : { kind: 'note', text: login.what });
  if (xmlrpc === 'refused') {
    ruledOut.push('Over XML-RPC, with the credentials in the body, WordPress refused them too ("Incorrect username or password."): the credentials are wrong — unless a plugin refuses XML-RPC logins.');
    if (login?.says === 'unknown') return done('unknown-user', false, xmlrpc);
    if (login?.says === 'exists') return done('wrong-app-password', false, xmlrpc);
    return done('wrong-credentials', false, xmlrpc);
  }
  if (login?.says === 'unknown') {
    ruledOut.push('WordPress says the user name is not registered: no application password can work for it, whatever happens to the header.');
    return done('unknown-user', false, xmlrpc);
  }
  return done('undecided', false, xmlrpc);
}
