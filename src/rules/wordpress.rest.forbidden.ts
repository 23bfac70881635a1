// 403 is not 401. When the credential was accepted (users/me answers 200)
// but a request is refused with 403/rest_forbidden, the account lacks a
// capability: a different user or role is needed, not a different password.
import type { Probe } from '../model.js';
import type { Rule } from './types.js';
import { describe, probeEv } from './util.js';

export const forbiddenRule: Rule = {
  meta: { id: 'wordpress.rest.forbidden', title: '403 for an authenticated user: missing capability', layer: 'wordpress', requires: ['probes'] },
  evaluate(obs, f) {
    const me = f.find('wp-json/wp/v2/users/me', 'app-password');
    if (me?.status !== 200) return [];
    const forbidden = obs.probes.filter((p) => p.auth === 'app-password' && p.status === 403);
    if (forbidden.length === 0) return [];
    const first = forbidden[0] as Probe;
    const code = first.body?.restError?.code;
    return [
      {
        id: 'wordpress.rest.forbidden',
        severity: 'warning',
        layer: 'wordpress',
        culprit: { kind: 'credential', name: 'capability' },
        title: `Logged in, but not allowed: ${describe(f, first)}${code ? ` ${code}` : ''}`,
        explanation:
          'The application password works (users/me answers 200), yet this request is refused with 403. A 403 is not a 401: WordPress knows who you are and says this account may not do it — the user lacks the capability (role), or a plugin restricts the route. A new password will not help.',
        evidence: [probeEv(me, 'users/me with the application password → 200'), ...forbidden.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)}${p.body?.restError ? ` ${p.body.restError.code}` : ''}`))],
        fixes: ['Use an account with the needed role (an Administrator or Editor for editing content), or grant the capability with a role editor.', 'If the role is right, a plugin may filter the permission (user_has_cap, rest_pre_dispatch): run with the companion plugin and --isolate.'],
        confidence: 'likely',
      },
    ];
  },
};
