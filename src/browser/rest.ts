// REST with the browser's cookie, with and without the nonce the admin page
// hands out, so a nonce problem is told apart from a cookie problem. The
// nonce value stays in memory (and in the page); only its source and age are
// recorded.

import type { Page } from 'puppeteer-core';
import type { Scrubber } from './scrub.js';
import type { RestAttempt, RestNonceProbe } from '../observations/browser.js';

export interface PageNonce {
  value: string | null;
  source: RestNonceProbe['nonceSource'];
  /** REST root the page advertises (wpApiSettings.root or the api.w.org link) */
  root: string | null;
  /** when the page carrying it was requested (an upper bound of its age) */
  since: number;
}

const READ_NONCE = `(() => {
  let nonce = null, source = null, root = null;
  try { if (window.wpApiSettings && window.wpApiSettings.nonce) { nonce = String(window.wpApiSettings.nonce); source = 'wpApiSettings'; } } catch (e) {}
  try {
    const m = window.wp && window.wp.apiFetch && window.wp.apiFetch.nonceMiddleware;
    if (!nonce && m && m.nonce) { nonce = String(m.nonce); source = 'apiFetch'; }
  } catch (e) {}
  try { if (window.wpApiSettings && window.wpApiSettings.root) root = String(window.wpApiSettings.root); } catch (e) {}
  if (!root) { const l = document.querySelector('link[rel="https://api.w.org/"]'); if (l) root = l.href; }
  return { nonce, source, root };
})()`;

/** Read the REST nonce from the page, or ask admin-ajax.php for one. */
export async function readNonce(page: Page, adminUrl: string, since: number): Promise<PageNonce> {
  let found: { nonce: string | null; source: PageNonce['source']; root: string | null } = { nonce: null, source: null, root: null };
  try {
    found = (await page.evaluate(READ_NONCE)) as typeof found;
  } catch {
    // keep looking below
  }
  if (found.nonce) return { value: found.nonce, source: found.source, root: found.root, since };
  const ajaxSince = Date.now();
  const ajax = new URL('admin-ajax.php?action=rest-nonce', adminUrl).toString();
  const r = await pageFetch(page, ajax, {});
  const text = r.body.trim();
  if (r.status === 200 && /^[0-9a-f]{6,32}$/i.test(text)) return { value: text, source: 'admin-ajax', root: found.root, since: ajaxSince };
  return { value: null, source: null, root: found.root, since };
}

interface FetchResult {
  status: number;
  body: string;
  /** the answer's X-WP-Nonce compared in the page with the one sent (its value never leaves the page) */
  echo: 'same' | 'changed' | 'absent';
  error?: string;
}

// Runs fetch() inside the page, so the browser's own cookies go along.
async function pageFetch(page: Page, url: string, headers: Record<string, string>): Promise<FetchResult> {
  const script = `(async () => {
    try {
      const h = ${JSON.stringify(headers)};
      const r = await fetch(${JSON.stringify(url)}, { credentials: 'same-origin', headers: h });
      const t = await r.text();
      const back = (r.headers.get('x-wp-nonce') || '').trim();
      return { status: r.status, body: t.slice(0, 4000), echo: !back || !h['X-WP-Nonce'] ? 'absent' : back === h['X-WP-Nonce'] ? 'same' : 'changed' };
    } catch (e) { return { status: 0, body: '', echo: 'absent', error: String(e && e.message || e) }; }
  })()`;
  try {
    return (await page.evaluate(script)) as FetchResult;
  } catch (err) {
    return { status: 0, body: '', echo: 'absent', error: err instanceof Error ? err.message : String(err) };
  }
}

export function restUrl(root: string | null, target: string, route: string): string {
  const base = root ?? new URL('wp-json/', target).toString();
  return base + route.replace(/^\//, '');
}

export function restCodeOf(body: string): string | null {
  try {
    const j = JSON.parse(body) as unknown;
    if (j && typeof j === 'object' && 'code' in j && typeof (j as { code: unknown }).code === 'string') return (j as { code: string }).code;
  } catch {
    // not JSON
  }
  return null;
}

/** GET /wp/v2/users/me from the page, with the nonce (fresh or aged) or without it. */
export async function probeUsersMe(page: Page, scrub: Scrubber, url: string, nonce: PageNonce | null, kind: RestAttempt['nonce']): Promise<RestAttempt> {
  const headers: Record<string, string> = {};
  let age: number | undefined;
  if (kind !== 'none' && nonce?.value) {
    headers['X-WP-Nonce'] = nonce.value;
    age = Date.now() - nonce.since;
  }
  const r = await pageFetch(page, url, headers);
  const attempt: RestAttempt = { url: scrub.url(url), nonce: kind, status: r.status, code: r.status === 200 ? null : restCodeOf(r.body) };
  if (age !== undefined) {
    attempt.nonceAgeMs = age;
    attempt.echo = r.status === 200 ? r.echo : 'absent';
  }
  if (r.error) attempt.error = scrub.text(r.error, 300);
  return attempt;
}
