// The rule catalog: every rule, in the order they run.
import { appPasswordBasicCollisionRule } from './server.basic-auth.app-password-collision.js';
import { appPasswordsUnavailableRule } from './wordpress.app-passwords.unavailable.js';
import { authorizationStrippedRule } from './rest.app-password.authorization-stripped.js';
import { appPasswordRefusedRule } from './wordpress.app-password.refused.js';
import { restRejectsAppPasswordsRule } from './plugin.rest.rejects-app-passwords.js';
import { basicAuthRule } from './server.basic-auth.js';
import { browserAdminRule } from './browser.admin.js';
import { browserCookieLostRule } from './browser.login.cookie-lost.js';
import { browserLoginRule } from './browser.login.js';
import { browserNonceRule } from './wordpress.rest.nonce.js';
import { cachedLoginRule } from './plugin.cache.login-cached.js';
import { walledPagesCachedRule } from './plugin.cache.walled-pages-public.js';
import { clockSkewRule } from './wordpress.clock.skew.js';
import { cookieDomainRule } from './browser.cookie.domain-mismatch.js';
import { cookieSameSiteRule } from './browser.cookie.samesite.js';
import { cookiesNotForwardedRule } from './edge.cookies.not-forwarded.js';
import { credentialsMissingRule } from './scan.credentials.missing.js';
import { forbiddenRule } from './wordpress.rest.forbidden.js';
import { headerTooLargeRule } from './edge.headers.too-large.js';
import { loginNotCompletedRule } from './plugin.login.not-completed.js';
import { loginRefusedRule } from './wordpress.login.js';
import { nonceLifeRule } from './plugin.nonce.short-life.js';
import { restNonceAgeRule } from './wordpress.nonce.short-life.js';
import { pluginFingerprintRule } from './plugin.fingerprint.js';
import { publicPath401Rule } from './edge.auth.public-path.js';
import { rateLimitedRule } from './plugin.login.rate-limited.js';
import { restBlockedRule } from './plugin.rest.blocked-for-anonymous.js';
import { restRedirectedToLoginRule } from './plugin.rest.redirected-to-login.js';
import { restNotFoundRule } from './wordpress.rest.not-found.js';
import { secureCookieOverHttpRule } from './browser.cookie.secure-over-http.js';
import type { Rule } from './types.js';
import { applyIsolation } from './isolation/confirm.js';
import { runRules, sortFindings } from './runner.js';
import type { Finding } from '../model.js';
import type { Observations } from '../observations/index.js';
import { wrongOriginRule } from './network.wrong-origin.js';
// edge software (issue 16, helper edge)
import { adminCookiePathRule } from './browser.cookie.admin-path.js';
import { cookiesStrippedRule } from './edge.cookies.stripped.js';
import { wafContentFilterRule } from './edge.waf.content-filter.js';
// issue 16, layer: who sent it (server, PHP, plugin)
import { phpBasicLockRule } from './plugin.basic-auth.php-lock.js';
import { restRefusedForEveryoneRule } from './plugin.rest.refused-for-everyone.js';
import { basicCredentialsAsLoginRule } from './plugin.rest.basic-credentials-as-login.js';
import { errorDocumentRule } from './server.basic-auth.error-document.js';

export const RULES: Rule[] = [
  wrongOriginRule,
  basicAuthRule,
  phpBasicLockRule,
  errorDocumentRule,
  appPasswordBasicCollisionRule,
  publicPath401Rule,
  headerTooLargeRule,
  authorizationStrippedRule,
  appPasswordRefusedRule,
  cookiesNotForwardedRule,
  cachedLoginRule,
  walledPagesCachedRule,
  cookieDomainRule,
  secureCookieOverHttpRule,
  cookieSameSiteRule,
  restBlockedRule,
  restRefusedForEveryoneRule,
  basicCredentialsAsLoginRule,
  restRejectsAppPasswordsRule,
  appPasswordsUnavailableRule,
  nonceLifeRule,
  restNonceAgeRule,
  rateLimitedRule,
  loginNotCompletedRule,
  restRedirectedToLoginRule,
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
  // edge software (issue 16, helper edge)
  adminCookiePathRule,
  cookiesStrippedRule,
  wafContentFilterRule,
];

export { runRules, sortFindings } from './runner.js';

/** Every finding the observations support: the rules, then what the isolation experiments prove about them. */
export function judgeFindings(obs: Observations): Finding[] {
  const findings = runRules(RULES, obs);
  return obs.experiments.length ? sortFindings(applyIsolation(findings, obs)) : findings;
}
export type { Rule, RuleMeta, Requirement } from './types.js';
export type { Facts } from '../facts/index.js';
