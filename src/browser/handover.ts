// Hand the browser's login over to the HTTP engine: its cookies go into the
// engine's jar so authenticated HTTP probes run without logging in again.
// Cookie values are secrets: they live only inside a CookieHandover, which
// refuses to be serialised or printed with its values.

import { inspect } from 'node:util';
import type { ImportedCookie, ImportResult } from '../http/cookies.js';
import type { Engine } from '../http/types.js';

/** The browser's cookies with their values. Secret: JSON.stringify and console output show only names. */
export class CookieHandover {
  readonly secret = true;
  readonly #cookies: ImportedCookie[];

  constructor(cookies: ImportedCookie[]) {
    this.#cookies = cookies.map((c) => ({ ...c }));
  }

  /** Copies of the cookies, values included: for the engine's jar only. */
  cookies(): ImportedCookie[] {
    return this.#cookies.map((c) => ({ ...c }));
  }

  get size(): number {
    return this.#cookies.length;
  }

  names(): string[] {
    return this.#cookies.map((c) => c.name);
  }

  toJSON(): { secret: true; cookies: string[] } {
    return { secret: true, cookies: this.names() };
  }

  [inspect.custom](): string {
    return `CookieHandover(${this.size} secret cookies: ${this.names().join(', ')})`;
  }
}

// The URL a cookie belongs to, for the jar's domain and Secure checks.
function urlFor(c: ImportedCookie, target: URL): string {
  const host = c.domain.replace(/^\./, '') || target.hostname;
  const scheme = c.secure ? 'https:' : target.protocol;
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}//${h}${c.path || '/'}`;
}

/** Put the browser's cookies into the engine's jar. */
export async function handOverCookies(engine: Pick<Engine, 'importCookies'>, handover: CookieHandover, target: string): Promise<ImportResult> {
  const base = new URL(target);
  const result: ImportResult = { imported: 0, rejected: [] };
  const groups = new Map<string, ImportedCookie[]>();
  for (const c of handover.cookies()) {
    const url = urlFor(c, base);
    groups.set(url, [...(groups.get(url) ?? []), c]);
  }
  for (const [url, cookies] of groups) {
    const r = await engine.importCookies(cookies, url);
    result.imported += r.imported;
    result.rejected.push(...r.rejected);
  }
  return result;
}
