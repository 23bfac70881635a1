// WordPress sends its login cookies for a domain (or path) the browser is not
// on: the browser refuses to store them, so the login never sticks. Almost
// always COOKIE_DOMAIN (or COOKIEPATH) left over in wp-config.php from
// another host, e.g. after a migration from staging.
import type { Evidence } from '../model.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

export const cookieDomainRule: Rule = {
  meta: { id: 'browser.cookie.domain-mismatch', title: 'Login cookies set for another domain', layer: 'browser', requires: ['probes'] },
  evaluate(obs, f) {
    const bad = f.setCookies.filter((c) => c.judgement.wordpress !== null && !c.judgement.clearing && c.judgement.problems.some((p) => p.code === 'domain-mismatch'));
    if (bad.length === 0) return [];
    const domains = [...new Set(bad.map((c) => c.judgement.domain).filter((d): d is string => !!d))];
    const names = [...new Set(bad.map((c) => c.judgement.name ?? ''))].filter(Boolean);
    const refused = obs.notes.filter((n) => n.kind === 'cookie-rejected').length;
    const evidence: Evidence[] = [
      ...names.slice(0, 5).map((name): Evidence => {
        const c = bad.find((b) => b.judgement.name === name);
        return { kind: 'cookie', name, reason: `Domain=${c?.judgement.domain ?? '?'} on a response from ${f.host}`, probe: c?.probe };
      }),
    ];
    if (refused) evidence.push(noteEv(`${refused} cookie(s) refused by wp401's browser-like cookie jar`));
    if (obs.login) evidence.push(noteEv(`the HTTP login: ${obs.login.outcome}; auth cookies set ${obs.login.authCookiesSet.length}, kept ${obs.login.authCookiesKept.length}`));
    const constant = f.bridge?.env.cookies?.domain;
    if (f.bridge && constant !== undefined) evidence.push({ kind: 'bridge', fact: 'cookies.domain', value: constant }, noteEv(typeof constant === 'string' && constant ? `the companion plugin reads COOKIE_DOMAIN = '${constant}' in wp-config.php` : 'the companion plugin sees no COOKIE_DOMAIN: a plugin or server rule rewrites the cookies'));
    return [
      {
        id: 'browser.cookie.domain-mismatch',
        severity: 'error',
        layer: 'browser',
        culprit: { kind: 'wp-config', name: 'COOKIE_DOMAIN' },
        title: `WordPress sets its login cookies for ${domains.join(', ')}, not ${f.host}`,
        explanation:
          `The Set-Cookie headers carry Domain=${domains.join(', ')} while the site answers on ${f.host}. Browsers refuse cookies for a domain the page is not on, so after a correct password WordPress sees no login cookie and shows the login form again ("Cookies are blocked or not supported by your browser"). ` +
          'WordPress only sets a Domain when COOKIE_DOMAIN is defined.',
        evidence,
        fixes: [
          `Remove \`define( 'COOKIE_DOMAIN', '${domains[0] ?? ''}' );\` from wp-config.php (or set it to '${f.host}'), then log in again.`,
          'On multisite, check COOKIE_DOMAIN together with DOMAIN_CURRENT_SITE and the sunrise/domain-mapping set-up.',
        ],
        confidence: 'likely',
      },
    ];
  },
};
