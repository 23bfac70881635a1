// The shared fact "which cookies never stuck, and why", computed once from
// what the network log saw and what the browser kept. Pure functions.

import { cacheHits } from '../facts/marks.js';
import type { CookieLoss, CookieNotSent, CookieRefusal, LoginObservation, NavigationHop, SetCookieSeen, StoredCookie } from '../observations/browser.js';

/** Chrome's blocked-cookie reasons (DevTools protocol names) in a report's words. */
export function refusalOf(reasons: readonly string[]): CookieRefusal {
  const has = (re: RegExp) => reasons.some((r) => re.test(r));
  if (has(/Domain/)) return 'domain';
  if (has(/SecureOnly|OverwriteSecure|SchemeNotSupported|NonCookieableScheme/)) return 'secure';
  if (has(/SameSite/)) return 'samesite';
  if (has(/Size|ExceedsMax/)) return 'size';
  if (has(/Prefix/)) return 'prefix';
  if (has(/NotOnPath|Path/)) return 'path';
  if (has(/Syntax|DisallowedCharacter|NoCookieContent|InvalidCharacter/)) return 'syntax';
  if (has(/UserPreferences|ThirdParty/)) return 'preferences';
  return 'other';
}

const REFUSAL_TEXT: Record<CookieRefusal, string> = {
  domain: 'its Domain attribute does not cover the host the browser talked to (check COOKIE_DOMAIN)',
  path: 'its Path does not cover the page',
  secure: 'it is marked Secure but came over http://, or would overwrite a Secure cookie',
  samesite: 'its SameSite setting keeps it off this cross-site request (http and https of one host count as different sites)',
  size: 'it is too large',
  syntax: 'the header is malformed',
  prefix: 'its __Secure-/__Host- prefix rules are broken',
  preferences: "the browser's cookie settings block it",
  other: 'the browser refused it',
};

/** The answer says it came from a cache (X-Cache: HIT and friends, or Age > 0). */
export function servedFromCache(hop: Pick<NavigationHop, 'headers'> | undefined): string | null {
  if (!hop) return null;
  return cacheHits((h) => hop.headers[h])[0] ?? null;
}

function wpKindOf(name: string): CookieLoss['wordpress'] {
  if (name === 'wordpress_test_cookie') return 'test';
  if (name.startsWith('wordpress_logged_in_')) return 'logged-in';
  if (name.startsWith('wordpress_sec_')) return 'secure-auth';
  if (name.startsWith('wp-settings-')) return 'settings';
  if (name.startsWith('wordpress_')) return 'auth';
  return null;
}

const WOULD_BE_REFUSED = new Set(['secure-over-http', 'domain-mismatch', 'samesite-none-without-secure', 'prefix-violation', 'oversized']);

export interface LossInput {
  set: SetCookieSeen[];
  notSent: CookieNotSent[];
  stored: StoredCookie[];
  login: Pick<LoginObservation, 'outcome' | 'messageKind' | 'sentOnSubmit' | 'chain'>;
}

/** Every cookie that was refused, would be refused on a real host, never set, kept off requests, or lost on the way. */
export function cookieLosses(input: LossInput): CookieLoss[] {
  const out: CookieLoss[] = [];
  const seen = new Set<string>();
  const push = (l: CookieLoss) => {
    const key = `${l.kind}\u0000${l.name}\u0000${l.reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(l);
  };

  for (const c of input.set) {
    if (c.clearing) continue;
    if (c.blocked) {
      const reason = c.reason ?? 'other';
      push({
        name: c.name,
        wordpress: c.wordpress,
        url: c.url,
        kind: 'refused',
        reason,
        detail: `The browser refused cookie "${c.name}" from ${c.url}: ${REFUSAL_TEXT[reason]} (${c.browserReasons.join(', ')}).`,
      });
      continue;
    }
    for (const p of c.problems) {
      if (!WOULD_BE_REFUSED.has(p)) continue;
      push({
        name: c.name,
        wordpress: c.wordpress,
        url: c.url,
        kind: 'would-be-refused',
        reason: p,
        detail:
          p === 'secure-over-http'
            ? `Cookie "${c.name}" is marked Secure but was set over http:// (${c.url}); Chrome kept it only because this host is loopback, browsers drop it on a real host name.`
            : `Cookie "${c.name}" from ${c.url} has a problem browsers refuse (${p}).`,
      });
    }
  }

  for (const n of input.notSent) {
    if (n.reason === 'path' || n.reason === 'domain') continue;
    push({
      name: n.name,
      wordpress: wpKindOf(n.name),
      url: n.url,
      kind: 'not-sent',
      reason: n.reason,
      detail: `The browser kept stored cookie "${n.name}" off ${n.count} request(s), first ${n.url}: ${REFUSAL_TEXT[n.reason]} (${n.browserReasons.join(', ')}).`,
    });
  }

  const login = input.login;
  if (login.outcome !== 'loop') return out;

  const chain = login.chain;
  const setNames = new Set(input.set.filter((c) => !c.clearing).map((c) => c.name));
  const formHop = chain.find((h) => h.method === 'GET' && /wp-login\.php/.test(h.url) && h.status === 200);
  const submitIdx = chain.findIndex((h) => h.method === 'POST');
  const submitHop = submitIdx >= 0 ? chain[submitIdx] : undefined;

  if (formHop && !formHop.setCookies.includes('wordpress_test_cookie') && !login.sentOnSubmit.includes('wordpress_test_cookie')) {
    const cache = servedFromCache(formHop);
    push({
      name: 'wordpress_test_cookie',
      wordpress: 'test',
      url: formHop.url,
      kind: 'not-set',
      reason: cache ? 'served-from-cache' : 'missing',
      detail: cache
        ? `The login page was served from a cache (${cache}) without its Set-Cookie, so wordpress_test_cookie never reached the browser and WordPress refuses the login.`
        : 'The login page did not set wordpress_test_cookie, so WordPress refuses the login as "cookies blocked".',
    });
  }

  const loggedInSet = [...setNames].some((n) => n.startsWith('wordpress_logged_in_'));
  if (submitHop && !loggedInSet) {
    const answers = chain.slice(submitIdx);
    const cached = answers.map((h) => servedFromCache(h)).find((c) => c !== null) ?? null;
    push({
      name: 'wordpress_logged_in_*',
      wordpress: 'logged-in',
      url: submitHop.url,
      kind: 'not-set',
      reason: cached ? 'served-from-cache' : 'missing',
      detail: cached
        ? `The answer to the login form came from a cache (${cached}) and set no login cookie.`
        : 'The answer to the login form set no wordpress_logged_in_* cookie.',
    });
  }

  const storedNames = new Set(input.stored.map((c) => c.name));
  if (login.messageKind === 'cookies' && login.sentOnSubmit.includes('wordpress_test_cookie')) {
    push({
      name: 'wordpress_test_cookie',
      wordpress: 'test',
      url: submitHop?.url ?? '',
      kind: 'not-received',
      reason: 'stripped-on-the-way',
      detail:
        'The browser stored wordpress_test_cookie and sent it with the login form, yet WordPress answered that no cookies arrived: something between the browser and WordPress (a proxy, CDN or firewall) drops the Cookie header.',
    });
  } else if (login.outcome === 'loop' && [...storedNames].some((n) => n.startsWith('wordpress_logged_in_'))) {
    push({
      name: [...storedNames].find((n) => n.startsWith('wordpress_logged_in_')) ?? 'wordpress_logged_in_*',
      wordpress: 'logged-in',
      url: submitHop?.url ?? '',
      kind: 'not-received',
      reason: 'stripped-on-the-way',
      detail: 'The browser holds a login cookie, yet the site keeps sending it back to the login form: the cookie does not reach WordPress, or a cached answer ignores it.',
    });
  }
  return out;
}
