// One login through wp-login.php over plain HTTP, the way a browser posts the
// form: used when the browser stage is off. One attempt per scan, never more,
// so the scan never looks like brute force to a login limiter.
import type { Engine } from '../http/index.js';
import type { Probe } from '../model.js';
import type { LoginAttempt } from '../observations/index.js';
import { isWordPressAuthCookie } from '../parse/set-cookie.js';

function setCookieNames(p: Probe): string[] {
  const names: string[] = [];
  for (const hop of p.chain) {
    for (const line of hop.headers['set-cookie'] ?? []) {
      const name = line.split('=')[0]?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

export function judgeLogin(post: Probe, kept: string[]): LoginAttempt['outcome'] {
  if (post.status === 0) return 'error';
  if ([401, 403, 429, 503].includes(post.status)) return 'blocked';
  const message = String(post.body?.facts?.message ?? '').toLowerCase();
  const finalPath = new URL(post.finalUrl).pathname;
  const atAdmin = finalPath.includes('/wp-admin') && post.status === 200 && post.body?.pageKind !== 'wp-login';
  if (atAdmin && kept.some((n) => n.startsWith('wordpress_logged_in_'))) return 'success';
  if (/cookies are blocked|cookies.*not supported/.test(message)) return 'cookies-blocked';
  if (/incorrect|not registered|unknown (username|email)|invalid username|password you entered/.test(message)) return 'wrong-credentials';
  if (post.body?.pageKind === 'wp-login' || finalPath.endsWith('wp-login.php')) return 'loop';
  if (atAdmin) return 'success';
  return 'interstitial';
}

export async function httpLogin(
  engine: Engine,
  base: string,
  user: string,
  password: string,
  basic?: { user: string; password: string },
): Promise<{ attempt: LoginAttempt; probes: Probe[] }> {
  const loginUrl = new URL('wp-login.php', base).toString();
  const credentials = basic ? { basic } : undefined;
  const page = await engine.probe({ source: 'login', first: true, url: loginUrl, auth: basic ? 'basic-site' : 'none', credentials });
  // A login page that already says "slow down" gets no form post at all.
  if (page.status === 429 || page.status === 503 || page.headers['retry-after']) {
    return { attempt: { probe: page.id, outcome: 'blocked', authCookiesSet: [], authCookiesKept: [] }, probes: [page] };
  }
  const action = typeof page.body?.facts?.loginAction === 'string' ? new URL(page.body.facts.loginAction, loginUrl).toString() : loginUrl;
  const post = await engine.probe({
    source: 'login',
    first: true,
    method: 'POST',
    url: action,
    auth: basic ? 'basic-site' : 'none',
    credentials,
    body: { form: { log: user, pwd: password, 'wp-submit': 'Log In', testcookie: '1', redirect_to: new URL('wp-admin/', base).toString() } },
  });
  const set = setCookieNames(post).filter(isWordPressAuthCookie);
  const jarCookies = await engine.jar.getCookies(new URL('wp-admin/', base).toString());
  const kept = jarCookies.map((c) => c.key).filter(isWordPressAuthCookie);
  const outcome = judgeLogin(post, kept);
  const attempt: LoginAttempt = { probe: post.id, outcome, authCookiesSet: [...new Set(set)], authCookiesKept: [...new Set(kept)] };
  const message = post.body?.facts?.message;
  if (typeof message === 'string' && message) attempt.message = message.slice(0, 300);
  return { attempt, probes: [page, post] };
}
