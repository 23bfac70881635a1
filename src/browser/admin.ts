// Visit wp-admin like a logged-in person: /wp-admin/ and then the pages of
// the admin menu (bounded), noting 401/403, bounces to the login form and
// wp_die "not allowed" pages.

import type { Page } from 'puppeteer-core';
import { settleNavigation } from './settle.js';
import type { NetworkLog } from './network-log.js';
import type { Scrubber } from './scrub.js';
import type { AdminPage } from '../observations/browser.js';

// Menu links left alone: they write to the database (post-new.php makes an
// auto-draft), ask wordpress.org (slow or hanging on a closed network), or act.
const SKIP: { re: RegExp; reason: string }[] = [
  { re: /[?&](_wpnonce|action)=|logout/i, reason: 'an action link, not a page' },
  { re: /\/(post|media|user|site|link)-new\.php/i, reason: 'creates content (post-new.php writes an auto-draft)' },
  { re: /\/(plugin-install|theme-install|update-core|update)\.php/i, reason: 'asks wordpress.org' },
  { re: /\/customize\.php/i, reason: 'the Customizer loads the whole site in a frame' },
];

export interface PickedLinks {
  urls: string[];
  skipped: { url: string; reason: string }[];
  found: number;
  truncated: boolean;
}

/** Which admin menu links to visit: same origin, under wp-admin, no duplicates, safe, at most max. Pure. */
export function pickAdminLinks(hrefs: string[], adminUrl: string, max: number): PickedLinks {
  const admin = new URL(adminUrl);
  // The dashboard is the admin folder's index.php (the menu's own link to
  // it): the crawl starts there, so neither spelling is loaded again.
  const seen = new Set<string>([admin.toString(), new URL('index.php', admin).toString()]);
  const urls: string[] = [];
  const skipped: PickedLinks['skipped'] = [];
  let found = 0;
  let truncated = false;
  for (const href of hrefs) {
    let u: URL;
    try {
      u = new URL(href, admin);
    } catch {
      continue;
    }
    u.hash = '';
    if (u.origin !== admin.origin || !u.pathname.startsWith(admin.pathname)) continue;
    const key = u.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    found++;
    const skip = SKIP.find((s) => s.re.test(key));
    if (skip) {
      skipped.push({ url: key, reason: skip.reason });
      continue;
    }
    if (urls.length >= max) {
      truncated = true;
      continue;
    }
    urls.push(key);
  }
  return { urls, skipped, found, truncated };
}

const READ_ADMIN_PAGE = `(() => {
  const body = document.body;
  const die = Boolean(body && (body.id === 'error-page' || document.querySelector('.wp-die-message')));
  const box = document.querySelector('.wp-die-message') || body;
  return { title: document.title, die, text: die && box ? (box.textContent || '').slice(0, 600) : '' };
})()`;

const READ_MENU_LINKS = `Array.from(document.querySelectorAll('#adminmenu a')).map((a) => a.href)`;

export async function readMenuLinks(page: Page): Promise<string[]> {
  try {
    return (await page.evaluate(READ_MENU_LINKS)) as string[];
  } catch {
    return [];
  }
}

export interface AdminVisitContext {
  page: Page;
  net: NetworkLog;
  scrub: Scrubber;
  timeoutMs: number;
  shoot(reason: string): Promise<string | undefined>;
}

function errorCode(message: string): string {
  const net = /net::(ERR_[A-Z_]+)/.exec(message);
  if (net?.[1]) return net[1].toLowerCase();
  if (/timeout/i.test(message)) return 'timeout';
  return 'navigation-failed';
}

/** Load one admin page and say what it was. Never throws. */
export async function visitAdminPage(ctx: AdminVisitContext, url: string, opts: { wholeDom?: boolean } = {}): Promise<AdminPage> {
  const started = Date.now();
  const mark = ctx.net.mark();
  const result: AdminPage = { url: ctx.scrub.url(url), status: 0, finalUrl: '', bouncedToLogin: false, notAllowed: false, ms: 0 };
  try {
    const go = (signal?: AbortSignal) => ctx.page.goto(url, { waitUntil: 'domcontentloaded', timeout: ctx.timeoutMs, ...(signal ? { signal } : {}) });
    // wholeDom: the caller reads more than the title (the menu, the REST nonce)
    result.status = (opts.wholeDom ? (await go())?.status() : await settleNavigation(ctx.page, go)) ?? 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result.error = { code: errorCode(message), message: ctx.scrub.text(message, 300) };
  }
  return describeAdminPage(ctx, result, mark, started);
}

/**
 * The admin page the login landed on, taken as the first admin page instead
 * of loading it a second time: the same URL, the same cookies, the same
 * answer. The caller reads the REST nonce, which core prints in the footer
 * (wp_localize_script's `wpApiSettings`, before wp-api-request's script tag),
 * so the page is ready once that is defined — a quarter of the way through
 * the dashboard's footer scripts, which say nothing about authentication —
 * or, where nothing defines it, once its whole DOM is parsed. `mark` is the
 * network log's mark from before the login was submitted; `status` the
 * landing's HTTP status.
 */
export async function adoptAdminPage(ctx: AdminVisitContext, url: string, status: number, mark: number, since: number): Promise<AdminPage> {
  const result: AdminPage = { url: ctx.scrub.url(url), status, finalUrl: '', bouncedToLogin: false, notAllowed: false, ms: 0 };
  try {
    await ctx.page.waitForFunction(
      () => {
        const settings = (window as { wpApiSettings?: { nonce?: unknown } }).wpApiSettings;
        return document.readyState !== 'loading' || Boolean(settings?.nonce);
      },
      { timeout: ctx.timeoutMs, polling: 25 },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result.error = { code: errorCode(message), message: ctx.scrub.text(message, 300) };
  }
  return describeAdminPage(ctx, result, mark, since);
}

async function describeAdminPage(ctx: AdminVisitContext, result: AdminPage, mark: number, started: number): Promise<AdminPage> {
  const finalUrl = ctx.page.url();
  result.finalUrl = ctx.scrub.url(finalUrl);
  try {
    result.bouncedToLogin = new URL(finalUrl).pathname.endsWith('/wp-login.php');
  } catch {
    // about:blank after a failed navigation
  }
  const last = ctx.net.navigations(mark).at(-1);
  if (last && Object.keys(last.headers).length > 0) result.headers = last.headers;
  if (!result.error) {
    try {
      const info = (await ctx.page.evaluate(READ_ADMIN_PAGE)) as { title: string; die: boolean; text: string };
      if (info.title) result.title = ctx.scrub.text(info.title, 200);
      if (info.die) {
        result.message = ctx.scrub.text(info.text, 300);
        result.notAllowed = /not allowed|sufficient permissions|permission to|cheatin/i.test(info.text);
      }
    } catch {
      // the page went away under us; status and URL are still evidence
    }
  }
  result.ms = Date.now() - started;
  const failed = result.error || result.bouncedToLogin || result.notAllowed || result.status >= 400;
  if (failed) {
    const reason = result.bouncedToLogin ? 'admin-bounced' : result.notAllowed ? 'admin-not-allowed' : result.error ? 'admin-error' : `admin-http-${result.status}`;
    const file = await ctx.shoot(reason);
    if (file) result.screenshot = file;
  }
  return result;
}
