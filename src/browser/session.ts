// The browser session: log in through wp-login.php like a person, visit
// wp-admin, probe REST with cookie + nonce, and record which cookies never
// stuck. Site problems become observations; only a missing browser throws.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Cookie, Page, Protocol } from 'puppeteer-core';
import type { ImportedCookie } from '../http/cookies.js';
import { adoptAdminPage, pickAdminLinks, readMenuLinks, visitAdminPage, type AdminVisitContext } from './admin.js';
import { cookieLosses } from './cookie-facts.js';
import { requireChrome } from './find-chrome.js';
import { CookieHandover } from './handover.js';
import { isLoopbackHost, type LaunchedBrowser, type LaunchOptions, launchBrowser } from './launch.js';
import { classifyLogin, type PageMarkers, READ_PAGE_MARKERS } from './login-classify.js';
import { NetworkLog } from './network-log.js';
import { probeUsersMe, readNonce, restUrl } from './rest.js';
import { Scrubber } from './scrub.js';
import { settleNavigation } from './settle.js';
import type { AdminCrawl, BrowserObservations, LoginObservation, RestAttempt, RestNonceProbe, Screenshot, StoredCookie } from '../observations/browser.js';
import type { BrowserOptions } from './options.js';

export interface BrowserGather {
  observations: BrowserObservations;
  /** the browser's cookies with values, for the HTTP engine (handOverCookies); secret, never serialised */
  handover: CookieHandover;
  /**
   * Settles when Chromium has exited and its profile is removed. The
   * observations are complete before that: the caller goes on (the cookie
   * probes) and awaits this before the scan ends.
   */
  closed: Promise<void>;
}

/** How Chromium is started for these options: the same for a prelaunch, an early start and a late one. */
export function launchOptionsFor(opts: BrowserOptions, chromePath: string): LaunchOptions {
  return {
    executablePath: chromePath,
    insecure: opts.insecure,
    ...(opts.trustedServerKeys ? { trustedServerKeys: opts.trustedServerKeys } : {}),
    blockOtherHosts: opts.blockOtherHosts ?? isLoopbackHost(siteBase(opts.target).hostname),
    timeoutMs: opts.timeoutMs,
    ...(opts.log ? { log: opts.log } : {}),
  };
}

/** Chromium started by launchEarly: hand it to gatherBrowser, or close it. */
export interface EarlyBrowser {
  readonly launched: LaunchedBrowser;
  close(): Promise<void>;
}

/** What an early start prepared for the session that takes it (module-private: the session's internals). */
const prepared = new WeakMap<EarlyBrowser, Session>();

/**
 * Start Chromium now, for a session that gatherBrowser(opts, early) runs
 * later: a scan starts it while discovery waits on the network. It also
 * opens the page the session uses and, for a login, loads the login page —
 * a GET discovery itself sends — so the session starts at the form: on a
 * machine where discovery takes as long as Chromium's start, that page was
 * the first step of the scan's longest chain. Nothing is posted before
 * gatherBrowser runs (the scan calls it only once the site is known to be
 * WordPress). The caller owns the result: hand it to gatherBrowser or close
 * it. A missing Chrome rejects here and is thrown again, as a configuration
 * error, by gatherBrowser.
 */
export function launchEarly(opts: BrowserOptions): Promise<EarlyBrowser> {
  const early = (async () => {
    const launched = await launchBrowser(launchOptionsFor(opts, opts.executablePath ?? requireChrome().path));
    const out: EarlyBrowser = { launched, close: () => launched.close() };
    try {
      const s = newSession(opts, launched);
      await s.setUp();
      if (opts.user && opts.password && !opts.signal?.aborted) s.openLoginPage();
      prepared.set(out, s);
    } catch {
      // the session sets up its page itself (and says what failed)
    }
    return out;
  })();
  early.catch(() => undefined);
  return early;
}

const USERS_ME = 'wp/v2/users/me';

/**
 * Core's password-strength library, wp-includes/js/zxcvbn.min.js (about 800
 * KB): zxcvbn-async.js adds it to a page once the page has loaded, for the
 * strength meter of a new password (password-strength-meter.js,
 * wp.passwordStrength.meter); the login page has it for its reset form.
 * Nothing a login, a cookie or a REST request does reads it, and compiling it
 * took a large part of Chromium's CPU on each login page, while the form was
 * being filled, on the cores the site shares. It is not loaded (the request
 * fails as blocked by the client; its console line is left out). Elsewhere
 * (a plugin that moves wp-includes) it loads as before.
 */
export function unneededScript(url: string): boolean {
  try {
    return /\/wp-includes\/js\/zxcvbn\.min\.js$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

function siteBase(target: string): URL {
  const u = new URL(target);
  u.hash = '';
  u.search = '';
  if (!u.pathname.endsWith('/')) u.pathname = u.pathname.replace(/[^/]*$/, '');
  return u;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function navErrorCode(message: string): string {
  const net = /net::(ERR_[A-Z_]+)/.exec(message);
  if (net?.[1]) return net[1].toLowerCase();
  if (/timeout/i.test(message)) return 'timeout';
  return 'navigation-failed';
}

function emptyLogin(loginUrl: string): LoginObservation {
  return { outcome: 'not-attempted', loginUrl, finalUrl: null, status: null, reauth: false, authCookieStored: false, sentOnSubmit: [], chain: [] };
}

function storedOf(c: Cookie): StoredCookie {
  return {
    name: c.name,
    domain: c.domain,
    path: c.path,
    secure: c.secure,
    httpOnly: c.httpOnly === true,
    sameSite: c.sameSite ?? null,
    expires: c.session || !(c.expires > 0) ? null : Math.round(c.expires),
  };
}

/** `here` is the admin page `want` names: the same origin and path (or its index.php), no query. */
function sameAdminPage(here: URL, want: URL): boolean {
  return here.origin === want.origin && here.search === '' && (here.pathname === want.pathname || here.pathname === `${want.pathname}index.php`);
}

function domainCoversHost(domain: string, host: string): boolean {
  const d = domain.replace(/^\./, '').toLowerCase();
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return d === h || (domain.startsWith('.') && h.endsWith(`.${d}`));
}

class Session {
  readonly obs: BrowserObservations;
  readonly scrub = new Scrubber();
  readonly net: NetworkLog;
  readonly base: URL;
  readonly timeoutMs: number;
  page!: Page;
  client!: CDPSession;
  #shots = 0;
  /** the last screenshot: its file, the network log's mark and the page's URL when it was taken */
  #lastShot: { file: string; mark: number; url: string } | null = null;
  /** our own REST probes: their expected 401/403 are not the site's console errors */
  readonly probeUrls = new Set<string>();
  /** scripts not loaded (unneededScript): their "blocked" console line is the scan's, not the site's */
  readonly skippedUrls = new Set<string>();
  /** the login form's submission: the network log's mark and the time just before it, and where it landed (HTTP status) */
  submitted: { mark: number; at: number; status: number } | null = null;

  /** the login page's load: started once, by openLoginPage */
  #loginPage: Promise<boolean> | null = null;
  #loginMark = 0;
  #loginStarted = 0;

  constructor(
    /** the session's options; an early start's session takes the caller's hooks when it is handed over */
    public opts: BrowserOptions,
    readonly b: LaunchedBrowser,
    obs: BrowserObservations,
    scrub: Scrubber,
  ) {
    this.obs = obs;
    this.scrub = scrub;
    this.net = new NetworkLog(scrub);
    this.base = siteBase(opts.target);
    this.timeoutMs = opts.timeoutMs ?? 30000;
  }

  checkAbort(): void {
    this.opts.signal?.throwIfAborted();
  }

  /** The page's own scripts on or off for the documents loaded next (Emulation.setScriptExecutionDisabled). */
  async scriptsOn(on: boolean): Promise<void> {
    try {
      await this.page.setJavaScriptEnabled(on);
    } catch {
      // the page went away (an abort closes the browser): the next step says so
    }
  }

  async setUp(): Promise<void> {
    const browser = this.b.browser;
    this.page = (await browser.pages())[0] ?? (await browser.newPage());
    this.page.setDefaultNavigationTimeout(this.timeoutMs);
    this.page.setDefaultTimeout(this.timeoutMs);
    this.client = await this.page.createCDPSession();
    this.net.attach(this.client);
    await this.client.send('Network.enable');
    try {
      const tree = await this.client.send('Page.getFrameTree');
      this.net.mainFrameId = tree.frameTree.frame.id;
    } catch {
      // without it every document request counts as a navigation
    }
    await this.answerAuthChallenges(this.opts.basic);
    this.page.on('console', (m) => {
      if (m.type() !== 'error' || this.obs.console.length >= 50) return;
      const loc = m.location()?.url;
      if (loc && (this.probeUrls.has(loc) || this.skippedUrls.has(loc))) return;
      this.obs.console.push({ type: 'error', text: this.scrub.text(m.text(), 300), ...(loc ? { url: this.scrub.url(loc) } : {}) });
    });
    this.page.on('pageerror', (e) => {
      if (this.obs.console.length >= 50) return;
      this.obs.console.push({ type: 'pageerror', text: this.scrub.text(messageOf(e), 300) });
    });
  }

  // Basic-auth credentials go only to the target's origin; every other
  // challenge is cancelled so the browser shows the 401 (headless Chrome
  // would otherwise wait on a login prompt nobody answers).
  async answerAuthChallenges(basic: { user: string; password: string } | undefined): Promise<void> {
    const origin = this.base.origin;
    const tried = new Set<string>();
    this.client.on('Fetch.requestPaused', (e: Protocol.Fetch.RequestPausedEvent) => {
      if (e.resourceType === 'Script' && unneededScript(e.request.url)) {
        this.skippedUrls.add(e.request.url);
        this.client.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'BlockedByClient' }).catch(() => {});
        return;
      }
      this.client.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {});
    });
    this.client.on('Fetch.authRequired', (e: Protocol.Fetch.AuthRequiredEvent) => {
      const ours = basic !== undefined && e.authChallenge.source !== 'Proxy' && e.authChallenge.origin === origin && !tried.has(e.requestId);
      tried.add(e.requestId);
      const authChallengeResponse: Protocol.Fetch.AuthChallengeResponse = ours
        ? { response: 'ProvideCredentials', username: basic?.user, password: basic?.password }
        : { response: 'CancelAuth' };
      this.client.send('Fetch.continueWithAuth', { requestId: e.requestId, authChallengeResponse }).catch(() => {});
    });
    await this.client.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  }

  /**
   * Types the user name and password into the form the way a paste or a
   * password manager does (real input events through the browser, one per
   * field, not a scripted `.value`), then checks the fields hold exactly that.
   * wp-login.php focuses and selects the user field on a 200 ms timer; if it
   * fires between two fields the check fails and the fill runs again.
   */
  async fillLoginForm(user: string, password: string): Promise<void> {
    const { page } = this;
    for (let attempt = 0; attempt < 4; attempt++) {
      await page.evaluate(() => {
        for (const id of ['user_login', 'user_pass']) {
          const field = document.getElementById(id) as HTMLInputElement | null;
          if (field) field.value = '';
        }
      });
      await page.focus('#user_login');
      await page.keyboard.sendCharacter(user);
      await page.focus('#user_pass');
      await page.keyboard.sendCharacter(password);
      const ok = await page.evaluate(
        (u, p) => (document.getElementById('user_login') as HTMLInputElement | null)?.value === u && (document.getElementById('user_pass') as HTMLInputElement | null)?.value === p,
        user,
        password,
      );
      if (ok) return;
    }
  }

  async shoot(reason: string): Promise<string | undefined> {
    const dir = this.opts.screenshotsDir;
    if (!dir) return undefined;
    // The page has not navigated since the last picture (a looped login's
    // landing, then taken as the admin page's bounce): the same document,
    // named once.
    const last = this.#lastShot;
    if (last && this.net.navigations(last.mark).length === 0 && last.url === this.page.url()) return last.file;
    this.#shots++;
    // Fixed words and a counter: nothing from the site or the user in the name.
    const file = `${String(this.#shots).padStart(2, '0')}-${reason.replace(/[^a-z0-9-]/gi, '')}.png`;
    const path = join(dir, file);
    const mark = this.net.mark();
    const url = this.page.url();
    try {
      await mkdir(dir, { recursive: true });
      await this.page.screenshot({ path: path as `${string}.png`, type: 'png' });
    } catch {
      return undefined;
    }
    const shot: Screenshot = { file, path, reason, url: this.scrub.url(url) };
    this.obs.screenshots.push(shot);
    this.#lastShot = { file, mark, url };
    return file;
  }

  async markers(): Promise<PageMarkers | null> {
    try {
      return (await this.page.evaluate(READ_PAGE_MARKERS)) as PageMarkers;
    } catch {
      return null;
    }
  }

  async cookies(): Promise<Cookie[]> {
    try {
      return await this.b.browser.cookies();
    } catch {
      return [];
    }
  }

  /**
   * Load the login page, once (an early start begins it before discovery
   * ends): resolves true when its form can be filled, false when the login
   * ends there (blocked, a person's step, no form). A failed navigation
   * rejects; login() reports it.
   */
  openLoginPage(): Promise<boolean> {
    if (!this.#loginPage) {
      this.#loginMark = this.net.mark();
      this.#loginStarted = Date.now();
      this.#loginPage = this.loginPageSteps(this.obs.login);
      this.#loginPage.catch(() => undefined);
    }
    return this.#loginPage;
  }

  async login(user: string, password: string): Promise<void> {
    const login = this.obs.login;
    const opened = this.openLoginPage();
    const mark = this.#loginMark;
    try {
      if (await opened) await this.submitSteps(login, user, password);
    } catch (err) {
      this.checkAbort();
      const message = messageOf(err);
      login.outcome = 'error';
      login.error = { code: navErrorCode(message), message: this.scrub.text(message, 300) };
      login.detail = 'The browser could not complete the login.';
      await this.shoot('login-error');
    }
    login.chain = this.net.navigations(mark);
    const submit = this.net.hops.slice(mark).find((h) => h.type === 'Document' && h.method === 'POST');
    login.sentOnSubmit = submit ? [...new Set(submit.sent)] : [];
    this.obs.timings.loginMs = Date.now() - this.#loginStarted;
  }

  async loginPageSteps(login: LoginObservation): Promise<boolean> {
    const page = this.page;
    const resp = await page.goto(login.loginUrl, { waitUntil: 'domcontentloaded' });
    login.status = resp?.status() ?? null;
    login.finalUrl = this.scrub.url(page.url());
    const status = login.status ?? 0;
    if (status === 401 || status === 403 || status === 429) {
      login.outcome = 'blocked';
      login.detail = `The login page itself answered HTTP ${status}.`;
      await this.shoot('login-blocked');
      return false;
    }
    const before = await this.markers();
    if (before?.interstitial) {
      login.outcome = 'interstitial';
      login.interstitial = before.interstitial;
      login.detail = `${before.interstitial.hint} A person must finish this step; wp401 does not bypass it.`;
      await this.shoot('login-interstitial');
      return false;
    }
    if (!before?.hasLoginForm) {
      login.outcome = 'error';
      login.error = { code: 'no-login-form', message: 'The login page has no WordPress login form (#loginform).' };
      login.detail = `The login page (HTTP ${status}) shows no WordPress login form.`;
      await this.shoot('login-no-form');
      return false;
    }
    return true;
  }

  async submitSteps(login: LoginObservation, user: string, password: string): Promise<void> {
    const page = this.page;
    await this.fillLoginForm(user, password);
    login.status = (await this.submitLogin()) ?? login.status;
    const [after, stored] = await Promise.all([this.markers(), this.cookies()]);
    login.finalUrl = this.scrub.url(page.url());
    login.reauth = /[?&]reauth=1/.test(page.url());
    login.authCookieStored = stored.some((c) => c.name.startsWith('wordpress_logged_in_'));
    const verdict = classifyLogin({
      url: after?.url ?? page.url(),
      title: after?.title ?? '',
      hasLoginForm: after?.hasLoginForm ?? false,
      loginError: after?.loginError ?? null,
      adminScreen: after?.adminScreen ?? false,
      interstitial: after?.interstitial ?? null,
      status: login.status,
      authCookieStored: login.authCookieStored,
    });
    login.outcome = verdict.outcome;
    login.detail = verdict.detail;
    if (verdict.messageKind) login.messageKind = verdict.messageKind;
    if (after?.loginError) login.message = this.scrub.text(after.loginError, 400);
    if (after?.interstitial) login.interstitial = after.interstitial;
    if (verdict.outcome !== 'success') await this.shoot(`login-${verdict.outcome}`);
  }

  /**
   * Submits the login form and waits for where it lands; returns that page's
   * HTTP status. An admin screen is known as soon as its menu is parsed, so
   * the login does not wait for the dashboard's scripts; anything else (the
   * form again, an error, a plugin's step) is read once its DOM is complete.
   */
  async submitLogin(): Promise<number | null> {
    const { page } = this;
    const submitted = { mark: this.net.mark(), at: Date.now(), status: 0 };
    const status = await settleNavigation(page, async (signal) => {
      const landed = page.waitForNavigation({ waitUntil: 'domcontentloaded', signal });
      const submit = (await page.$('#wp-submit')) ? '#wp-submit' : null;
      await (submit ? page.click(submit) : page.keyboard.press('Enter'));
      return landed;
    });
    submitted.status = status ?? 0;
    this.submitted = submitted;
    return status;
  }

  /** The login landed on the admin page the crawl starts with (WordPress's default redirect). */
  landedOn(url: string): boolean {
    if (!this.submitted || this.obs.login.outcome !== 'success') return false;
    try {
      return sameAdminPage(new URL(this.page.url()), new URL(url));
    } catch {
      return false;
    }
  }

  /**
   * A login that looped got there through the admin page the crawl starts
   * with: after the POST, the browser itself requested that page with the
   * cookies the login left it, the page redirected, and the browser is still
   * on wp-login.php where that redirect ended. That is the answer a new visit
   * would get (the same URL, the same cookies), already loaded and seen; a
   * login that came back to the form without passing through it (a 200 POST
   * that says cookies did not arrive) does not count, and the crawl visits.
   */
  bouncedFrom(url: string): boolean {
    if (!this.submitted || this.obs.login.outcome !== 'loop') return false;
    try {
      const want = new URL(url);
      const here = new URL(this.page.url());
      if (here.origin !== want.origin || !here.pathname.endsWith('/wp-login.php')) return false;
      // The hops' URLs are scrubbed: they are compared by origin and path, which hold no secret.
      const hops = this.net.navigations(this.submitted.mark);
      const admin = hops.findIndex((h) => h.method === 'GET' && h.status >= 300 && h.status < 400 && sameAdminPage(new URL(h.url), want));
      const last = hops.at(-1);
      return admin >= 0 && last !== undefined && admin < hops.length - 1 && new URL(last.url).pathname === here.pathname;
    } catch {
      return false;
    }
  }

  adminContext(): AdminVisitContext {
    return { page: this.page, net: this.net, scrub: this.scrub, timeoutMs: this.timeoutMs, shoot: (r) => this.shoot(r) };
  }

  /** After a good login: /wp-admin/, REST with and without the nonce, the menu pages, REST with the aged nonce. */
  async crawl(full: boolean): Promise<void> {
    const ctx = this.adminContext();
    const adminUrl = new URL('wp-admin/', this.base).toString();
    const crawl: AdminCrawl = { pages: [], menuLinks: 0, skipped: [], truncated: false };
    this.obs.admin = crawl;
    let restMs = 0;
    const started = Date.now();
    // The login's landing page is /wp-admin/ (WordPress's default redirect):
    // it is taken as it is, not loaded again; its nonce is dated from the
    // login's submission (before the server made it, as for a fresh load).
    // So is a looped login's bounce from /wp-admin/ back to the form.
    const landing = this.landedOn(adminUrl) || this.bouncedFrom(adminUrl) ? this.submitted : null;
    const navStart = landing?.at ?? Date.now();
    const first = landing ? await adoptAdminPage(ctx, adminUrl, landing.status, landing.mark, landing.at) : await visitAdminPage(ctx, adminUrl, { wholeDom: true });
    crawl.pages.push(first);
    const usable = full && !first.bouncedToLogin && !first.error && first.status < 400;
    if (!usable) {
      this.obs.timings.adminCrawlMs = Date.now() - started;
      return;
    }
    // REST straight away, while the page's nonce is fresh.
    const restStart = Date.now();
    const nonce = await readNonce(this.page, adminUrl, navStart);
    this.scrub.add(nonce.value);
    const meUrl = restUrl(nonce.root, this.base.toString(), USERS_ME);
    this.probeUrls.add(meUrl);
    const rest: RestNonceProbe = { nonceSource: nonce.source, nonceFrom: this.scrub.url(this.page.url()), attempts: [] };
    this.obs.rest = rest;
    const fresh = nonce.value ? await probeUsersMe(this.page, this.scrub, meUrl, nonce, 'fresh') : null;
    const freshAnswered = Date.now();
    this.opts.onNonceSent?.();
    if (fresh) rest.attempts.push(fresh);
    rest.attempts.push(await probeUsersMe(this.page, this.scrub, meUrl, null, 'none'));
    restMs += Date.now() - restStart;
    const restBeforeCrawl = restMs;

    const links = pickAdminLinks(await readMenuLinks(this.page), adminUrl, Math.max(0, (this.opts.maxAdminPages ?? 15) - 1));
    crawl.menuLinks = links.found;
    crawl.skipped = links.skipped.map((s) => ({ url: this.scrub.url(s.url), reason: s.reason }));
    crawl.truncated = links.truncated;
    // The menu's screens are loaded without running their scripts. What a
    // screen says about authentication is decided on the server before any
    // byte of it is sent (admin.php: auth_redirect(), then the screen's
    // capability check and wp_die()): its status, where it ends, its title
    // and a wp_die text are in the document itself. The scripts a screen then
    // runs (the media grid's Backbone app, list tables, heartbeat's first
    // tick a minute on) were half of Chromium's CPU for these pages on the
    // two cores it shares with the site, and no rule reads what they do. The
    // login and the dashboard, whose nonce the REST checks use, run theirs.
    // DevTools' own evaluation (the page's title, the REST probes) still works.
    if (links.urls.length) await this.scriptsOn(false);
    try {
      for (const url of links.urls) {
        this.checkAbort();
        crawl.pages.push(await visitAdminPage(ctx, url));
      }
    } finally {
      if (links.urls.length) await this.scriptsOn(true);
    }
    const crawlEnd = Date.now();

    if (nonce.value) {
      const agedStart = Date.now();
      // The aged probe is sent from the page the nonce came from, so only the nonce's age differs.
      let waited = 0;
      const waitUntil = async (at: number): Promise<void> => {
        const wait = at - Date.now();
        if (wait <= 0) return;
        waited += wait;
        await new Promise((r) => setTimeout(r, wait));
      };
      // Core echoed the fresh nonce unchanged: no tick had passed since it was
      // made. A request a second after that answer reaches PHP in a later
      // second of time(), past a tick boundary whenever nonce_life is 2 s or
      // less — the range a 2.5 s old nonce catches for certain. Refused then,
      // or echoed unchanged again, it is the answer (src/gather/nonce.ts).
      let aged: RestAttempt | null = null;
      let minAgeMs = this.opts.nonceMinAgeMs ?? 0;
      const tickMs = this.opts.nonceTickMs ?? 0;
      if (tickMs > 0 && tickMs < minAgeMs && fresh?.status === 200 && fresh.echo === 'same') {
        await waitUntil(freshAnswered + tickMs);
        this.checkAbort();
        const early = await probeUsersMe(this.page, this.scrub, meUrl, nonce, 'aged');
        if (early.status !== 200 || early.echo === 'same') {
          aged = early;
          minAgeMs = tickMs;
        }
      }
      if (!aged) {
        await waitUntil(nonce.since + minAgeMs);
        aged = await probeUsersMe(this.page, this.scrub, meUrl, nonce, 'aged');
      }
      this.obs.timings.nonceAge = { minAgeMs, waitedMs: Math.round(waited) };
      rest.attempts.push(aged);
      restMs += Date.now() - agedStart;
    }
    this.obs.timings.adminCrawlMs = crawlEnd - started - restBeforeCrawl;
    this.obs.timings.restMs = restMs;
  }

  /** The cookies the browser holds for the scanned host, values included, for the engine's jar. */
  handover(all: Cookie[]): CookieHandover {
    const host = this.base.hostname;
    const mine = all.filter((c) => domainCoversHost(c.domain, host));
    const handed: ImportedCookie[] = mine.map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly === true,
      ...(c.session || !(c.expires > 0) ? {} : { expires: c.expires }),
      ...(c.sameSite ? { sameSite: c.sameSite } : {}),
    }));
    for (const c of all) if (c.value.length >= 8) this.scrub.add(c.value);
    return new CookieHandover(handed);
  }

  async finish(): Promise<CookieHandover> {
    const all = await this.cookies();
    const handed = this.handover(all);
    const stored = all.map(storedOf);
    this.obs.cookies = {
      set: this.net.setCookies(),
      notSent: this.net.notSent(),
      stored,
      lost: cookieLosses({ set: this.net.setCookies(), notSent: this.net.notSent(), stored, login: this.obs.login }),
    };
    return handed;
  }
}

/** A session's observations before anything is seen, and the scrubber that knows its secrets. */
function freshState(opts: BrowserOptions): { obs: BrowserObservations; scrub: Scrubber } {
  const scrub = new Scrubber();
  scrub.add(opts.password);
  scrub.add(opts.basic?.password);
  const base = siteBase(opts.target);
  const obs: BrowserObservations = {
    kind: 'browser',
    target: scrub.url(base.toString()),
    startedAt: new Date().toISOString(),
    browser: null,
    timings: { launchMs: null, loginMs: null, adminCrawlMs: null, restMs: null, totalMs: 0 },
    login: emptyLogin(scrub.url(new URL('wp-login.php', base).toString())),
    cookies: { set: [], notSent: [], lost: [], stored: [] },
    admin: null,
    rest: null,
    console: [],
    screenshots: [],
  };
  return { obs, scrub };
}

function newSession(opts: BrowserOptions, b: LaunchedBrowser): Session {
  const { obs, scrub } = freshState(opts);
  return new Session(opts, b, obs, scrub);
}

/**
 * Log in through the browser, crawl wp-admin, probe REST; returns plain
 * observations and, separately, the secret cookie hand-over. `early` is a
 * Chromium launchEarly(opts) started (with its page, and the login page
 * loading); this session then owns and closes it, and runs with `opts`.
 */
export async function gatherBrowser(opts: BrowserOptions, early?: Promise<EarlyBrowser>): Promise<BrowserGather> {
  const started = Date.now();
  const closeEarly = (): Promise<void> => (early ? early.then((e) => e.close()).catch(() => undefined) : Promise.resolve());
  // A missing browser is a configuration error the CLI reports with exit 2: let it through.
  let chrome: { path: string; source: string };
  try {
    chrome = opts.executablePath ? { path: opts.executablePath, source: 'option' } : requireChrome();
  } catch (err) {
    void closeEarly();
    throw err;
  }
  let handover = new CookieHandover([]);
  let closed: Promise<void> = Promise.resolve();
  let launched: LaunchedBrowser | null = null;
  let s: Session | null = null;
  // What a session that never had a browser reports (it failed to start, the scan was stopped first).
  const fallback = freshState(opts);
  // An abort closes the browser at once; whatever the session is waiting for then fails fast.
  const onAbort = (): void => void launched?.close();
  try {
    opts.signal?.throwIfAborted();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let b: LaunchedBrowser;
    if (early) {
      const e = await early;
      b = e.launched;
      launched = b;
      s = prepared.get(e) ?? null;
      prepared.delete(e);
    } else {
      b = await launchBrowser(launchOptionsFor(opts, chrome.path));
      launched = b;
    }
    opts.signal?.throwIfAborted();
    if (s) s.opts = opts;
    else {
      s = newSession(opts, b);
      await s.setUp();
    }
    const obs = s.obs;
    obs.timings.launchMs = b.launchMs;
    obs.browser = { path: chrome.path, source: chrome.source, version: null, args: b.args };
    obs.browser.version = await b.browser.version().catch(() => null);
    try {
      if (opts.user && opts.password) {
        await s.login(opts.user, opts.password);
        s.checkAbort();
        opts.log?.(`browser: login ${obs.login.outcome}`);
        // Logged in: the cookies the login set are what the HTTP line's
        // cookie probes test, and they need nothing the crawl below adds.
        if (obs.login.outcome === 'success' && opts.onLoggedIn) opts.onLoggedIn(s.handover(await s.cookies()));
        if (obs.login.outcome === 'success' || obs.login.outcome === 'loop') await s.crawl(obs.login.outcome === 'success');
      }
    } finally {
      handover = await s.finish();
    }
    // Chromium went away under the session (a signal closed it, it crashed):
    // what the session saw is partial, and it says so.
    if (!b.browser.connected) throw new Error('Chromium closed during the session');
  } catch (err) {
    const aborted = opts.signal?.aborted === true;
    const obs = (s ?? fallback).obs;
    obs.error = { code: aborted ? 'aborted' : 'browser-failed', message: (s ?? fallback).scrub.text(messageOf(err), 400) };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // Closing (Chromium's exit, the profile's removal) runs while the caller goes on.
    const b = launched as LaunchedBrowser | null;
    closed = b ? b.close() : closeEarly();
  }
  const { obs, scrub } = s ?? fallback;
  obs.timings.totalMs = Date.now() - started;
  return { observations: scrub.deep(obs), handover, closed };
}
