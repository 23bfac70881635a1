// What the scan could not test because a credential was not given. Not a
// problem with the site: a note so the user knows the verdict's reach.
import type { Rule } from './types.js';

export const credentialsMissingRule: Rule = {
  meta: { id: 'scan.credentials.missing', title: 'Credentials not given to the scan', layer: 'wordpress', requires: ['probes'] },
  evaluate(obs) {
    const c = obs.credentials;
    const missing: string[] = [];
    if (!c.user || !c.password) missing.push('a WordPress login (--user and WP401_PASSWORD): the login and cookies were not tested');
    if (!c.user || !c.appPassword) missing.push('an application password (WP401_APP_PASSWORD): REST authentication and header forwarding were not tested');
    if (missing.length === 0) return [];
    return [
      {
        id: 'scan.credentials.missing',
        severity: 'info',
        layer: 'wordpress',
        culprit: null,
        title: 'Some checks were skipped for lack of credentials',
        explanation: `Anonymous requests that answer 401 are normal for private paths (users/me, the admin). To see whether real credentials get through, give the scan: ${missing.join('; ')}.`,
        evidence: [],
        fixes: [],
        confidence: 'likely',
      },
    ];
  },
};
