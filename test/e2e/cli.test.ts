// The built CLI as a child process: exit codes, one-line errors with no stack
// trace, and the result file, against the live test bed and a closed port.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import { NOT_WORDPRESS_PORT } from '../../fixtures/testbed/scenarios.js';
import type { ScanResult } from '../../src/model.js';
import { withoutProgress } from '../support/cli.js';
import { requireTestbed, scenario } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

function wp401(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    timeout: 120000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(stderr: string, pattern: RegExp) {
  const lines = withoutProgress(stderr).trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('wp401 CLI (built, as a child process)', function () {
  this.timeout(120000);
  let out: string;
  before(async () => {
    await requireTestbed();
    out = mkdtempSync(join(tmpdir(), 'wp401-cli-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('--help lists every option of every command with a description', () => {
    for (const cmd of ['scan', 'scan-many', 'report', 'bridge']) {
      const r = wp401([cmd, '--help']);
      assert.equal(r.code, 0, r.stderr);
      const options = r.stdout.split('\n').filter((l) => /^\s+(-\w, )?--[a-z]/.test(l));
      assert.ok(options.length >= 2, `${cmd} --help lists options`);
      for (const line of options) {
        const text = line.replace(/^\s+(-\w, )?--[\w-]+(, -\w)?/, '').replace(/\[[^\]]*\]/g, '').trim();
        assert.ok(text.length > 5, `${cmd}: "${line.trim()}" has a description`);
      }
    }
  });

  it('a closed port: one line, exit 3', async () => {
    const r = wp401(['scan', `http://127.0.0.1:${await closedPort()}/`, '--no-browser', '--out', out]);
    assert.equal(r.code, 3);
    assertOneLineError(r.stderr, /^wp401: cannot reach http:\/\/127\.0\.0\.1:\d+\/: .*refused/i);
  });

  it('a page that is not WordPress: one line, exit 3', () => {
    const r = wp401(['scan', `http://127.0.0.1:${NOT_WORDPRESS_PORT}/`, '--no-browser', '--out', out]);
    assert.equal(r.code, 3);
    assertOneLineError(r.stderr, /does not look like WordPress/);
  });

  for (const bad of ['ht!tp://x y', 'ftp://127.0.0.1/', 'http://user:pw@127.0.0.1/', '']) {
    it(`a malformed or unsupported URL "${bad}": one line, exit 2`, () => {
      const r = wp401(['scan', bad, '--no-browser', '--out', out]);
      assert.equal(r.code, 2);
      assertOneLineError(r.stderr, /^wp401: /);
      if (bad.includes('pw@')) assert.doesNotMatch(r.stderr, /pw@/, 'the credential in the URL is not echoed');
    });
  }

  it('bad options: exit 2 with a one-line reason', () => {
    for (const args of [['scan', 'http://127.0.0.1:8401/', '--concurrency', '0'], ['scan', 'http://127.0.0.1:8401/', '--format', 'pdf'], ['scan', 'http://127.0.0.1:8401/', '--bogus'], ['frobnicate']]) {
      const r = wp401([...args, '--no-browser', '--out', out]);
      assert.equal(r.code, 2, args.join(' '));
      assertOneLineError(r.stderr, /^wp401: /);
    }
  });

  it('refuses a secret on the command line without echoing it', () => {
    const r = wp401(['scan', 'http://127.0.0.1:8401/', '--password=hunter2-canary', '--no-browser']);
    assert.equal(r.code, 2);
    assertOneLineError(r.stderr, /not accepted on the command line/);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2-canary/);
  });

  it('scans the healthy test-bed site: exit 0, a valid wp401.json with every probe, a summary', () => {
    const s = scenario('healthy');
    const dir = join(out, 'healthy');
    const r = wp401(['scan', s.url, '--user', s.adminUser, '--no-browser', '--quiet', '--format', 'json,html,har', '--out', dir], {
      WP401_APP_PASSWORD: s.appPassword,
      WP401_PASSWORD: s.adminPassword,
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /No authentication problem found/);
    const result = JSON.parse(readFileSync(join(dir, 'wp401.json'), 'utf8')) as ScanResult;
    assert.equal(result.schemaVersion, 1);
    assert.equal(result.target, s.url);
    assert.equal(result.verdict.status, 'ok');
    assert.ok(result.probes.length >= 10, 'every request is recorded');
    assert.ok(result.probes.every((p) => p.status > 0), 'every probe answered');
    const all = readFileSync(join(dir, 'wp401.json'), 'utf8') + readFileSync(join(dir, 'index.html'), 'utf8') + readFileSync(join(dir, 'wp401.har'), 'utf8') + r.stdout + r.stderr;
    for (const secret of [s.appPassword, s.adminPassword, Buffer.from(`${s.adminUser}:${s.appPassword}`).toString('base64')]) {
      assert.ok(!all.includes(secret), 'no secret in any output');
    }
  });

  it('wp401 report re-renders HTML from a saved result', () => {
    const dir = join(out, 'healthy');
    const again = join(out, 'again');
    const r = wp401(['report', join(dir, 'wp401.json'), '--out', again]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(again, 'index.html'), 'utf8'), /No authentication problem found/);
  });

  it('wp401 report on a file that is not a result: one line, exit 2', () => {
    const r = wp401(['report', join(REPO, 'package.json'), '--out', join(out, 'x')]);
    assert.equal(r.code, 2);
    assertOneLineError(r.stderr, /^wp401: /);
  });
});
