// SameSite=None without Secure (refused by browsers), or a login cookie
// marked SameSite=Strict (lost when the login starts from another site, e.g.
// an SSO callback or a link in an e-mail).
import type { SetCookieSeen } from '../facts/index.js';
import type { Evidence, Finding } from '../model.js';
import type { Rule } from './types.js';

export const cookieSameSiteRule: Rule = {
  meta: { id: 'browser.cookie.samesite', title: 'SameSite settings that lose the login', layer: 'browser', requires: ['probes'] },
  evaluate(_obs, f) {
    const wp = f.setCookies.filter((c) => c.judgement.wordpress !== null && c.judgement.wordpress !== 'test' && !c.judgement.clearing);
    const noneInsecure = wp.filter((c) => c.judgement.problems.some((p) => p.code === 'samesite-none-without-secure'));
    const strict = wp.filter((c) => c.judgement.sameSite === 'strict');
    const finding = (
      cookies: SetCookieSeen[],
      id: string,
      severity: Finding['severity'],
      reason: string,
      text: Pick<Finding, 'title' | 'explanation' | 'fixes' | 'confidence'>,
    ): Finding => ({
      id,
      severity,
      layer: 'browser',
      culprit: { kind: 'cookie', name: cookies[0]?.judgement.name ?? 'wordpress_logged_in' },
      title: text.title,
      explanation: text.explanation,
      evidence: cookies.slice(0, 4).map((c): Evidence => ({ kind: 'cookie', name: c.judgement.name ?? '?', reason, probe: c.probe })),
      fixes: text.fixes,
      confidence: text.confidence,
    });
    const out: Finding[] = [];
    if (noneInsecure.length) {
      out.push(
        finding(noneInsecure, 'browser.cookie.samesite-none-insecure', 'error', 'SameSite=None without Secure', {
          title: 'Login cookies use SameSite=None without Secure',
          explanation: 'Browsers refuse a cookie marked SameSite=None unless it is also Secure, so these WordPress cookies are never stored and the login does not stick.',
          fixes: ['Serve the site over https so the cookies can be Secure, or remove the plugin/server rule that adds SameSite=None (look for `Header edit Set-Cookie` in Apache or `proxy_cookie_flags` in nginx).'],
          confidence: 'likely',
        }),
      );
    }
    if (strict.length) {
      out.push(
        finding(strict, 'browser.cookie.samesite-strict', 'warning', 'SameSite=Strict', {
          title: 'Login cookies use SameSite=Strict',
          explanation: 'A Strict cookie is not sent when the visit starts on another site (an SSO or payment callback, a link in an e-mail): those visits arrive logged out and may see 401/redirect loops. WordPress itself does not set SameSite; a plugin or a server rule adds it.',
          fixes: ["Use SameSite=Lax for WordPress cookies (look for `Header edit Set-Cookie` in Apache, `proxy_cookie_flags` in nginx, or a security plugin's cookie setting)."],
          confidence: 'possible',
        }),
      );
    }
    return out;
  },
};
