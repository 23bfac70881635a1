// Decide what a login attempt came to, from facts read off the page. Pure.

import type { InterstitialKind, LoginOutcome } from '../observations/browser.js';

/** What WordPress's #login_error message is about. */
export function classifyLoginError(text: string): 'credentials' | 'cookies' | 'other' {
  if (/cookies? (are |is )?blocked|enable cookies|not supported by your browser|unexpected output/i.test(text)) return 'cookies';
  if (/incorrect|unknown (username|email)|not registered|invalid (username|email|password)|field is empty|password you entered|lost your password/i.test(text)) {
    return 'credentials';
  }
  return 'other';
}

export interface PageMarkers {
  url: string;
  title: string;
  hasLoginForm: boolean;
  loginError: string | null;
  adminScreen: boolean;
  interstitial: { kind: InterstitialKind; hint: string } | null;
}

export interface LoginFacts extends PageMarkers {
  status: number | null;
  authCookieStored: boolean;
}

export interface LoginVerdict {
  outcome: LoginOutcome;
  messageKind?: 'credentials' | 'cookies' | 'other';
  detail: string;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

export function classifyLogin(f: LoginFacts): LoginVerdict {
  const status = f.status ?? 0;
  if (status === 401 || status === 403 || status === 429) {
    return { outcome: 'blocked', detail: `The login was answered with HTTP ${status}.` };
  }
  if (f.interstitial) {
    return { outcome: 'interstitial', detail: `A ${f.interstitial.kind} step stands between the form and the dashboard: a person must finish this step.` };
  }
  if (f.loginError !== null) {
    const kind = classifyLoginError(f.loginError);
    if (kind === 'cookies') {
      return { outcome: 'loop', messageKind: kind, detail: 'WordPress sent the login back to the form saying cookies did not arrive.' };
    }
    if (kind === 'credentials') return { outcome: 'wrong-credentials', messageKind: kind, detail: 'WordPress refused the user name or password.' };
    return { outcome: 'blocked', messageKind: kind, detail: 'The login was refused with a message that is not about the password (a plugin or the site refused it).' };
  }
  const reauth = /[?&]reauth=1/.test(f.url);
  const onLogin = /\/wp-login\.php$/.test(pathOf(f.url));
  if (onLogin && (f.hasLoginForm || reauth)) {
    return { outcome: 'loop', detail: reauth ? 'The login ended back on the form with reauth=1.' : 'The login ended back on the form without an error.' };
  }
  if (f.adminScreen || (pathOf(f.url).includes('/wp-admin') && f.authCookieStored)) {
    return { outcome: 'success', detail: 'Logged in: the dashboard loaded.' };
  }
  if (f.authCookieStored) return { outcome: 'success', detail: 'Logged in (the login cookie is stored), but the site sent the browser elsewhere than wp-admin.' };
  if (status >= 400) return { outcome: 'error', detail: `The login ended on an HTTP ${status} page.` };
  return { outcome: 'error', detail: 'The login ended on a page that is neither the dashboard nor the login form, and no login cookie is stored.' };
}

// Runs in the page and returns PageMarkers. A string, not a function: a
// transpiler's helpers (e.g. esbuild's __name) do not exist in the page.
export const READ_PAGE_MARKERS = `(() => {
  const q = (s) => document.querySelector(s);
  const err = q('#login_error');
  const captcha = q('.g-recaptcha, .h-captcha, .cf-turnstile, iframe[src*="recaptcha"], iframe[src*="hcaptcha"], [name="g-recaptcha-response"], [name="h-captcha-response"]');
  const twoFactor = q('#authcode, input[name="authcode"], input[name*="two_factor" i], input[name*="two-factor" i], input[name*="2fa" i], input[name*="otp" i], input[name="googleotp"], #wfls-token, input[name="wfls-token"], input[autocomplete="one-time-code"]');
  const challenge = q('#challenge-form, #cf-challenge-running, #challenge-running, #cf-please-wait') || /^just a moment/i.test(document.title);
  let interstitial = null;
  if (twoFactor) interstitial = { kind: '2fa', hint: 'The site asks for a second factor (authentication code).' };
  else if (challenge) interstitial = { kind: 'challenge', hint: 'A security challenge page (browser check) answered instead of WordPress.' };
  else if (captcha) interstitial = { kind: 'captcha', hint: 'The login form carries a CAPTCHA.' };
  return {
    url: location.href,
    title: document.title,
    hasLoginForm: Boolean(q('#loginform')),
    loginError: err ? (err.textContent || '') : null,
    adminScreen: Boolean(q('#adminmenu, #wpadminbar')) && location.pathname.includes('/wp-admin'),
    interstitial,
  };
})()`;
