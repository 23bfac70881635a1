// Options from the user's side (issue 17, with the config module of issue 13):
// precedence flag > WP401_* environment > wp401.config.json > default, with the
// built CLI as a child process in a folder of its own. The options tried are
// the ones a config file used to lose to the command-line defaults: out,
// format, browser; plus the time budget, which the result records.
// Cost: 5 HTTP-only scans of the healthy site, ~30 s.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import type { ScanResult } from '../../src/model.js';
import { requireTestbed, scenario } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

describe('wp401 scan options: flag > WP401_* environment > config file > default (built CLI)', function () {
  this.timeout(180000);
  let work: string;

  /** A scan of the healthy site from a fresh folder (cwd), with an optional wp401.config.json; returns the folders it wrote. */
  function scanIn(name: string, opts: { file?: Record<string, unknown>; env?: Record<string, string>; flags?: string[] }) {
    const s = scenario('healthy');
    const cwd = join(work, name);
    mkdirSync(cwd);
    if (opts.file) writeFileSync(join(cwd, 'wp401.config.json'), JSON.stringify(opts.file));
    const r = spawnSync(process.execPath, [CLI, 'scan', s.url, '--user', s.adminUser, '--quiet', ...(opts.flags ?? [])], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword, ...opts.env },
      timeout: 120000,
    });
    const folders = readdirSync(cwd).filter((f) => f !== 'wp401.config.json');
    return { code: r.status, stderr: r.stderr, cwd, folders };
  }
  const resultIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'wp401.json'), 'utf8')) as ScanResult & { timings?: { budgetMs?: number; stages?: { stage: string }[] } };
  const ranBrowser = (r: ReturnType<typeof resultIn>) => (r.timings?.stages ?? []).some((s) => s.stage === 'browser');

  before(async () => {
    await requireTestbed();
    work = mkdtempSync(join(tmpdir(), 'wp401-config-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('defaults: ./wp401-report with index.html and wp401.json', () => {
    const r = scanIn('defaults', { flags: ['--no-browser'] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.folders, ['wp401-report']);
    assert.deepEqual(readdirSync(join(r.cwd, 'wp401-report')).sort(), ['index.html', 'wp401.json']);
  });

  it('a config file\'s out, format, browser and time budget are honoured (no longer overwritten by the command-line defaults)', () => {
    const r = scanIn('file', { file: { out: 'from-file', format: 'json', browser: false, timeBudget: 77 } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.folders, ['from-file']);
    assert.deepEqual(readdirSync(join(r.cwd, 'from-file')), ['wp401.json'], 'format json only');
    const result = resultIn(join(r.cwd, 'from-file'));
    assert.equal(ranBrowser(result), false, 'browser: false from the file');
    assert.equal(result.timings?.budgetMs, 77000);
  });

  it('the environment wins over the file', () => {
    const r = scanIn('env', { file: { out: 'from-file', format: 'json', browser: false, timeBudget: 77 }, env: { WP401_OUT: 'from-env', WP401_FORMAT: 'html,json', WP401_TIME_BUDGET: '66' } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.folders, ['from-env']);
    assert.deepEqual(readdirSync(join(r.cwd, 'from-env')).sort(), ['index.html', 'wp401.json']);
    assert.equal(resultIn(join(r.cwd, 'from-env')).timings?.budgetMs, 66000);
  });

  it('a flag wins over the environment and the file', () => {
    const r = scanIn('flag', {
      file: { out: 'from-file', format: 'json', browser: false, timeBudget: 77 },
      env: { WP401_OUT: 'from-env', WP401_FORMAT: 'html', WP401_TIME_BUDGET: '66' },
      flags: ['--out', 'from-flag', '--format', 'json', '--time-budget', '55'],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.folders, ['from-flag']);
    assert.deepEqual(readdirSync(join(r.cwd, 'from-flag')), ['wp401.json']);
    assert.equal(resultIn(join(r.cwd, 'from-flag')).timings?.budgetMs, 55000);
    assert.ok(!existsSync(join(r.cwd, 'from-env')) && !existsSync(join(r.cwd, 'from-file')));
  });

  it('a bad value says where it came from: exit 2, one line', () => {
    const fromEnv = scanIn('bad-env', { env: { WP401_CONCURRENCY: '0' }, flags: ['--no-browser'] });
    assert.equal(fromEnv.code, 2);
    assert.match(fromEnv.stderr.trim(), /^wp401: .*concurrency/i);
    const fromFile = scanIn('bad-file', { file: { format: 'pdf' }, flags: ['--no-browser'] });
    assert.equal(fromFile.code, 2);
    assert.match(fromFile.stderr.trim(), /^wp401: .*pdf/);
  });
});
