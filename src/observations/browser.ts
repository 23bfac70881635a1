// What the browser session gathers. Everything in BrowserObservations is
// plain JSON data a rule can read from a saved file: names, reasons, statuses
// and timings. Secrets (passwords, cookie values, nonce values) never enter
// it; the cookie values a later HTTP probe needs travel separately, in a
// CookieHandover (handover.ts).

import type { CookieProblemCode, SameSite, WordPressCookieKind } from '../parse/set-cookie.js';


export const LOGIN_OUTCOMES = ['success', 'wrong-credentials', 'loop', 'interstitial', 'blocked', 'error', 'not-attempted'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/** One main-frame navigation hop (redirects included). */
export interface NavigationHop {
  method: string;
  /** query values that look secret (nonces, tokens) are redacted */
  url: string;
  /** 0 when no answer came */
  status: number;
  location?: string;
  /** names of the cookies the answer set (never values) */
  setCookies: string[];
  /** names of the cookies the browser sent with the request */
  sentCookies: string[];
  /** cache and server headers that explain an answer: x-cache, age, cache-control, server… */
  headers: Record<string, string>;
  /** the answer came from the browser's own cache */
  fromDiskCache?: boolean;
}

export type InterstitialKind = '2fa' | 'captcha' | 'challenge';

export interface LoginObservation {
  outcome: LoginOutcome;
  /** the form's address */
  loginUrl: string;
  /** where the browser ended up after submitting */
  finalUrl: string | null;
  /** status of the last main-frame answer */
  status: number | null;
  /** WordPress's #login_error text (secrets scrubbed) */
  message?: string;
  /** what the message is about */
  messageKind?: 'credentials' | 'cookies' | 'other';
  /** 2FA / CAPTCHA / challenge: a person must finish this step */
  interstitial?: { kind: InterstitialKind; hint: string };
  /** the final URL carries reauth=1 (WordPress asks for the login again) */
  reauth: boolean;
  /** a wordpress_logged_in_* cookie is in the browser after the login */
  authCookieStored: boolean;
  /** names of the cookies the browser sent with the login form */
  sentOnSubmit: string[];
  /** every main-frame hop, from the form page to the end of the login */
  chain: NavigationHop[];
  /** a short explanation for a report */
  detail?: string;
  error?: { code: string; message: string };
}

/** How a browser's refusal reads in a report. */
export type CookieRefusal = 'domain' | 'path' | 'secure' | 'samesite' | 'size' | 'syntax' | 'prefix' | 'preferences' | 'other';

/** One Set-Cookie line the server sent, as the browser took it. */
export interface SetCookieSeen {
  name: string;
  /** response that carried it (redacted) */
  url: string;
  status: number;
  wordpress: WordPressCookieKind | null;
  domain: string | null;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite | null;
  /** the server deletes the cookie (blank value or past expiry) */
  clearing: boolean;
  /** the browser refused to store it */
  blocked: boolean;
  /** Chrome's reasons (DevTools protocol names, e.g. InvalidDomain, SecureOnly) */
  browserReasons: string[];
  reason: CookieRefusal | null;
  /**
   * What wp401's own judge says of the line, judging loopback like any other
   * host (a Secure cookie over http://127.0.0.1 passes in Chrome only because
   * loopback counts as secure; on the real host name it would be dropped).
   */
  problems: CookieProblemCode[];
}

/** A stored cookie the browser kept off a request, and why (scoping by path/host is normal and left out). */
export interface CookieNotSent {
  name: string;
  /** first request it was kept off (redacted) */
  url: string;
  browserReasons: string[];
  reason: CookieRefusal;
  /** how many requests it was kept off */
  count: number;
}

/** A cookie that never stuck: the computed fact rules read. */
export interface CookieLoss {
  name: string;
  wordpress: WordPressCookieKind | null;
  url: string;
  /**
   * refused: the browser would not store it · would-be-refused: stored here only
   * because the host is loopback · not-set: the server never sent it ·
   * not-sent: stored but kept off requests · not-received: sent, yet the site
   * said no cookie arrived (something between dropped it)
   */
  kind: 'refused' | 'would-be-refused' | 'not-set' | 'not-sent' | 'not-received';
  reason: CookieRefusal | CookieProblemCode | 'served-from-cache' | 'missing' | 'stripped-on-the-way';
  /** one sentence for a report; names, never values */
  detail: string;
}

/** A cookie in the browser at the end: attributes only. */
export interface StoredCookie {
  name: string;
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
  /** Unix seconds; null for a session cookie */
  expires: number | null;
}

export interface CookieObservations {
  set: SetCookieSeen[];
  notSent: CookieNotSent[];
  lost: CookieLoss[];
  stored: StoredCookie[];
}

export interface AdminPage {
  url: string;
  status: number;
  finalUrl: string;
  title?: string;
  /** ended on wp-login.php */
  bouncedToLogin: boolean;
  /** a wp_die page ("Sorry, you are not allowed…") */
  notAllowed: boolean;
  /** the wp_die text, scrubbed and short */
  message?: string;
  /** cache and server headers of the final answer (x-cache, age…) */
  headers?: Record<string, string>;
  ms: number;
  screenshot?: string;
  error?: { code: string; message: string };
}

export interface AdminCrawl {
  pages: AdminPage[];
  /** admin menu links found on /wp-admin/ */
  menuLinks: number;
  /** menu links left out on purpose (they write or reach the internet) */
  skipped: { url: string; reason: string }[];
  /** more links than maxAdminPages */
  truncated: boolean;
}

export interface RestAttempt {
  url: string;
  nonce: 'none' | 'fresh' | 'aged';
  status: number;
  /** the REST error code, when the answer was one */
  code: string | null;
  /** how old the nonce was when sent (ms since the page that carried it was served) */
  nonceAgeMs?: number;
  /**
   * The X-WP-Nonce core sends back on an accepted cookie request (a new nonce
   * for the current tick): the one sent ('same': no tick boundary passed
   * since it was made), another ('changed'), or none. Absent in older recordings.
   */
  echo?: 'same' | 'changed' | 'absent';
  error?: string;
}

export interface RestNonceProbe {
  /** where the nonce came from; null when none was found */
  nonceSource: 'wpApiSettings' | 'apiFetch' | 'admin-ajax' | null;
  /** the page the nonce was taken from */
  nonceFrom: string;
  attempts: RestAttempt[];
}

export interface ConsoleEntry {
  type: 'error' | 'pageerror';
  text: string;
  url?: string;
}

export interface Screenshot {
  /** file name inside screenshotsDir */
  file: string;
  path: string;
  reason: string;
  url: string;
}

export interface BrowserObservations {
  kind: 'browser';
  target: string;
  startedAt: string;
  browser: { path: string; source: string; version: string | null; args: string[] } | null;
  timings: {
    launchMs: number | null;
    loginMs: number | null;
    adminCrawlMs: number | null;
    restMs: number | null;
    totalMs: number;
    /** the aged-nonce probe: the age it waits for, and how long the session idled for it (the admin pages usually fill the time) */
    nonceAge?: { minAgeMs: number; waitedMs: number };
  };
  login: LoginObservation;
  cookies: CookieObservations;
  admin: AdminCrawl | null;
  rest: RestNonceProbe | null;
  console: ConsoleEntry[];
  screenshots: Screenshot[];
  /** the session itself failed (launch, abort); site problems are in login/admin */
  error?: { code: string; message: string };
}
