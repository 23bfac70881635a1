// Full scans WITH the browser (the built CLI as a child process, Chromium from
// the system) on the scenarios where what a person's browser does decides the
// diagnosis: healthy logs in and crawls the admin menu without an error; the
// cookie scenarios each give a browser-layer finding naming the cookie and why
// it was refused or lost; a wrong password is a credential finding.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import type { Evidence, Finding, ScanResult } from '../../src/model.js';
import type { Observations } from '../../src/observations/index.js';
import { loadScanOptions } from '../../src/config/options.js';
// puppeteer defines a global (URLPattern) when it loads: load it before mocha's leak check starts.
import '../../src/browser/session.js';
import { scan } from '../../src/scan.js';
import { processesUsing } from '../support/browser-leftovers.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

function scanWithBrowser(name: string, opts: { password?: string } = {}): { code: number | null; result: ScanResult; obs: Observations; out: string } {
  const s = scenario(name);
  const out = mkdtempSync(join(tmpdir(), `wp401-browser-${name}-`));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WP401_PASSWORD: opts.password ?? s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
  const r = spawnSync(process.execPath, [CLI, 'scan', s.url, '--user', s.adminUser, '--insecure', '--quiet', '--format', 'json', '--out', out, '--save-observations', join(out, 'obs.json')], {
    env,
    encoding: 'utf8',
    timeout: 240000,
  });
  assert.ok(existsSync(join(out, 'wp401.json')), `${name}: a result was written (exit ${r.status}: ${r.stderr.slice(0, 300)})`);
  return {
    code: r.status,
    result: JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as ScanResult,
    obs: JSON.parse(readFileSync(join(out, 'obs.json'), 'utf8')) as Observations,
    out,
  };
}

function cookieEvidence(f: Finding): Extract<Evidence, { kind: 'cookie' }>[] {
  return f.evidence.filter((e): e is Extract<Evidence, { kind: 'cookie' }> => e.kind === 'cookie');
}

describe('scans with the browser (Chromium) on the test bed', function () {
  this.timeout(300000);
  const dirs: string[] = [];
  before(async () => {
    await requireTestbed();
    // Start from the installed state: earlier suites log in (and fail to) on these sites.
    for (const name of ['healthy', 'cookie-domain-mismatch', 'https-secure-cookie', 'cached-login']) await resetScenario(name);
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('healthy: logs in, crawls the admin menu, reports no error, exit 0', () => {
    const { code, result, obs, out } = scanWithBrowser('healthy');
    dirs.push(out);
    assert.equal(obs.browser?.login.outcome, 'success');
    assert.ok((obs.browser?.admin?.pages.length ?? 0) >= 5, 'admin menu pages visited');
    assert.ok(obs.browser?.admin?.pages.every((p) => !p.bouncedToLogin && !p.notAllowed), 'no admin page bounced or refused');
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error').map((f) => f.id), []);
    assert.equal(code, 0);
    // The browser's cookies were handed to the HTTP engine: an authenticated probe without a second login.
    const cookieProbe = result.probes.find((p) => p.auth === 'cookie' && p.url.endsWith('/wp-admin/'));
    assert.equal(cookieProbe?.status, 200, 'wp-admin over HTTP with the handed-over cookies');
    // They went out as soon as the login succeeded, beside the browser's crawl, not after it.
    const stage = (n: string) => result.timings?.stages.find((x) => x.stage === n);
    const browser = stage('browser');
    const cookies = stage('cookie-probes');
    assert.ok(browser && cookies, JSON.stringify(result.timings?.stages));
    assert.ok(cookies.startMs < browser.startMs + browser.durationMs, `cookie probes at ${cookies.startMs} ms, browser until ${browser.startMs + browser.durationMs} ms`);
  });

  const cases: [string, RegExp][] = [
    ['cookie-domain-mismatch', /domain/],
    ['https-secure-cookie', /secure/],
    ['cached-login', /cache/],
  ];
  for (const [name, reason] of cases) {
    it(`${name}: a browser-layer finding names the cookie and why it was refused or lost`, () => {
      const { code, result, out } = scanWithBrowser(name);
      dirs.push(out);
      assert.equal(code, 1);
      const browser = result.findings.filter((f) => f.layer === 'browser' && f.id === 'browser.login.cookie-lost');
      assert.ok(browser.length > 0, `browser findings: ${result.findings.map((f) => `${f.id}/${f.layer}`).join(', ')}`);
      const named = browser.flatMap(cookieEvidence).filter((e) => /^(wordpress_|wp-settings)/.test(e.name) && reason.test(e.reason));
      assert.ok(named.length > 0, `a cookie named with a ${reason} reason`);
      assert.ok(result.findings.some((f) => f.severity === 'error'), 'the problem is an error');
    });
  }

  it('a wrong password gives the credential finding, not a crash', async () => {
    try {
      const { code, result, obs, out } = scanWithBrowser('healthy', { password: 'not-the-password-of-admin' });
      dirs.push(out);
      assert.equal(obs.browser?.login.outcome, 'wrong-credentials');
      const f = result.findings.find((x) => x.id === 'wordpress.login.wrong-credentials');
      assert.ok(f, result.findings.map((x) => x.id).join(', '));
      assert.deepEqual(f.culprit, { kind: 'credential', name: 'password' });
      assert.equal(code, 1);
      // No login to hand over early: the cookie probes still run, after the browser, with what it held.
      assert.equal(result.probes.filter((p) => p.source === 'cookie').length, 2);
    } finally {
      await resetScenario('healthy');
    }
  });

  it('the library: Chromium exits beside the judging, and is gone, with its profile, when scan() returns', async () => {
    const s = scenario('healthy');
    // Chromium's profile is made in the temporary folder: this scan's own.
    const tmp = mkdtempSync(join(tmpdir(), 'wp401-scan-lib-'));
    const out = mkdtempSync(join(tmpdir(), 'wp401-scan-lib-out-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const { options, secrets } = loadScanOptions({ url: s.url, user: s.adminUser, browser: true, out, quiet: true }, { WP401_PASSWORD: s.adminPassword }, out);
      const { observations } = await scan(options, secrets);
      // at once, no waiting: scan() itself waited for Chromium's exit
      const profiles = readdirSync(tmp).filter((n) => n.startsWith('wp401-chrome-'));
      const running = processesUsing(tmp);
      assert.equal(observations.browser?.login.outcome, 'success');
      assert.deepEqual(profiles, [], 'no profile folder left');
      assert.deepEqual(running, [], 'no Chromium left running');
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(tmp, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});
