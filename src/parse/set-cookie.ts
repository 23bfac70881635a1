// Judge one Set-Cookie header the way a browser would: will it be stored, and
// will it come back on the requests that need it? Parsing is tough-cookie's;
// the judgement (which problems matter for a WordPress login) is ours.
//
// Cookie values are secrets. Nothing returned here contains the value; only
// its length, and whether it is blank (which is how WordPress clears cookies).

import { Cookie, canonicalDomain, domainMatch, pathMatch } from 'tough-cookie';

export const COOKIE_PROBLEM_CODES = [
  'unparseable',
  'domain-mismatch',
  'path-mismatch',
  'secure-over-http',
  'samesite-none-without-secure',
  'prefix-violation',
  'already-expired',
  'oversized',
] as const;
export type CookieProblemCode = (typeof COOKIE_PROBLEM_CODES)[number];

export interface CookieProblem {
  code: CookieProblemCode;
  /** one sentence for a report; never contains the cookie value */
  message: string;
}

export type SameSite = 'strict' | 'lax' | 'none';

export type WordPressCookieKind = 'logged-in' | 'secure-auth' | 'auth' | 'test' | 'settings';

export interface CookieJudgement {
  /** null when the header could not be parsed at all */
  name: string | null;
  /** bytes of the value; the value itself is never kept */
  valueLength: number;
  /** the Domain attribute, canonical (lower case, no leading dot); null for a host-only cookie */
  domain: string | null;
  hostOnly: boolean;
  /** the effective path: the Path attribute, or the default path of the request URL */
  path: string;
  pathIsDefault: boolean;
  secure: boolean;
  httpOnly: boolean;
  /** null when absent or not one of strict/lax/none (browsers then default to lax) */
  sameSite: SameSite | null;
  /** the Expires attribute as ISO-8601, if present and parseable */
  expires: string | null;
  /** the Max-Age attribute in seconds, if present */
  maxAge: number | null;
  /** true when neither Expires nor Max-Age is set */
  session: boolean;
  /** the value is blank or the expiry is already past: the server is deleting the cookie (e.g. WordPress logout) */
  clearing: boolean;
  wordpress: WordPressCookieKind | null;
  /** host and path of the request that received the header; null host when the URL did not parse */
  requestHost: string | null;
  requestPath: string;
  problems: CookieProblem[];
}

export interface JudgeSetCookieOptions {
  /** the clock to judge expiry against (default: now) */
  now?: Date;
  /**
   * The path the site needs this cookie on (e.g. `/wp-json/` for the
   * logged-in cookie). When given, `path-mismatch` is judged against it
   * instead of the request path.
   */
  needPath?: string;
  /**
   * Browsers treat http://localhost and http://127.0.0.1 as secure contexts
   * and keep Secure cookies there. Default true; false reports
   * `secure-over-http` on loopback too (for clients that are not browsers).
   */
  loopbackIsSecure?: boolean;
}

/** Headers longer than this are not parsed (they are far past any browser limit). */
export const MAX_SET_COOKIE_LENGTH = 16 * 1024;
/** Browsers drop a cookie whose name plus value exceed this many bytes. */
export const MAX_COOKIE_BYTES = 4096;
const MAX_NAME_LENGTH = 256;

/** Which of WordPress's own cookies this is, by name; null for any other cookie. */
export function wordPressCookieKind(name: string): WordPressCookieKind | null {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH) return null;
  if (name === 'wordpress_test_cookie') return 'test';
  if (name.startsWith('wp-settings-')) return name.length > 'wp-settings-'.length ? 'settings' : null;
  if (name.startsWith('wordpress_logged_in_')) return isHash(name.slice('wordpress_logged_in_'.length)) ? 'logged-in' : null;
  if (name.startsWith('wordpress_sec_')) return isHash(name.slice('wordpress_sec_'.length)) ? 'secure-auth' : null;
  if (name.startsWith('wordpress_')) return isHash(name.slice('wordpress_'.length)) ? 'auth' : null;
  return null;
}

/**
 * True for the cookies WordPress sets around a login: `wordpress_logged_in_<hash>`,
 * `wordpress_sec_<hash>`, `wordpress_<hash>`, `wordpress_test_cookie`, `wp-settings-*`.
 */
export function isWordPressAuthCookie(name: string): boolean {
  return wordPressCookieKind(name) !== null;
}

// COOKIEHASH is md5(siteurl) by default, but a site may define its own; accept
// any short alphanumeric run rather than exactly 32 hex digits.
function isHash(s: string): boolean {
  if (s.length === 0 || s.length > 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum) return false;
  }
  return true;
}

/** Would a cookie with this judgement be sent on a request to `path`? (RFC 6265 §5.1.4 path-match) */
export function cookieCoversPath(judgement: Pick<CookieJudgement, 'path'>, path: string): boolean {
  try {
    const reqPath = typeof path === 'string' && path.startsWith('/') ? path : '/';
    return pathMatch(reqPath, judgement.path);
  } catch {
    return false;
  }
}

/** Parse and judge one Set-Cookie header received from `requestUrl`. Never throws. */
export function judgeSetCookie(header: string, requestUrl: string, opts: JudgeSetCookieOptions = {}): CookieJudgement {
  const url = safeUrl(requestUrl);
  const requestHost = url ? hostOf(url) : null;
  const requestPath = url ? url.pathname || '/' : '/';
  const judgement: CookieJudgement = {
    name: null,
    valueLength: 0,
    domain: null,
    hostOnly: true,
    path: defaultPathOf(requestPath),
    pathIsDefault: true,
    secure: false,
    httpOnly: false,
    sameSite: null,
    expires: null,
    maxAge: null,
    session: true,
    clearing: false,
    wordpress: null,
    requestHost,
    requestPath,
    problems: [],
  };
  try {
    judge(judgement, header, url, opts);
  } catch {
    if (!judgement.problems.some((p) => p.code === 'unparseable')) {
      judgement.problems.push({ code: 'unparseable', message: 'The Set-Cookie header could not be judged.' });
    }
  }
  return judgement;
}

function judge(j: CookieJudgement, header: string, url: URL | null, opts: JudgeSetCookieOptions): void {
  if (typeof header !== 'string' || header.length > MAX_SET_COOKIE_LENGTH) {
    const text = typeof header === 'string' ? header : '';
    j.name = cheapName(text);
    j.wordpress = j.name === null ? null : wordPressCookieKind(j.name);
    j.problems.push({ code: 'unparseable', message: 'The Set-Cookie header is too long to be a usable cookie.' });
    if (text.length > MAX_SET_COOKIE_LENGTH) {
      j.problems.push({ code: 'oversized', message: `The cookie is over ${MAX_COOKIE_BYTES} bytes; browsers drop it.` });
    }
    return;
  }

  const cookie = Cookie.parse(header, { loose: false });
  if (!cookie) {
    j.name = cheapName(header);
    j.wordpress = j.name === null ? null : wordPressCookieKind(j.name);
    j.problems.push({ code: 'unparseable', message: 'The Set-Cookie header does not parse as a cookie; browsers ignore it.' });
    return;
  }

  const name = cookie.key.length > MAX_NAME_LENGTH ? `${cookie.key.slice(0, MAX_NAME_LENGTH)}…` : cookie.key;
  const label = `Cookie "${name}"`;
  j.name = name;
  j.wordpress = wordPressCookieKind(cookie.key);
  j.valueLength = utf8Length(cookie.value);
  j.domain = cookie.domain ? (canonicalDomain(cookie.domain) ?? cookie.domain) : null;
  j.hostOnly = j.domain === null;
  if (typeof cookie.path === 'string' && cookie.path.startsWith('/')) {
    j.path = cookie.path;
    j.pathIsDefault = false;
  }
  j.secure = cookie.secure === true;
  j.httpOnly = cookie.httpOnly === true;
  const sameSite = typeof cookie.sameSite === 'string' ? cookie.sameSite.toLowerCase() : '';
  j.sameSite = sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none' ? sameSite : null;
  j.expires = cookie.expires instanceof Date && !Number.isNaN(cookie.expires.getTime()) ? cookie.expires.toISOString() : null;
  j.maxAge = typeof cookie.maxAge === 'number' && Number.isFinite(cookie.maxAge) ? cookie.maxAge : null;
  j.session = j.expires === null && j.maxAge === null;

  const now = opts.now instanceof Date && !Number.isNaN(opts.now.getTime()) ? opts.now.getTime() : Date.now();
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  const expired = j.maxAge !== null ? j.maxAge <= 0 : cookie.expires instanceof Date && cookie.expires.getTime() <= now;
  j.clearing = expired || isBlankValue(cookie.value);

  if (j.domain !== null && j.requestHost !== null && !domainCovers(j.requestHost, j.domain)) {
    j.problems.push({
      code: 'domain-mismatch',
      message: `${label} is set for domain "${j.domain}" but the request went to "${j.requestHost}"; the browser rejects it (check COOKIE_DOMAIN).`,
    });
  }

  const needPath = typeof opts.needPath === 'string' && opts.needPath.startsWith('/') ? opts.needPath : null;
  if (needPath !== null) {
    if (!cookieCoversPath(j, needPath)) {
      j.problems.push({
        code: 'path-mismatch',
        message: `${label} has path "${j.path}", so it is not sent to "${needPath}" where the site needs it.`,
      });
    }
  } else if (!cookieCoversPath(j, j.requestPath) && !isScopedWordPressAuthCookie(j)) {
    j.problems.push({
      code: 'path-mismatch',
      message: `${label} has path "${j.path}", which does not cover the request path "${j.requestPath}".`,
    });
  }

  if (j.secure && url !== null && url.protocol === 'http:') {
    const loopback = j.requestHost !== null && isLoopbackHost(j.requestHost);
    if (!loopback || opts.loopbackIsSecure === false) {
      j.problems.push({
        code: 'secure-over-http',
        message: `${label} is marked Secure but was set over http://; the browser drops it.`,
      });
    }
  }

  if (j.sameSite === 'none' && !j.secure) {
    j.problems.push({
      code: 'samesite-none-without-secure',
      message: `${label} has SameSite=None without Secure; browsers reject it.`,
    });
  }

  const prefixProblem = checkPrefix(j, url);
  if (prefixProblem !== null) j.problems.push({ code: 'prefix-violation', message: `${label} ${prefixProblem}` });

  if (expired) {
    j.problems.push({
      code: 'already-expired',
      message: j.clearing
        ? `${label} is sent already expired: the server is deleting it.`
        : `${label} is already expired when it arrives.`,
    });
  }

  if (utf8Length(cookie.key) + j.valueLength > MAX_COOKIE_BYTES) {
    j.problems.push({
      code: 'oversized',
      message: `${label} is over ${MAX_COOKIE_BYTES} bytes (name plus value); browsers drop it.`,
    });
  }
}

// WordPress puts wordpress_<hash> and wordpress_sec_<hash> on ADMIN_COOKIE_PATH
// (…/wp-admin) and PLUGINS_COOKIE_PATH (…/wp-content/plugins) on purpose, from
// a login at /wp-login.php. Those are not mismatches unless a caller says
// which path it needs (opts.needPath).
function isScopedWordPressAuthCookie(j: CookieJudgement): boolean {
  if (j.wordpress !== 'auth' && j.wordpress !== 'secure-auth') return false;
  const p = j.path.endsWith('/') ? j.path.slice(0, -1) : j.path;
  return p.endsWith('/wp-admin') || p.endsWith('/wp-content/plugins') || p.endsWith('/plugins');
}

function checkPrefix(j: CookieJudgement, url: URL | null): string | null {
  if (j.name === null) return null;
  const secureOrigin = url !== null && (url.protocol === 'https:' || (j.requestHost !== null && isLoopbackHost(j.requestHost)));
  if (j.name.startsWith('__Host-')) {
    if (!j.secure || !secureOrigin || j.domain !== null || j.path !== '/' || j.pathIsDefault) {
      return 'uses the __Host- prefix, which requires Secure, Path=/, no Domain and an https origin; browsers reject it.';
    }
  } else if (j.name.startsWith('__Secure-')) {
    if (!j.secure || !secureOrigin) {
      return 'uses the __Secure- prefix, which requires Secure and an https origin; browsers reject it.';
    }
  }
  return null;
}

function domainCovers(host: string, domain: string): boolean {
  // An IP address only ever matches itself (RFC 6265 §5.1.3).
  if (isIpAddress(host)) return host === domain;
  return domainMatch(host, domain) === true;
}

function isIpAddress(host: string): boolean {
  if (host.includes(':')) return true;
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => p.length > 0 && p.length <= 3 && /^[0-9]+$/.test(p));
}

function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '[::1]') return true;
  return isIpAddress(host) && host.startsWith('127.');
}

function isBlankValue(value: string): boolean {
  const v = value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  // PHP encodes WordPress's " " as "+"; others send %20.
  return v.replaceAll('%20', '').replaceAll('+', '').trim() === '';
}

function safeUrl(s: string): URL | null {
  try {
    if (typeof s !== 'string' || s.length > MAX_SET_COOKIE_LENGTH) return null;
    return new URL(s);
  } catch {
    return null;
  }
}

function hostOf(url: URL): string | null {
  const h = url.hostname.toLowerCase();
  if (h === '') return null;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

// RFC 6265 §5.1.4 default-path: up to, not including, the right-most "/".
function defaultPathOf(path: string): string {
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/** The cookie name without parsing: text before the first "=" or ";", bounded. */
function cheapName(header: string): string | null {
  const head = header.slice(0, MAX_NAME_LENGTH + 1);
  let end = head.length;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0x3d || c === 0x3b) {
      end = i;
      break;
    }
  }
  if (end > MAX_NAME_LENGTH || head.charCodeAt(end) !== 0x3d) return null;
  const name = head.slice(0, end).trim();
  return name === '' ? null : name;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
