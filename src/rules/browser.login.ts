// How a person's login went in a real browser: wrong password, a lockout, a
// step a person must finish (2FA, CAPTCHA), or an error of the session.
// Cookie trouble is browser-cookie-lost's job.
import type { Finding } from '../model.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

export const browserLoginRule: Rule = {
  meta: { id: 'browser.login', title: 'The browser login', layer: 'wordpress', requires: ['browser'] },
  evaluate(obs) {
    const b = obs.browser;
    if (!b) return [];
    const l = b.login;
    const chain = l.chain.map((h) => `${h.method} ${h.url} → ${h.status}`).slice(0, 6).join(' · ');
    const evidence = [noteEv(`login: ${l.outcome}${l.message ? ` — WordPress said: "${l.message}"` : ''}`), ...(chain ? [noteEv(`navigation: ${chain}`)] : [])];
    const out: Finding[] = [];
    if (l.outcome === 'wrong-credentials') {
      out.push({
        id: 'wordpress.login.wrong-credentials',
        severity: 'error',
        layer: 'wordpress',
        culprit: { kind: 'credential', name: 'password' },
        title: 'WordPress refused the user name or password given to wp401',
        explanation: 'The login form answered with WordPress\'s own "incorrect password / unknown user" message: the credential is wrong or was changed, so everything after the login was not tested. wp401 tries one login per scan, so it never looks like brute force.',
        evidence,
        fixes: ['Check WP401_PASSWORD and --user (a password manager may hold an old one); reset the password under Users → Profile if needed.'],
        confidence: 'likely',
      });
    } else if (l.outcome === 'interstitial' && l.interstitial) {
      out.push({
        id: 'wordpress.login.interstitial',
        severity: 'warning',
        layer: 'plugin',
        culprit: null,
        title: `The login stops at a ${l.interstitial.kind === '2fa' ? 'two-factor' : l.interstitial.kind === 'captcha' ? 'CAPTCHA' : 'challenge'} step: a person must finish it`,
        explanation: `After the password the site asks for more (${l.interstitial.hint}). wp401 does not bypass it; what needs a logged-in browser was not tested.`,
        evidence,
        fixes: ['Scan with a user that has no second factor on the staging site, or test the logged-in parts with an application password (WP401_APP_PASSWORD).'],
        confidence: 'likely',
      });
    } else if (l.outcome === 'error' && l.error) {
      out.push({
        id: 'browser.session.error',
        severity: 'warning',
        layer: 'browser',
        culprit: null,
        title: 'The browser session could not complete the login',
        explanation: `wp401's browser stopped: ${l.error.message}. The HTTP probes still ran.`,
        evidence,
        fixes: ['If the site uses a self-signed certificate, add --insecure; otherwise see the screenshots and the probes.'],
        confidence: 'possible',
      });
    }
    return out;
  },
};
