// After a login that stuck, admin pages must open: a page that bounces back
// to wp-login.php or answers "not allowed" tells a session or capability
// problem from a login problem.
import type { Rule } from './types.js';
import { noteEv } from './util.js';

export const browserAdminRule: Rule = {
  meta: { id: 'browser.admin', title: 'Admin pages after the login', layer: 'wordpress', requires: ['browser'] },
  evaluate(obs) {
    const b = obs.browser;
    if (!b?.admin || b.login.outcome !== 'success') return [];
    const bounced = b.admin.pages.filter((p) => p.bouncedToLogin);
    const refused = b.admin.pages.filter((p) => !p.bouncedToLogin && (p.notAllowed || p.status === 401 || p.status === 403));
    const out = [];
    if (bounced.length > 0) {
      out.push({
        id: 'browser.admin.bounced-to-login',
        severity: 'error' as const,
        layer: 'wordpress' as const,
        culprit: null,
        title: `${bounced.length} admin page(s) sent the logged-in browser back to the login form`,
        explanation: 'The login cookie was kept, yet WordPress did not accept it on these pages: the auth cookie path, a cache or a plugin that validates sessions differently per page.',
        evidence: bounced.slice(0, 5).map((p) => noteEv(`${p.url} → ${p.finalUrl} (${p.status})`)),
        fixes: ['Compare ADMIN_COOKIE_PATH / PLUGINS_COOKIE_PATH with the site address, and check cache exclusions for /wp-admin/.'],
        confidence: 'likely' as const,
      });
    }
    if (refused.length > 0) {
      out.push({
        id: 'wordpress.admin.not-allowed',
        severity: 'warning' as const,
        layer: 'wordpress' as const,
        culprit: { kind: 'credential' as const, name: 'capability' },
        title: `${refused.length} admin page(s) answer "not allowed" to this user`,
        explanation: 'This is a 403-style refusal, not a 401: the user is known but lacks the capability (role) for these pages.',
        evidence: refused.slice(0, 5).map((p) => noteEv(`${p.url} → ${p.status}${p.message ? `: ${p.message}` : ''}`)),
        fixes: ['Scan with an administrator, or give the user the role these pages need.'],
        confidence: 'likely' as const,
      });
    }
    return out;
  },
};
