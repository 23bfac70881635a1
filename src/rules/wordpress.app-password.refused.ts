// The application password reached WordPress and was refused because the
// credentials are wrong — not because a server or proxy dropped the header
// (that is rest.app-password.authorization-stripped). WordPress 6.x answers
// both alike (401 rest_not_logged_in; see src/gather/credentials.ts for
// core's order of events), so this rule speaks only when a discriminating
// probe, the login page or the bridge's ledger separated them
// (src/facts/credentials.ts):
//   wrong-app-password  the user exists (the login worked, or core said only
//                       the password is wrong; the ledger: incorrect_password);
//   unknown-user        core says the user name is not registered
//                       (invalid_username) — often the application
//                       password's name typed where the user name goes;
//   wrong-credentials   XML-RPC refused the same credentials in the body, and
//                       nothing says which of the two is wrong: possible,
//                       both named, and how to tell.
import type { Finding } from '../model.js';
import { readCredentials } from '../facts/credentials.js';
import { bridgeStatusOf } from '../facts/bridge-status.js';
import type { Rule } from './types.js';

export const appPasswordRefusedRule: Rule = {
  meta: { id: 'wordpress.app-password.refused', title: 'The application password is refused: the credentials are wrong', layer: 'wordpress', requires: ['probes'] },
  evaluate(obs, f) {
    const r = readCredentials(obs, f);
    if (!r || !['wrong-app-password', 'unknown-user', 'wrong-credentials'].includes(r.verdict)) return [];
    const user = obs.credentials.user ? 'the --user name' : 'the user name';
    const seen = `wp401 sent ${user} and WP401_APP_PASSWORD in an Authorization header; WordPress answered ${r.real.status}${r.real.body?.restError ? ` ${r.real.body.restError.code}` : ''}. ${r.ruledOut.join(' ')}`;
    const create = 'Create a new application password for that user (Users → Profile → Application Passwords → Add New), put it in WP401_APP_PASSWORD, and scan again; a revoked one stays refused.';
    const userFix = 'Use the WordPress login name (Users → All Users, the "Username" column) as --user — not the application password\'s name, which is only a label.';
    const confidence: Finding['confidence'] = r.byLedger ? 'confirmed' : r.verdict === 'wrong-credentials' ? 'possible' : 'likely';
    const base = { severity: 'error' as const, layer: 'wordpress' as const, evidence: r.evidence, confidence };
    switch (r.verdict) {
      case 'wrong-app-password':
        return [
          {
            ...base,
            id: 'wordpress.app-password.wrong',
            culprit: { kind: 'credential', name: 'application-password' },
            title: 'The application password is wrong or revoked',
            explanation: `${seen} The user exists, so the application password itself is not one WordPress holds for that user: mistyped, from another site, or revoked.`,
            fixes: [create],
          },
        ];
      case 'unknown-user':
        return [
          {
            ...base,
            id: 'wordpress.app-password.unknown-user',
            culprit: { kind: 'credential', name: 'user' },
            title: 'The user name is not a WordPress user',
            explanation: `${seen} WordPress looks the application password up by user name first, so with a name it does not know the password is never compared. A common mix-up: the application password's name (the label given when it was created) used as the user name.`,
            fixes: [userFix],
          },
        ];
      default:
        return [
          {
            ...base,
            id: 'wordpress.app-password.refused',
            culprit: { kind: 'credential', name: 'user or application password' },
            title: 'The user name or the application password is wrong',
            explanation: `${seen} Possible: the application password is wrong or revoked, or the user name is not a WordPress login (the application password's name used as the user name is a common mix-up). To tell them apart, log in at wp-login.php with that user name: "is not registered" means the user name is wrong; otherwise the application password is.${bridgeStatusOf(obs).status === 'ok' ? '' : ' Or install the companion plugin: its ledger records which one WordPress refused.'}`,
            fixes: [userFix, create],
          },
        ];
    }
  },
};
