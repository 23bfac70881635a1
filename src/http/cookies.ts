// Cookie jar helpers: store what a hop set (keeping the reason when a cookie
// is refused, which is evidence for the browser-layer rules) and take over
// cookies from a browser session.

import { Cookie, type CookieJar } from 'tough-cookie';

export interface CookieVerdict {
  /** cookie name, never its value */
  name: string;
  stored: boolean;
  reason?: string;
  /** the value, for the caller to register as a secret; never recorded */
  value?: string;
}

export function cookieNameOf(setCookie: string): string {
  const pair = setCookie.split(';', 1)[0] ?? '';
  const eq = pair.indexOf('=');
  return (eq < 0 ? pair : pair.slice(0, eq)).trim();
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Store each Set-Cookie line as a browser would. Nothing throws: a refused
 * cookie is left out of the jar (as with tough-cookie's `ignoreError`) and
 * comes back with tough-cookie's reason.
 */
export async function storeSetCookies(jar: CookieJar, lines: string[], url: string): Promise<CookieVerdict[]> {
  const verdicts: CookieVerdict[] = [];
  for (const line of lines) {
    const name = cookieNameOf(line);
    try {
      const cookie = await jar.setCookie(line, url);
      if (cookie) verdicts.push({ name, stored: true, value: cookie.value });
      else verdicts.push({ name, stored: false, reason: 'Cookie was not stored' });
    } catch (err) {
      verdicts.push({ name, stored: false, reason: messageOf(err) });
    }
  }
  return verdicts;
}

/** A cookie as a browser (puppeteer's `Page.cookies()`) reports it. */
export interface ImportedCookie {
  name: string;
  value: string;
  /** a leading dot means "this domain and its subdomains"; without it the cookie is host-only */
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Unix time in seconds; missing, 0 or negative means a session cookie */
  expires?: number;
  sameSite?: string;
}

export interface ImportResult {
  imported: number;
  rejected: { name: string; reason: string }[];
}

export async function importCookies(jar: CookieJar, cookies: ImportedCookie[], url: string): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, rejected: [] };
  for (const c of cookies) {
    try {
      const domain = String(c.domain ?? '');
      const sameSite = typeof c.sameSite === 'string' ? c.sameSite.toLowerCase() : undefined;
      const cookie = new Cookie({
        key: c.name,
        value: c.value,
        domain: domain.replace(/^\./, '') || null,
        hostOnly: domain !== '' && !domain.startsWith('.'),
        path: c.path || '/',
        secure: Boolean(c.secure),
        httpOnly: Boolean(c.httpOnly),
        expires: typeof c.expires === 'number' && c.expires > 0 ? new Date(c.expires * 1000) : 'Infinity',
        sameSite: sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none' ? sameSite : undefined,
      });
      const stored = await jar.setCookie(cookie, url);
      if (stored) result.imported++;
      else result.rejected.push({ name: c.name, reason: 'Cookie was not stored' });
    } catch (err) {
      result.rejected.push({ name: String(c.name), reason: messageOf(err) });
    }
  }
  return result;
}
