// The rule catalog: every rule, in the order they run.
import { appPasswordBasicCollisionRule } from './app-password-basic-collision.js';
import { appPasswordsUnavailableRule } from './app-passwords-unavailable.js';
import { authorizationStrippedRule } from './authorization-stripped.js';
import { basicAuthRule } from './basic-auth.js';
import { browserAdminRule } from './browser-admin.js';
import { browserCookieLostRule } from './browser-cookie-lost.js';
import { browserLoginRule } from './browser-login.js';
import { browserNonceRule } from './browser-nonce.js';
import { cachedLoginRule } from './cached-login.js';
import { clockSkewRule } from './clock-skew.js';
import { cookieDomainRule } from './cookie-domain.js';
import { cookieSameSiteRule } from './cookie-samesite.js';
import { cookiesNotForwardedRule } from './cookies-not-forwarded.js';
import { credentialsMissingRule } from './credentials-missing.js';
import { forbiddenRule } from './forbidden.js';
import { headerTooLargeRule } from './header-too-large.js';
import { loginRefusedRule } from './login-refused.js';
import { nonceLifeRule } from './nonce-life.js';
import { pluginFingerprintRule } from './plugin-fingerprint.js';
import { publicPath401Rule } from './public-path-401.js';
import { rateLimitedRule } from './rate-limited.js';
import { restBlockedRule } from './rest-blocked.js';
import { restNotFoundRule } from './rest-not-found.js';
import { secureCookieOverHttpRule } from './secure-cookie-over-http.js';
import type { Rule } from './types.js';
import { applyIsolation } from './isolation/confirm.js';
import { runRules, sortFindings } from './runner.js';
import type { Finding } from '../model.js';
import type { Observations } from '../observations/index.js';
import { wrongOriginRule } from './wrong-origin.js';

export const RULES: Rule[] = [
  wrongOriginRule,
  basicAuthRule,
  appPasswordBasicCollisionRule,
  publicPath401Rule,
  headerTooLargeRule,
  authorizationStrippedRule,
  cookiesNotForwardedRule,
  cachedLoginRule,
  cookieDomainRule,
  secureCookieOverHttpRule,
  cookieSameSiteRule,
  restBlockedRule,
  appPasswordsUnavailableRule,
  nonceLifeRule,
  rateLimitedRule,
  loginRefusedRule,
  forbiddenRule,
  restNotFoundRule,
  clockSkewRule,
  pluginFingerprintRule,
  credentialsMissingRule,
  browserCookieLostRule,
  browserLoginRule,
  browserAdminRule,
  browserNonceRule,
];

export { runRules, sortFindings } from './runner.js';

/** Every finding the observations support: the rules, then what the isolation experiments prove about them. */
export function judgeFindings(obs: Observations): Finding[] {
  const findings = runRules(RULES, obs);
  return obs.experiments.length ? sortFindings(applyIsolation(findings, obs)) : findings;
}
export type { Rule, RuleMeta, Requirement } from './types.js';
export type { Facts } from './facts.js';
