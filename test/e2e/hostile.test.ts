// Hostile and broken sites (issue 8, point 3): the built CLI against each of
// the test bed's broken hosts and its hostile WordPress site. Each scan ends
// within its bounds (a small --timeout; the wall time is measured and a hang
// is killed and fails), with exit 3 and one clear line, or exit 1 with a
// finding — never a crash or a stack trace. TLS for the wrong host name is
// refused unless --insecure. The hostile site's HTML report, opened from
// file:// in headless Chromium, shows every payload as text: no dialog, no
// injected element, no request it did not mean to make.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { chromeArgs } from '../../src/browser/launch.js';
import { BADHOSTS } from '../../fixtures/testbed/badhost.js';
import type { ScanResult } from '../../src/model.js';
import { withoutProgress } from '../support/cli.js';
import { type CliRun, looksLikeCrash, runCli } from '../support/hardening.js';
import { requireTestbed, scenario } from '../support/testbed.js';

const BOUND_MS = 60000;
const CHROME_FLAGS = chromeArgs({ blockOtherHosts: true });

interface BadHost {
  name: string;
  url: string;
  args?: string[];
  /** what the one line on stderr must say when the scan ends with exit 3 */
  message: RegExp;
}

const HOSTS: BadHost[] = [
  { name: 'redirect loop', url: `http://127.0.0.1:${BADHOSTS.redirectLoop}/`, message: /redirect|does not look like WordPress/i },
  { name: '500 everywhere', url: `http://127.0.0.1:${BADHOSTS.error500}/`, message: /500|does not look like WordPress/ },
  { name: '50 MiB body', url: `http://127.0.0.1:${BADHOSTS.hugeBody}/`, message: /does not look like WordPress|too large|body/i },
  { name: 'one byte a second', url: `http://127.0.0.1:${BADHOSTS.trickle}/`, message: /does not look like WordPress|time/i },
  { name: 'connection resets', url: `http://127.0.0.1:${BADHOSTS.reset}/`, message: /cannot reach .*(reset|ECONNRESET)/i },
  { name: 'malformed headers, invalid UTF-8, truncated REST JSON', url: `http://127.0.0.1:${BADHOSTS.malformed}/`, message: /^wp401: /i },
  { name: 'redirect chain to another host', url: `http://127.0.0.1:${BADHOSTS.offHost}/`, message: /another host|redirect|does not look like WordPress/i },
  { name: 'TLS certificate for another host name', url: `https://127.0.0.1:${BADHOSTS.wrongTls}/`, message: /certificate|TLS|SSL|self-signed|insecure/i },
  { name: 'TLS certificate for another host name, --insecure', url: `https://127.0.0.1:${BADHOSTS.wrongTls}/`, args: ['--insecure'], message: /does not look like WordPress/ },
];

/** The first message line (progress lines skipped). */
function firstLine(s: string): string {
  return withoutProgress(s).trim().split('\n')[0] ?? '';
}

describe('hostile and broken sites: bounded, clear, never a crash', function () {
  this.timeout(200000);
  const out = mkdtempSync(join(tmpdir(), 'wp401-hostile-'));
  const runs = new Map<string, CliRun>();
  let hostile: CliRun | null = null;
  const hostileDir = join(out, 'hostile');

  before(async function () {
    this.timeout(200000);
    await requireTestbed();
    const s = scenario('hostile');
    const env: Record<string, string> = { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
    if (s.bridgeKey) env.WP401_BRIDGE_KEY = s.bridgeKey;
    if (s.httpUser && s.httpPassword) {
      env.WP401_HTTP_USER = s.httpUser;
      env.WP401_HTTP_PASSWORD = s.httpPassword;
    }
    await Promise.all([
      ...HOSTS.map(async (h, i) => {
        const run = await runCli(['scan', h.url, '--no-browser', '--timeout', '5', '--quiet', '--format', 'html,json,har', '--out', join(out, `bad-${i}`), ...(h.args ?? [])], {
          killAfterMs: BOUND_MS + 30000,
        });
        rmSync(run.tmp, { recursive: true, force: true });
        runs.set(h.name, run);
      }),
      (async () => {
        hostile = await runCli(['scan', s.url, '--user', s.adminUser, '--timeout', '10', '--quiet', '--format', 'html,json,har', '--out', hostileDir], {
          env,
          killAfterMs: 180000,
        });
        rmSync(hostile.tmp, { recursive: true, force: true });
      })(),
    ]);
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  for (const h of HOSTS) {
    it(`${h.name}: ends in time with exit 3 and one clear line, or exit 1 and a finding`, () => {
      const r = runs.get(h.name);
      assert.ok(r, 'the scan ran');
      assert.equal(r.signal, null, `killed after ${r.wallMs} ms: a hang`);
      assert.ok(r.wallMs < BOUND_MS, `ended in ${r.wallMs} ms (bound ${BOUND_MS})`);
      assert.ok(!looksLikeCrash(r.stderr) && !looksLikeCrash(r.stdout), `no crash: ${firstLine(r.stderr)}`);
      assert.ok(r.code === 3 || r.code === 1, `exit 3 (unreachable / not WordPress) or 1 (problems), got ${r.code}: ${firstLine(r.stderr) || firstLine(r.stdout)}`);
      if (r.code === 3) {
        const lines = withoutProgress(r.stderr).trim().split('\n');
        assert.equal(lines.length, 1, `one line on stderr, got ${lines.length}`);
        assert.match(lines[0] ?? '', /^wp401: /);
        assert.match(lines[0] ?? '', h.message);
        assert.ok((lines[0] ?? '').length < 400, 'a short line');
      } else {
        const result = JSON.parse(readFileSync(join(out, `bad-${HOSTS.indexOf(h)}`, 'wp401.json'), 'utf8')) as ScanResult;
        assert.ok(result.findings.some((f) => f.severity === 'error'), 'exit 1 comes with an error finding');
      }
    });
  }

  it('TLS for the wrong host is refused without --insecure, accepted with it', () => {
    const refused = runs.get('TLS certificate for another host name');
    const accepted = runs.get('TLS certificate for another host name, --insecure');
    assert.equal(refused?.code, 3);
    assert.match(firstLine(refused?.stderr ?? ''), /cannot reach/);
    assert.doesNotMatch(firstLine(accepted?.stderr ?? ''), /cannot reach|certificate/i, 'with --insecure the TLS handshake is accepted');
  });

  it('the hostile WordPress site: the scan ends with a result, no crash', () => {
    const r = hostile;
    assert.ok(r, 'the scan ran');
    assert.equal(r.signal, null, `killed after ${r.wallMs} ms: a hang`);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${firstLine(r.stderr)}`);
    assert.ok(!looksLikeCrash(r.stderr) && !looksLikeCrash(r.stdout), 'no crash');
    const json = readFileSync(join(hostileDir, 'wp401.json'), 'utf8');
    assert.ok(json.includes('alert(\\"wp401\\")') || json.includes('alert('), 'the payloads were observed (the test is not blind)');
  });

  it('the hostile site\'s HTML report shows the payloads as text: no dialog, no injected element', async function () {
    this.timeout(90000);
    const file = join(hostileDir, 'index.html');
    const html = readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /<script>alert\(/i, 'no raw payload script tag in the HTML source');
    assert.doesNotMatch(html, /<img src=x onerror/i, 'no raw payload img tag in the HTML source');
    const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROME_FLAGS });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      const requests: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}`);
        void d.dismiss();
      });
      page.on('request', (req) => {
        const u = req.url();
        if (!u.startsWith('data:') && u !== `file://${file}`) requests.push(u);
      });
      await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 60000 });
      // Let the report's own script render and open every collapsed section.
      await new Promise((r) => setTimeout(r, 1500));
      await page.evaluate(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
      });
      await new Promise((r) => setTimeout(r, 500));
      const facts = await page.evaluate(() => ({
        text: document.querySelector('main')?.textContent ?? '',
        imgX: document.querySelectorAll('img[src="x"]').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name) && /alert/.test(a.value))).length,
        // Executable scripts only: the inlined result is a JSON data block, where the payload is data.
        payloadScripts: [...document.querySelectorAll('script')].filter((s) => (!s.type || /javascript|module/i.test(s.type)) && /alert\(/.test(s.textContent ?? '')).length,
        dataBlocks: [...document.querySelectorAll('script')].filter((s) => s.type === 'application/json').length,
        bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'code').length,
      }));
      assert.deepEqual(dialogs, [], 'no dialog fired');
      assert.equal(facts.imgX, 0, 'no injected <img src=x>');
      assert.equal(facts.handlers, 0, 'no injected event handler');
      assert.equal(facts.payloadScripts, 0, 'no injected <script>');
      assert.equal(facts.dataBlocks, 1, 'one inlined JSON data block, not broken out of');
      assert.equal(facts.bold, 0, 'the REST code\'s <b> is text, not markup');
      assert.deepEqual(requests, [], 'the report requests nothing');
      assert.match(facts.text, /<script>alert\("wp401"\)<\/script>/, 'the payload is shown as text');
    } finally {
      await browser.close();
    }
  });
});
