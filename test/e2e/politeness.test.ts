// Politeness (issue 8, point 5): the scanner must never look like brute
// force. On the test bed's `rate-limited` site (a login limiter: 429 +
// Retry-After: 600 after three failed logins) a scan makes at most one login
// attempt, does not wait out or hammer the lockout, and reports it. On a
// small fake WordPress served here on 127.0.0.1, --concurrency and
// --max-requests are bounds the server can measure, and a login answered
// 429 with a short Retry-After is still not posted twice.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model.js';
import { php, runCli } from '../support/hardening.js';
import { Client, login, requireTestbed, resetScenario, scenario } from '../support/testbed.js';

const RATE_LIMITED = 'rate-limited';

/** A must-use plugin that records every POST to wp-login.php of this one site (the access log is shared by all sites). */
function counterPlugin(file: string): string {
  return `<?php
if ( ( $_SERVER['REQUEST_METHOD'] ?? '' ) === 'POST' && substr( (string) parse_url( $_SERVER['REQUEST_URI'] ?? '', PHP_URL_PATH ), -12 ) === 'wp-login.php' ) {
	file_put_contents( ${JSON.stringify(file)}, "post\\n", FILE_APPEND | LOCK_EX );
}
`;
}

function loginPosts(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

interface FakeWp {
  server: Server;
  url: string;
  inFlight: number;
  maxInFlight: number;
  requests: number;
  loginPosts: number;
}

/** Just enough WordPress to pass discovery, with many pages to crawl and slow answers so overlap shows. */
async function fakeWordPress(delayMs = 120): Promise<FakeWp> {
  const fake: FakeWp = { server: null as unknown as Server, url: '', inFlight: 0, maxInFlight: 0, requests: 0, loginPosts: 0 };
  const links = Array.from({ length: 300 }, (_, i) => `<a href="/page-${i}/">page ${i}</a>`).join('\n');
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    fake.requests++;
    fake.inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        fake.inFlight--;
      }
    };
    res.on('finish', finish);
    res.on('close', finish);
    req.resume();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    setTimeout(() => {
      if (path === '/wp-json/' || path === '/wp-json') {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify({ name: 'fake', namespaces: ['wp/v2'], routes: {}, authentication: {} }));
      } else if (path === '/wp-login.php' && req.method === 'POST') {
        fake.loginPosts++;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/html' }).end('<h1>Too many login attempts</h1>');
      } else if (path === '/wp-login.php') {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=UTF-8' })
          .end('<html><head><title>Log In</title></head><body class="login"><form name="loginform" id="loginform" action="/wp-login.php" method="post"><input name="log"><input name="pwd" type="password"><input type="submit" name="wp-submit"></form></body></html>');
      } else {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=UTF-8', link: `<http://${req.headers.host}/wp-json/>; rel="https://api.w.org/"` })
          .end(`<html><head><title>Fake</title><meta name="generator" content="WordPress 6.1"></head><body>${links}</body></html>`);
      }
    }, delayMs);
  };
  fake.server = createServer(handler);
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(fake.server.address() as { port: number }).port}/`;
  return fake;
}

describe('politeness: bounded, never brute force', function () {
  this.timeout(200000);
  const out = mkdtempSync(join(tmpdir(), 'wp401-polite-'));

  describe('the rate-limited test-bed site', () => {
    const counter = join(tmpdir(), `wp401-login-posts-${process.pid}.log`);
    const s = () => scenario(RATE_LIMITED);

    before(async function () {
      this.timeout(60000);
      await requireTestbed();
      await resetScenario(RATE_LIMITED);
      rmSync(counter, { force: true });
      await php(RATE_LIMITED, `file_put_contents(WPMU_PLUGIN_DIR . '/wp401-count-logins.php', ${JSON.stringify(counterPlugin(counter)).replace(/\$/g, '\\$')});`);
    });

    after(async function () {
      this.timeout(60000);
      rmSync(counter, { force: true });
      await resetScenario(RATE_LIMITED);
    });

    it('a wrong password: one login attempt, not one more (browser scan)', async function () {
      this.timeout(150000);
      const site = s();
      const before = loginPosts(counter);
      const r = await runCli(['scan', site.url, '--user', site.adminUser, '--timeout', '10', '--quiet', '--format', 'json', '--out', join(out, 'wrong')], {
        env: { WP401_PASSWORD: `${site.adminPassword}-wrong` },
      });
      rmSync(r.tmp, { recursive: true, force: true });
      const posts = loginPosts(counter) - before;
      assert.ok(r.code === 1 || r.code === 0, `exit ${r.code}: ${r.stderr.split('\n')[0]}`);
      assert.ok(posts >= 1, 'the counter saw the login (the count is not blind)');
      assert.ok(posts <= 1, `${posts} login attempts in one scan`);
    });

    it('locked out (429 + Retry-After: 600): at most one login attempt, no waiting it out, a finding that says so', async function () {
      this.timeout(150000);
      const site = s();
      // Three failed logins from this address: the limiter locks it out for 10 minutes.
      const c = new Client();
      for (let i = 0; i < 3; i++) await (await login(c, site.url, site.adminUser, `wrong-${i}`)).arrayBuffer();
      const locked = await new Client().get(new URL('wp-login.php', site.url).toString());
      await locked.arrayBuffer();
      assert.equal(locked.status, 429, 'the site is locked out before the scan');
      const before = loginPosts(counter);
      const r = await runCli(['scan', site.url, '--user', site.adminUser, '--no-browser', '--timeout', '10', '--quiet', '--format', 'json', '--out', join(out, 'locked')], {
        env: { WP401_PASSWORD: site.adminPassword, WP401_APP_PASSWORD: site.appPassword },
      });
      rmSync(r.tmp, { recursive: true, force: true });
      const posts = loginPosts(counter) - before;
      assert.ok(posts <= 1, `${posts} login attempts against a locked-out login`);
      assert.ok(r.wallMs < 120000, `the scan did not wait out the 600 s lockout (${r.wallMs} ms)`);
      assert.equal(r.code, 1, `problems reported (exit ${r.code}): ${r.stderr.split('\n')[0]}`);
      const result = JSON.parse(readFileSync(join(out, 'locked', 'wp401.json'), 'utf8')) as ScanResult;
      const lockout = result.findings.find((f) => /rate|limit|lock|429|too-many/i.test(`${f.id} ${f.title}`));
      assert.ok(lockout, `a finding about the lockout, got: ${result.findings.map((f) => f.id).join(', ')}`);
      assert.match(`${lockout.title} ${lockout.explanation} ${JSON.stringify(lockout.evidence)}`, /429|Retry-After|10 minutes|600/i, 'it names the 429 / Retry-After');
      // Requests to the login page after the first 429: none retried within the scan's own Retry-After rule.
      const loginProbes = result.probes.filter((p) => new URL(p.url).pathname.endsWith('wp-login.php'));
      assert.ok(loginProbes.filter((p) => p.method === 'POST').length <= 1, 'at most one POST recorded');
    });
  });

  describe('a fake WordPress on 127.0.0.1', () => {
    let fakes: FakeWp[] = [];
    after(async () => {
      await Promise.all(fakes.map((f) => new Promise<void>((r) => f.server.close(() => r()))));
      rmSync(out, { recursive: true, force: true });
    });

    it('--concurrency and --max-requests are bounds the server sees; a 429 on the login with Retry-After: 1 is not posted again', async function () {
      this.timeout(150000);
      const [two, one] = await Promise.all([fakeWordPress(), fakeWordPress()]);
      fakes = [two as FakeWp, one as FakeWp];
      const a = two as FakeWp;
      const b = one as FakeWp;
      const [ra, rb] = await Promise.all([
        runCli(['scan', a.url, '--user', 'admin', '--no-browser', '--concurrency', '2', '--max-requests', '30', '--timeout', '10', '--quiet', '--format', 'json', '--out', join(out, 'fake2')], {
          env: { WP401_PASSWORD: 'not-a-real-password-1', WP401_APP_PASSWORD: 'abcd efgh ijkl mnop qrst uvwx' },
        }),
        runCli(['scan', b.url, '--user', 'admin', '--no-browser', '--concurrency', '1', '--max-requests', '12', '--timeout', '10', '--quiet', '--format', 'json', '--out', join(out, 'fake1')], {
          env: { WP401_PASSWORD: 'not-a-real-password-2' },
        }),
      ]);
      for (const r of [ra, rb]) rmSync(r.tmp, { recursive: true, force: true });
      assert.ok(ra.code !== null && ra.code <= 3 && rb.code !== null && rb.code <= 3, `both scans ended (${ra.code}, ${rb.code}): ${ra.stderr.split('\n')[0]} ${rb.stderr.split('\n')[0]}`);
      assert.ok(a.requests > 5 && b.requests > 5, `the fake site passed discovery and was scanned (${a.requests}, ${b.requests} requests)`);
      assert.ok(a.maxInFlight <= 2, `--concurrency 2: ${a.maxInFlight} requests were in flight at once`);
      assert.equal(a.maxInFlight, 2, 'the scan did use both slots (the measurement is not blind)');
      assert.ok(b.maxInFlight <= 1, `--concurrency 1: ${b.maxInFlight} requests were in flight at once`);
      assert.ok(a.requests <= 30, `--max-requests 30: the server saw ${a.requests}`);
      assert.ok(b.requests <= 12, `--max-requests 12: the server saw ${b.requests}`);
      assert.ok(a.loginPosts <= 1, `${a.loginPosts} login POSTs after a 429 with Retry-After: 1`);
      assert.ok(b.loginPosts <= 1, `${b.loginPosts} login POSTs after a 429 with Retry-After: 1`);
    });
  });
});
