// `wp401 scan-many` with the built CLI against five test-bed sites (issue 17):
// a YAML sites file with per-site users and the NAMES of per-site secret
// variables (the staging lock's basic-auth pair included), two sites at a
// time, HTTP probes only. Five report folders, an index.html whose rows agree
// with each site's own wp401.json, wp401-fleet.json, and the worst exit code
// (1). Cost: about 15–25 s on this machine.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetSummary } from '../../src/fleet/index.js';
import type { ScanResult } from '../../src/model.js';
import { runCli } from '../support/hardening.js';
import { requireTestbed, scenario, scenarioFile } from '../support/testbed.js';

const SITES = ['healthy', 'fpm-strips-authorization', 'staging-lock', 'rest-blocked-by-plugin', 'cookie-domain-mismatch'];
const envName = (site: string, what: string) => `FLEET_${site.toUpperCase().replace(/-/g, '_')}_${what}`;

describe('wp401 scan-many on five test-bed sites (built CLI, --no-browser, 2 at a time)', function () {
  this.timeout(240000);
  let work: string;
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  const env: Record<string, string> = {};
  const secrets: string[] = [];

  before(async () => {
    await requireTestbed();
    work = mkdtempSync(join(tmpdir(), 'wp401-fleet-'));
    out = join(work, 'fleet');
    const lines = ['# five test-bed sites, secrets by variable name', 'defaults:', '  browser: true', 'sites:'];
    for (const name of SITES) {
      const s = scenario(name);
      lines.push(`  - url: ${s.url}`, `    name: ${name}`, `    user: ${s.adminUser}`, `    passwordEnv: ${envName(name, 'PW')}`, `    appPasswordEnv: ${envName(name, 'APP')}`);
      env[envName(name, 'PW')] = s.adminPassword;
      env[envName(name, 'APP')] = s.appPassword;
      secrets.push(s.adminPassword, s.appPassword);
      if (s.httpUser) {
        lines.push(`    httpUserEnv: ${envName(name, 'HTTP_USER')}`, `    httpPasswordEnv: ${envName(name, 'HTTP_PW')}`);
        env[envName(name, 'HTTP_USER')] = s.httpUser;
        env[envName(name, 'HTTP_PW')] = s.httpPassword ?? '';
        secrets.push(s.httpPassword ?? '');
      }
    }
    writeFileSync(join(work, 'sites.yml'), `${lines.join('\n')}\n`);
    // --no-browser on the command line wins over the file's "browser: true" (precedence: unit test test/unit/fleet).
    run = await runCli(['scan-many', join(work, 'sites.yml'), '--out', out, '--parallel', '2', '--no-browser', '--format', 'html,json'], { env, killAfterMs: 230000 });
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exits 1 (the worst of ok and problems) and prints one line per site and the index path', () => {
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, SITES.length + 1, run.stdout);
    for (const name of SITES) assert.ok(lines.some((l) => l.startsWith(name)), name);
    assert.equal(lines.at(-1), join(out, 'index.html'));
    assert.match(run.stderr, /\[5\/5 done\]/, 'progress lines on stderr');
    for (const secret of secrets.filter(Boolean)) assert.ok(!(run.stdout + run.stderr).includes(secret), 'no secret in the output');
  });

  it('five report folders, each a scan of its own site with the verdict its scenario file expects', () => {
    assert.deepEqual(readdirSync(out).sort(), [...SITES, 'index.html', 'wp401-fleet.json'].sort());
    for (const name of SITES) {
      const result = JSON.parse(readFileSync(join(out, name, 'wp401.json'), 'utf8')) as ScanResult;
      assert.equal(result.target, scenario(name).url, name);
      assert.ok(existsSync(join(out, name, 'index.html')), `${name}/index.html`);
      assert.equal(result.verdict.status, scenarioFile(name).expect.verdict, `${name}: ${result.verdict.summary}`);
      const text = readFileSync(join(out, name, 'wp401.json'), 'utf8');
      for (const secret of secrets.filter(Boolean)) assert.ok(!text.includes(secret), `${name}: no secret in the report`);
    }
  });

  it('index.html and wp401-fleet.json agree with every site\'s own report: verdict, top finding, time, link', () => {
    const summary = JSON.parse(readFileSync(join(out, 'wp401-fleet.json'), 'utf8')) as FleetSummary;
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.equal(summary.exit, 1);
    assert.deepEqual(
      summary.sites.map((s) => s.name),
      SITES,
      'rows in the order of the file',
    );
    const rows = html.split('<tr class=').slice(1);
    assert.equal(rows.length, SITES.length);
    SITES.forEach((name, i) => {
      const s = summary.sites[i];
      const result = JSON.parse(readFileSync(join(out, name, 'wp401.json'), 'utf8')) as ScanResult;
      const firstError = result.findings.find((f) => f.severity === 'error');
      assert.equal(s?.outcome, result.verdict.status === 'ok' ? 'ok' : 'problems', name);
      assert.equal(s?.exit, result.verdict.status === 'ok' ? 0 : 1);
      if (firstError) assert.equal(s?.topFinding, firstError.title, name);
      assert.equal(s?.errors, result.findings.filter((f) => f.severity === 'error').length);
      assert.equal(s?.durationMs, result.durationMs);
      const row = rows[i] ?? '';
      assert.match(row, new RegExp(`<strong>${name}</strong>`));
      assert.match(row, new RegExp(`<a href="${name}/index\\.html">report</a>`));
      assert.match(row, result.verdict.status === 'ok' ? /no problem found/ : /problems found/);
      assert.ok(row.includes(`${((s?.durationMs ?? 0) / 1000).toFixed(1)} s`), `${name}: time in the row`);
      if (firstError) assert.ok(row.includes(firstError.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), `${name}: top finding in the row`);
    });
  });

  it('a site naming a secret variable that is not set stops the run before any request: exit 2, one line, nothing written', async () => {
    const file = join(work, 'unset.yml');
    writeFileSync(file, `sites:\n  - url: ${scenario('healthy').url}\n    passwordEnv: FLEET_NOT_SET_ANYWHERE\n`);
    const r = await runCli(['scan-many', file, '--out', join(work, 'unset-out'), '--no-browser'], { env: {} });
    assert.equal(r.code, 2);
    assert.match(r.stderr.trim(), /^wp401: [^\n]*FLEET_NOT_SET_ANYWHERE is not set$/);
    assert.ok(!existsSync(join(work, 'unset-out')));
  });

  it('a site whose --isolate finds no companion plugin is not scanned and gets exit 2, as `wp401 scan` gives; the other site is scanned', async () => {
    // healthy has no bridge plugin: the scan stops at once (IsolationUnavailable) before any replay.
    const file = join(work, 'isolate.yml');
    const h = scenario('healthy');
    writeFileSync(file, `sites:\n  - url: ${h.url}\n    name: isolate\n    isolate: true\n    bridgeKeyEnv: FLEET_ISOLATE_KEY\n  - url: ${h.url}\n    name: plain\n`);
    const r = await runCli(['scan-many', file, '--out', join(work, 'isolate-out'), '--no-browser', '--format', 'json'], { env: { FLEET_ISOLATE_KEY: 'not-a-real-key-0123456789abcdef-0123456789' } });
    const summary = JSON.parse(readFileSync(join(work, 'isolate-out', 'wp401-fleet.json'), 'utf8')) as FleetSummary;
    const byName = new Map(summary.sites.map((s) => [s.name, s]));
    assert.equal(byName.get('isolate')?.outcome, 'failed');
    assert.equal(byName.get('isolate')?.exit, 2, byName.get('isolate')?.summary);
    assert.equal(byName.get('plain')?.outcome, 'ok');
    assert.equal(summary.exit, 2);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes('not-a-real-key-0123456789abcdef-0123456789'), 'the key is not echoed');
  });

  it('a missing sites file is a runtime failure: exit 4, one line', async () => {
    const r = await runCli(['scan-many', join(work, 'nope.txt'), '--out', join(work, 'x')]);
    assert.equal(r.code, 4);
    assert.match(r.stderr.trim(), /^wp401: cannot read the sites file .*nope\.txt \(ENOENT\)$/);
  });
});
