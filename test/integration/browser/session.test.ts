// The browser session against the live test bed: real Chromium, real
// WordPress, no mocks. Each gather is followed by a leftover check.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserGather, gatherBrowser, launchEarly } from '../../../src/browser/session.js';
import type { BrowserOptions } from '../../../src/browser/options.js';
import { handOverCookies } from '../../../src/browser/handover.js';
import { discardPrelaunched, launchBrowser, prelaunchBrowser } from '../../../src/browser/launch.js';
import { createEngine } from '../../../src/http/engine.js';
import { profileFromLog, settle } from '../../support/browser-leftovers.js';
import { P, REPO } from '../../../fixtures/testbed/paths.js';
import { requireTestbed, resetScenario, scenario } from '../../support/testbed.js';

async function gather(name: string, extra: Partial<BrowserOptions> = {}, early = false): Promise<BrowserGather> {
  const s = scenario(name);
  const lines: string[] = [];
  const opts: BrowserOptions = { target: s.url, user: s.adminUser, password: s.adminPassword, ...extra, log: (m) => lines.push(m) };
  const r = await gatherBrowser(opts, early ? launchEarly(opts) : undefined);
  // the observations come before Chromium has exited: the session hands its close over
  await r.closed;
  const dir = profileFromLog(lines);
  assert.ok(dir, `the launch logged its profile folder: ${lines.join(' | ')}`);
  const left = await settle(dir);
  assert.deepEqual(left.processes, [], 'no browser process is left');
  assert.equal(left.folder, false, 'the profile folder is removed');
  const json = JSON.stringify(r.observations);
  for (const secret of [s.adminPassword, s.appPassword, s.editorPassword, extra.password].filter(Boolean) as string[]) {
    assert.ok(!json.includes(secret), 'no password in the observations');
  }
  for (const c of r.handover.cookies()) if (c.value.length >= 8) assert.ok(!json.includes(c.value), `no value of cookie ${c.name} in the observations`);
  assert.ok(!JSON.stringify(r.handover).includes('"value"'), 'the hand-over does not serialise its values');
  return r;
}

function lossesOf(r: Pick<BrowserGather, 'observations'>) {
  return r.observations.cookies.lost;
}

const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
const FULL_CHROMIUM = '/usr/lib/chromium/chromium';

describe('browser session (live test bed)', function () {
  this.timeout(120000);
  let shots: string;

  before(async () => {
    await requireTestbed();
    shots = await mkdtemp(join(tmpdir(), 'wp401-shots-'));
  });
  after(async () => {
    await rm(shots, { recursive: true, force: true });
  });

  it('healthy: logs in, crawls the admin menu, REST 200 with the nonce and 401 without', async () => {
    const { observations: o, handover } = await gather('healthy');
    assert.equal(o.error, undefined);
    assert.equal(o.login.outcome, 'success', o.login.detail);
    assert.ok(o.login.authCookieStored);
    assert.ok(o.login.chain.some((h) => h.method === 'POST' && h.setCookies.some((n) => n.startsWith('wordpress_logged_in_'))));
    const pages = o.admin?.pages ?? [];
    assert.ok(pages.length > 5, `more than 5 admin pages (${pages.length})`);
    assert.ok(pages.length <= 15);
    for (const p of pages) {
      assert.equal(p.bouncedToLogin, false, `${p.url} did not bounce`);
      assert.equal(p.notAllowed, false, `${p.url} is allowed`);
      assert.equal(p.status, 200, p.url);
    }
    assert.ok(!pages.some((p) => /post-new\.php/.test(p.url)), 'post-new.php (writes an auto-draft) is skipped');
    const fresh = o.rest?.attempts.find((a) => a.nonce === 'fresh');
    const none = o.rest?.attempts.find((a) => a.nonce === 'none');
    assert.equal(fresh?.status, 200);
    assert.equal(none?.status, 401);
    assert.equal(none?.code, 'rest_not_logged_in');
    assert.equal(lossesOf({ observations: o }).filter((l) => l.kind === 'refused').length, 0);
    assert.ok(o.timings.launchMs !== null && o.timings.loginMs !== null && o.timings.adminCrawlMs !== null);

    // The hand-over lets the HTTP engine act as the logged-in user.
    const engine = createEngine({ timeoutMs: 15000 });
    try {
      const imported = await handOverCookies(engine, handover, scenario('healthy').url);
      assert.ok(imported.imported >= 3, JSON.stringify(imported));
      const p = await engine.probe({ source: 'test', url: new URL('wp-admin/', scenario('healthy').url).toString(), auth: 'cookie', followRedirects: false });
      assert.equal(p.status, 200);
    } finally {
      await engine.close();
    }
  });

  it('the browser found on this machine is Debian\'s headless shell, started in puppeteer\'s shell mode', async () => {
    assert.ok(existsSync(HEADLESS_SHELL), `${HEADLESS_SHELL} is installed by the test bed (chromium-headless-shell)`);
    const b = await launchBrowser({ blockOtherHosts: true });
    try {
      assert.equal(b.chrome.path, HEADLESS_SHELL);
      const headless = b.browser.process()?.spawnargs.filter((a) => a.startsWith('--headless'));
      assert.deepEqual(headless, ['--headless'], 'the shell mode, not --headless=new');
      assert.match(await b.browser.version(), /^HeadlessChrome\//);
    } finally {
      await b.close();
    }
  });

  it('healthy with the full Chromium browser (a machine without the headless shell): the same session', async () => {
    const { observations: o } = await gather('healthy', { executablePath: FULL_CHROMIUM });
    assert.equal(o.error, undefined);
    assert.equal(o.browser?.path, FULL_CHROMIUM);
    assert.match(o.browser?.version ?? '', /^Chrome\//);
    assert.equal(o.login.outcome, 'success', o.login.detail);
    const pages = o.admin?.pages ?? [];
    assert.ok(pages.length > 1 && pages.every((p) => p.status === 200 && !p.bouncedToLogin), JSON.stringify(pages.map((p) => [p.url, p.status])));
    assert.deepEqual(
      o.rest?.attempts.map((a) => [a.nonce, a.status]),
      [
        ['fresh', 200],
        ['none', 401],
        ['aged', 200],
      ],
    );
  });

  it('cookie-domain-mismatch: the login cookies are refused for their domain', async () => {
    const { observations: o } = await gather('cookie-domain-mismatch', { screenshotsDir: shots });
    assert.equal(o.login.outcome, 'loop');
    assert.equal(o.login.authCookieStored, false);
    const refused = o.cookies.lost.filter((l) => l.kind === 'refused' && l.reason === 'domain');
    assert.ok(refused.some((l) => l.name.startsWith('wordpress_logged_in_')), JSON.stringify(o.cookies.lost));
    assert.ok(refused.some((l) => l.name === 'wordpress_test_cookie'));
    const set = o.cookies.set.find((c) => c.name.startsWith('wordpress_logged_in_'));
    assert.equal(set?.blocked, true);
    assert.equal(set?.domain, 'staging.example.com');
    assert.ok(o.screenshots.some((s) => s.reason === 'login-loop'));
    const files = await readdir(shots);
    for (const s of o.screenshots) assert.ok(files.includes(s.file));
    // The POST answered the form itself (200): the login never passed through
    // /wp-admin/, so the crawl visits it and pictures its bounce.
    assert.deepEqual(
      o.login.chain.map((h) => [h.method, h.status]),
      [
        ['GET', 200],
        ['POST', 200],
      ],
    );
    assert.equal(o.admin?.pages[0]?.bouncedToLogin, true);
    assert.deepEqual(
      o.screenshots.map((s) => s.reason),
      ['login-loop', 'admin-bounced'],
    );
  });

  it('https-secure-cookie: Secure cookies over http:// and the http/https split are named', async () => {
    const { observations: o } = await gather('https-secure-cookie', { insecure: true });
    const secure = o.cookies.lost.filter((l) => l.reason === 'secure-over-http' || l.reason === 'secure');
    assert.ok(
      secure.some((l) => l.name === 'wordpress_test_cookie'),
      JSON.stringify(o.cookies.lost),
    );
    assert.ok(o.cookies.set.some((c) => c.name === 'wordpress_test_cookie' && c.secure && c.url.startsWith('http://')));
  });

  it('https-secure-cookie without insecure: the self-signed https side is an error, not a crash', async () => {
    const { observations: o } = await gather('https-secure-cookie');
    assert.notEqual(o.login.outcome, 'success');
    assert.equal(o.error, undefined);
  });

  it('cached-login: the login page comes from the cache without its cookie, admin bounces back', async () => {
    const { observations: o } = await gather('cached-login');
    assert.equal(o.login.outcome, 'loop');
    const form = o.login.chain[0];
    assert.equal(form?.headers['x-cache'], 'HIT');
    assert.deepEqual(form?.setCookies, []);
    const lost = o.cookies.lost.find((l) => l.name === 'wordpress_test_cookie' && l.kind === 'not-set');
    assert.equal(lost?.reason, 'served-from-cache', JSON.stringify(o.cookies.lost));
    assert.equal(o.admin?.pages[0]?.bouncedToLogin, true);
  });

  it("varnish-caches-login: the login's bounce from the cached /wp-admin/ is the admin page, not loaded or pictured again", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wp401-shots-'));
    try {
      const { observations: o } = await gather('varnish-caches-login', { screenshotsDir: dir, insecure: true });
      assert.equal(o.login.outcome, 'loop', o.login.detail);
      const paths = o.login.chain.map((h) => [h.method, new URL(h.url).pathname, h.status >= 300 && h.status < 400]);
      assert.deepEqual(paths.slice(1), [
        ['POST', '/wp-login.php', true],
        ['GET', '/wp-admin/', true],
        ['GET', '/wp-login.php', false],
      ]);
      const pages = o.admin?.pages ?? [];
      assert.equal(pages.length, 1);
      assert.equal(pages[0]?.bouncedToLogin, true);
      assert.equal(pages[0]?.finalUrl, o.login.finalUrl);
      // one picture: the browser did not navigate after the login's landing
      assert.deepEqual(
        o.screenshots.map((s) => s.reason),
        ['login-loop'],
      );
      assert.equal(pages[0]?.screenshot, o.screenshots[0]?.file);
      assert.deepEqual(await readdir(dir), [o.screenshots[0]?.file]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('proxy-strips-cookies: cookies stored and sent, yet WordPress got none', async () => {
    const { observations: o } = await gather('proxy-strips-cookies');
    assert.equal(o.login.outcome, 'loop');
    assert.ok(o.login.sentOnSubmit.includes('wordpress_test_cookie'));
    const lost = o.cookies.lost.find((l) => l.kind === 'not-received');
    assert.equal(lost?.name, 'wordpress_test_cookie');
    assert.equal(lost?.reason, 'stripped-on-the-way');
  });

  describe('wrong password and rate limit', () => {
    after(async () => {
      await resetScenario('healthy');
      await resetScenario('rate-limited');
    });

    it('a wrong password is wrong-credentials with WordPress message, not a crash', async () => {
      const { observations: o } = await gather('healthy', { password: 'not-the-password-at-all' });
      assert.equal(o.login.outcome, 'wrong-credentials');
      assert.equal(o.login.messageKind, 'credentials');
      assert.match(o.login.message ?? '', /incorrect/i);
      assert.equal(o.admin, null);
      assert.equal(o.cookies.lost.length, 0);
    });

    it('rate-limited: after three failed logins the login is blocked with 429', async () => {
      await resetScenario('rate-limited');
      for (let i = 0; i < 3; i++) {
        const { observations: o } = await gather('rate-limited', { password: `wrong-${i}-password` });
        assert.equal(o.login.outcome, 'wrong-credentials');
      }
      const { observations: o } = await gather('rate-limited');
      assert.equal(o.login.outcome, 'blocked');
      assert.equal(o.login.status, 429);
      assert.equal(o.login.chain[0]?.headers['retry-after'], '600');
    });
  });

  it('expired-nonce: a nonce older than 2 s gets 403 rest_cookie_invalid_nonce', async () => {
    const { observations: o } = await gather('expired-nonce', { maxAdminPages: 3, nonceMinAgeMs: 2500 });
    assert.equal(o.login.outcome, 'success');
    const aged = o.rest?.attempts.find((a) => a.nonce === 'aged');
    assert.ok(aged && (aged.nonceAgeMs ?? 0) >= 2500, JSON.stringify(o.rest));
    assert.equal(aged.status, 403);
    assert.equal(aged.code, 'rest_cookie_invalid_nonce');
    assert.equal(o.rest?.attempts.find((a) => a.nonce === 'none')?.status, 401);
  });

  it('expired-nonce with the tick shortcut: refused either a second after an unchanged echo, or at 2.5 s when the tick moved first', async () => {
    const { observations: o } = await gather('expired-nonce', { maxAdminPages: 1, nonceMinAgeMs: 2500, nonceTickMs: 1050 });
    assert.equal(o.login.outcome, 'success');
    const fresh = o.rest?.attempts.find((a) => a.nonce === 'fresh');
    assert.equal(fresh?.status, 200, JSON.stringify(o.rest));
    const aged = o.rest?.attempts.filter((a) => a.nonce === 'aged') ?? [];
    assert.equal(aged.length, 1, 'one aged attempt is recorded: the last');
    assert.equal(aged[0]?.status, 403, JSON.stringify(o.rest));
    assert.equal(aged[0]?.code, 'rest_cookie_invalid_nonce');
    // nonce_life 2 s: a nonce made in second t is valid in t and t+1. Which
    // path the check takes depends on where the page load fell in its second.
    if (fresh?.echo === 'same' && (aged[0]?.nonceAgeMs ?? 0) < 2500) {
      // The fresh request reached PHP in the nonce's own second; the probe a
      // second after that answer reached t+2 and was refused there.
      assert.equal(o.timings.nonceAge?.minAgeMs, 1050);
    } else {
      // The tick moved before or at the early probe (echo changed, or the
      // early probe still passed in t+1): the check waits to 2.5 s.
      assert.ok(['same', 'changed'].includes(fresh?.echo ?? ''), JSON.stringify(o.rest));
      assert.equal(o.timings.nonceAge?.minAgeMs, 2500);
      assert.ok((aged[0]?.nonceAgeMs ?? 0) >= 2500, JSON.stringify(o.rest));
    }
  });

  it('healthy with the tick shortcut: the nonce echoed unchanged a second later ends the check (no 2.5 s wait)', async () => {
    const { observations: o } = await gather('healthy', { maxAdminPages: 1, nonceMinAgeMs: 2500, nonceTickMs: 1050 });
    assert.equal(o.login.outcome, 'success');
    const aged = o.rest?.attempts.filter((a) => a.nonce === 'aged') ?? [];
    assert.equal(aged.length, 1);
    assert.equal(aged[0]?.status, 200);
    assert.equal(aged[0]?.echo, 'same');
    assert.equal(o.timings.nonceAge?.minAgeMs, 1050);
    assert.ok((aged[0]?.nonceAgeMs ?? 0) < 2500, `sent before the nonce was 2.5 s old (${aged[0]?.nonceAgeMs} ms)`);
  });

  it('htaccess-admin-zone: site credentials are answered for the target only, admin then loads', async () => {
    const s = scenario('htaccess-admin-zone');
    const { observations: o } = await gather('htaccess-admin-zone', { basic: { user: s.httpUser ?? '', password: s.httpPassword ?? '' }, maxAdminPages: 3 });
    assert.equal(o.login.outcome, 'success', o.login.detail);
    assert.ok(!JSON.stringify(o).includes(s.httpPassword ?? '\u0000'));
  });

  it('htaccess-admin-zone without site credentials: blocked with 401', async () => {
    const { observations: o } = await gather('htaccess-admin-zone', { maxAdminPages: 3 });
    assert.equal(o.login.outcome, 'blocked');
    assert.equal(o.login.status, 401);
  });

  it('healthy with Chromium started early (while discovery runs): the session uses it, logs in, and closes it', async () => {
    const { observations: o } = await gather('healthy', { maxAdminPages: 2 }, true);
    assert.equal(o.error, undefined);
    assert.equal(o.login.outcome, 'success', o.login.detail);
    assert.ok(o.timings.launchMs !== null);
  });

  it('an early start loads the login page and posts nothing until the session takes it; the login page is then not loaded again', async () => {
    const log = join(P.logs, 'apache-php.access.log');
    const from = statSync(log).size;
    const s = scenario('healthy');
    const lines: string[] = [];
    const opts: BrowserOptions = { target: s.url, user: s.adminUser, password: s.adminPassword, maxAdminPages: 1, log: (m) => lines.push(m) };
    const early = launchEarly(opts);
    await early;
    const requests = (): string[] =>
      readFileSync(log, 'utf8')
        .slice(from)
        .split('\n')
        .filter((l) => / "(GET|POST) \/wp-login\.php/.test(l))
        .map((l) => (/"(GET|POST) \/wp-login\.php/.exec(l)?.[1] as string));
    // The access log is written as each request ends: wait (bounded) for the page's line.
    for (let i = 0; i < 100 && !requests().includes('GET'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(requests(), ['GET'], 'the login page, and no post, before the session runs');
    const r = await gatherBrowser(opts, early);
    await r.closed;
    const o = r.observations;
    assert.equal(o.login.outcome, 'success', o.login.detail);
    assert.deepEqual(requests(), ['GET', 'POST'], 'one load of the login page, one post');
    assert.equal(o.login.chain[0]?.method, 'GET', 'the login chain starts at the early load of the login page');
    assert.match(o.login.chain[0]?.url ?? '', /\/wp-login\.php$/);
    assert.ok(o.login.chain.some((h) => h.method === 'POST'));
    const dir = profileFromLog(lines);
    assert.ok(dir);
    assert.deepEqual((await settle(dir)).processes, []);
  });

  it("core's password-strength library is not loaded: the login page asks for it after load, the server never sees it, the console does not report it, and the login works", async () => {
    const log = join(P.logs, 'apache-php.access.log');
    const from = statSync(log).size;
    const { observations: o } = await gather('healthy');
    assert.equal(o.login.outcome, 'success', o.login.detail);
    await new Promise((r) => setTimeout(r, 300));
    const lines = readFileSync(log, 'utf8').slice(from).split('\n');
    assert.ok(lines.some((l) => /"GET \/wp-includes\/js\/zxcvbn-async\.min\.js/.test(l)), 'the page loaded its loader (zxcvbn-async.js)');
    assert.ok(!lines.some((l) => /zxcvbn\.min\.js/.test(l)), 'the library itself was never requested');
    assert.ok(!o.console.some((c) => /zxcvbn|BLOCKED_BY_CLIENT/i.test(`${c.text} ${c.url ?? ''}`)), JSON.stringify(o.console));
  });

  it('onNonceSent: once, after the dashboard nonce\'s first answer and before its aged probe; never after a failed login', async () => {
    const calls: number[] = [];
    const { observations: o } = await gather('healthy', {
      maxAdminPages: 1,
      nonceMinAgeMs: 2500,
      nonceTickMs: 1050,
      onNonceSent: () => calls.push(Date.now()),
    });
    const ended = Date.now();
    assert.equal(calls.length, 1);
    assert.ok(o.rest?.attempts.some((a) => a.nonce === 'aged'), 'the aged probe ran');
    // the aged probe waits a second or more after the fresh answer: the hook came before that wait
    assert.ok((calls[0] as number) <= ended - 1000, `called ${ended - (calls[0] as number)} ms before the session ended`);
    assert.equal(o.rest?.attempts.find((a) => a.nonce === 'fresh')?.status, 200);
    const failed: number[] = [];
    const { observations: bad } = await gather('healthy', { password: 'not-the-password', onNonceSent: () => failed.push(1) });
    assert.equal(bad.login.outcome, 'wrong-credentials');
    assert.deepEqual(failed, []);
  });

  it('the dashboard the login lands on is the first admin page: read for its nonce, not loaded twice', async () => {
    const log = join(P.logs, 'apache-php.access.log');
    const from = statSync(log).size;
    // Three pages: the dashboard and the first menu links, whose first is the dashboard again as index.php.
    const { observations: o } = await gather('healthy', { maxAdminPages: 3 });
    assert.equal(o.login.outcome, 'success', o.login.detail);
    assert.equal(o.admin?.pages[0]?.status, 200);
    assert.ok(o.admin?.pages[0]?.title, 'the adopted page was read');
    assert.equal(o.rest?.attempts.find((a) => a.nonce === 'fresh')?.status, 200, 'its nonce works');
    const lines = readFileSync(log, 'utf8').slice(from).split('\n');
    const dashboards = lines.filter((l) => /"GET \/wp-admin\/(index\.php)? HTTP/.test(l));
    assert.equal(dashboards.length, 1, dashboards.join('\n'));
    assert.ok((o.admin?.pages.length ?? 0) >= 2, 'the crawl went on to the menu pages');
  });

  it("the menu's screens load without running their scripts; the dashboard, whose nonce REST uses, runs its own", async () => {
    const log = join(P.logs, 'apache-php.access.log');
    const from = statSync(log).size;
    const { observations: o } = await gather('healthy', { maxAdminPages: 5 });
    assert.equal(o.login.outcome, 'success', o.login.detail);
    const pages = o.admin?.pages ?? [];
    assert.equal(pages.length, 5);
    assert.ok(pages.every((p) => p.status === 200 && p.title && !p.bouncedToLogin), JSON.stringify(pages));
    assert.equal(o.rest?.attempts.find((a) => a.nonce === 'aged')?.status, 200, 'the REST probes still run in the page after it');
    const lines = readFileSync(log, 'utf8').slice(from).split('\n');
    const isScript = (l: string) => /"GET [^ "]*(\.js(\?[^ "]*)?|load-scripts\.php[^ "]*) HTTP/.test(l);
    const dashboard = lines.findIndex((l) => /"GET \/wp-admin\/ HTTP/.test(l));
    assert.ok(dashboard >= 0 && lines.slice(dashboard).some(isScript), 'the dashboard loaded its scripts');
    // Log lines are written as requests end: the dashboard's last scripts may
    // end after the first screen's request, so look from the second screen on.
    const second = lines.findIndex((l) => l.includes(`GET ${new URL(pages[2]?.url ?? '').pathname}`));
    assert.ok(second > dashboard, 'the second menu screen was requested');
    assert.deepEqual(lines.slice(second).filter(isScript), [], 'no script requested by the later menu screens');
  });

  it('an early Chromium that no session takes (the site was not WordPress) is closed with its profile', async () => {
    const lines: string[] = [];
    const opts: BrowserOptions = { target: scenario('healthy').url, log: (m) => lines.push(m) };
    const b = await launchEarly(opts);
    await b.close();
    const dir = profileFromLog(lines);
    assert.ok(dir, lines.join(' | '));
    const left = await settle(dir);
    assert.deepEqual(left.processes, []);
    assert.equal(left.folder, false);
  });

  it('an early Chromium handed to a session that is already aborted is closed, not leaked', async () => {
    const lines: string[] = [];
    const s = scenario('healthy');
    const opts: BrowserOptions = { target: s.url, user: s.adminUser, password: s.adminPassword, signal: AbortSignal.abort(), log: (m) => lines.push(m) };
    const early = launchEarly(opts);
    const r = await gatherBrowser(opts, early);
    await r.closed;
    assert.equal(r.observations.error?.code, 'aborted');
    await early;
    const dir = profileFromLog(lines);
    assert.ok(dir, lines.join(' | '));
    const left = await settle(dir);
    assert.deepEqual(left.processes, []);
    assert.equal(left.folder, false);
  });

  it('a prelaunched Chromium is taken by the first launch with the same command line, and only by it', async () => {
    const lines: string[] = [];
    const opts = { blockOtherHosts: true, timeoutMs: 20000, log: (m: string) => lines.push(m) };
    prelaunchBrowser(opts);
    const b = await launchBrowser(opts);
    const c = await launchBrowser(opts);
    try {
      const spare = profileFromLog(lines);
      assert.equal(b.profileDir, spare, lines.join(' | '));
      assert.ok(lines.some((l) => l.includes('(before the scan asked)')), lines.join(' | '));
      assert.notEqual(c.profileDir, b.profileDir, 'the second launch starts its own');
      assert.equal(b.browser.connected, true);
      assert.ok((await b.browser.version()).length > 0);
    } finally {
      await Promise.all([b.close(), c.close()]);
    }
    for (const dir of [b.profileDir, c.profileDir]) assert.deepEqual(await settle(dir), { processes: [], folder: false });
  });

  it('a launch with another command line (or another timeout) does not take it: the prelaunched one is closed with its profile', async () => {
    for (const other of [{ insecure: true }, { timeoutMs: 45000 }]) {
      const lines: string[] = [];
      prelaunchBrowser({ blockOtherHosts: true, timeoutMs: 20000, log: (m: string) => lines.push(m) });
      const b = await launchBrowser({ blockOtherHosts: true, timeoutMs: 20000, ...other });
      try {
        // the prelaunched start may still be under way when the new launch returns: its log line says where its profile is
        const end = Date.now() + 10000;
        while (!profileFromLog(lines) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        const spare = profileFromLog(lines);
        assert.ok(spare, lines.join(' | '));
        assert.notEqual(b.profileDir, spare);
        assert.deepEqual(await settle(spare), { processes: [], folder: false }, JSON.stringify(other));
      } finally {
        await b.close();
      }
    }
  });

  it('discardPrelaunched closes a Chromium no launch took, with its profile', async () => {
    const lines: string[] = [];
    prelaunchBrowser({ blockOtherHosts: true, log: (m: string) => lines.push(m) });
    await discardPrelaunched();
    const dir = profileFromLog(lines);
    assert.ok(dir, lines.join(' | '));
    assert.deepEqual(await settle(dir), { processes: [], folder: false });
    await discardPrelaunched();
  });

  it('SIGINT mid-way: no browser process and no profile folder remain', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/support/browser-sigint-child.ts'), 'healthy'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no launch line: ${lines.join(' | ')}`)), 60000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        lines.push(...d.split('\n').filter(Boolean));
        if (profileFromLog(lines)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await started;
    await new Promise((r) => setTimeout(r, 800));
    child.kill('SIGINT');
    const end = await exited;
    assert.equal(end.signal, 'SIGINT', `the child died of the re-raised SIGINT (${JSON.stringify(end)}; ${lines.join(' | ')})`);
    // The session returns before Chromium has exited, so it may print its
    // result; cut off mid-way, that result is never a completed login.
    assert.ok(!lines.includes('done success ok'), `the gather was cut off: ${lines.join(' | ')}`);
    const dir = profileFromLog(lines) as string;
    const left = await settle(dir);
    assert.deepEqual(left.processes, []);
    assert.equal(left.folder, false);
  });
});
