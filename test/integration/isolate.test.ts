// wp401 scan --isolate against the live test bed: the confirmed culprits match
// each scenario file, other visitors never see a plugin switched off, the
// database is byte-identical before and after, and a troubleshooting header
// without a valid signature does nothing.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch } from 'undici';
import { checksumDb, sql } from '../../fixtures/testbed/mariadb.js';
import { REPO } from '../../fixtures/testbed/paths.js';
import { BridgeClient } from '../../src/bridge/index.js';
import { replayTarget } from '../../src/isolate/search.js';
import type { ScanResult } from '../../src/model.js';
import { failureOf, judgeExperiment } from '../../src/facts/experiment.js';
import { notBuilt, prepareScenario, requireTestbed, scenario, scenarioFile, deployBridge, skipWith } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

interface Run {
  code: number | null;
  result: ScanResult;
}

function scanEnv(name: string, withSecrets: { password?: boolean; appPassword?: boolean } = {}): NodeJS.ProcessEnv {
  const s = scenario(name);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WP401_BRIDGE_KEY: s.bridgeKey ?? '' };
  if (withSecrets.password !== false) env.WP401_PASSWORD = s.adminPassword;
  if (withSecrets.appPassword !== false) env.WP401_APP_PASSWORD = s.appPassword;
  if (s.httpUser && s.httpPassword) {
    env.WP401_HTTP_USER = s.httpUser;
    env.WP401_HTTP_PASSWORD = s.httpPassword;
  }
  return env;
}

/**
 * The sites run the bridge the test bed installed when it was last built (or
 * reset); put this checkout's bridge in place so the test exercises it.
 */

/** Runs the built CLI as a child process; `during` runs while it is running. */
async function scanIsolate(name: string, env = scanEnv(name), during?: (done: () => boolean) => Promise<void>): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'wp401-isolate-'));
  deployBridge(name);
  try {
    // --user only with a password to go with it: without one the CLI stops (or asks on a terminal) rather than skip the login.
    const user = env.WP401_PASSWORD || env.WP401_APP_PASSWORD ? ['--user', 'admin'] : [];
    // the real-plugin sites speak https with the test bed's CA
    const ca = scenario(name).caFile ? ['--ca', scenario(name).caFile as string] : [];
    const child = spawn(process.execPath, [CLI, 'scan', scenario(name).url, ...user, ...ca, '--no-browser', '--isolate', '--format', 'json', '--out', out], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let finished = false;
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
      finished = true;
      resolve(code);
    }));
    const side = during ? during(() => finished) : Promise.resolve();
    const [code] = await Promise.all([exited, side]);
    assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
    return { code, result: JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as ScanResult };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * WordPress core (6.1) caches the theme's global styles in a transient that
 * expires after a minute and is rebuilt by any front-end page view — any
 * visitor writes it, not something the scanner asked for. These rows, and
 * only these, are allowed to differ.
 */
const ALLOWED_OPTION_ROWS = /^_transient_(timeout_)?global_styles(_svg_filters)?_[a-z0-9-]+$/;

function optionRows(db: string): string[] {
  return sql('SELECT option_name, MD5(option_value), autoload FROM wp_options ORDER BY option_name', db)
    .trim()
    .split('\n')
    .filter((row) => !ALLOWED_OPTION_ROWS.test(row.split('\t')[0] ?? ''));
}

const slugOf = (basename: string) => basename.split('/')[0] as string;

function confirmedCulprits(r: ScanResult): string[] {
  const out = new Set<string>();
  for (const f of r.findings) {
    if (f.confidence !== 'confirmed' || f.culprit?.kind !== 'plugin') continue;
    for (const n of f.culprit.name.split(' + ')) out.add(n.trim());
  }
  return [...out].sort();
}

/** The confirmed findings' culprits, one name per finding ("a + b" for a pair), sorted. */
const confirmedGroups = (r: ScanResult) => [...new Set(r.findings.filter((f) => f.confidence === 'confirmed' && f.culprit?.kind === 'plugin').map((f) => f.culprit?.name as string))].sort();

/** Every "… [eNNN]." sentence says what that replay answered: "passed" exactly when it passed. */
function sentenceMismatches(r: ScanResult): string[] {
  const out: string[] = [];
  for (const f of r.findings.filter((x) => x.confidence === 'confirmed')) {
    for (const sentence of f.explanation.match(/[^.]*\[e\d{3}\]\./g) ?? []) {
      const id = (sentence.match(/\[(e\d{3})\]/) as RegExpMatchArray)[1];
      const exp = r.experiments.find((e) => e.id === id);
      const probe = r.probes.find((p) => p.id === exp?.probe);
      if (!exp || !probe) {
        out.push(`${sentence}: no such replay`);
        continue;
      }
      const passed = judgeExperiment(failureOf(probe), exp) === 'pass';
      if (/\bpassed \(/.test(sentence) !== passed) out.push(`${sentence}: the replay answered ${exp.status} ${exp.errorCode ?? ''}`);
      if (!f.evidence.some((e) => e.kind === 'experiment' && e.experiment === id)) out.push(`${sentence}: ${id} not in the evidence`);
    }
    if (/made it pass/.test(f.explanation)) out.push(`${f.id}: "made it pass" is not generated from a replay`);
  }
  return out;
}

describe('integration: scan --isolate on the live test bed', function () {
  this.timeout(180_000);

  before(async () => {
    await requireTestbed();
  });

  for (const name of ['rest-blocked-by-plugin', 'app-passwords-disabled-by-plugin', 'plugin-pair', 'plugin-independent', 'real-combo-rest-pair']) {
    it(`${name}: the confirmed culprit(s) match the scenario file, within the replay budget`, async function () {
      const missing = notBuilt(name);
      if (missing) skipWith(this, missing);
      if (scenarioFile(name).prepare) await prepareScenario(name);
      const expected = [...(scenarioFile(name).expect.isolate?.culprits ?? [])].sort();
      // single [[a]], a pair that fails only together [[a, b]], or independent culprits [[a], [b]]: one finding each
      const groups = (scenarioFile(name).expect.isolate?.groups ?? [expected]).map((g) => [...g].sort().join(' + ')).sort();
      const { code, result } = await scanIsolate(name);
      assert.deepEqual(confirmedGroups(result), groups, 'one confirmed finding per culprit group');
      assert.deepEqual(sentenceMismatches(result), []);
      assert.equal(code, 1);
      assert.deepEqual(confirmedCulprits(result), expected);
      const confirmed = result.findings.filter((f) => f.confidence === 'confirmed');
      assert.ok(confirmed.length > 0);
      for (const f of confirmed) {
        assert.equal(f.layer, 'plugin');
        assert.ok(f.evidence.some((e) => e.kind === 'experiment'), 'experiments are the evidence');
        assert.ok(f.fixes.some((x) => expected.some((slug) => x.includes(slug))), 'a fix names the plugin');
        if (!f.culprit?.name.includes(' + ')) assert.equal(f.culprit?.file && slugOf(f.culprit.file), f.culprit?.name);
      }
      // Every replay was honoured by the bridge: it dropped exactly what was asked.
      assert.ok(result.experiments.length > 0);
      for (const e of result.experiments) assert.deepEqual([...(e.droppedReported ?? [])].sort(), [...e.pluginsOff].sort(), e.id);
      // Per isolated request: within the targets.
      const plugins = ((result.environment?.plugins ?? []) as { bridge: boolean }[]).filter((p) => !p.bridge).length;
      for (const probe of new Set(result.experiments.map((e) => e.probe))) {
        const n = result.experiments.filter((e) => e.probe === probe).length;
        // independent culprits are two searches of one culprit each, plus the proof
        const budget = groups.length > 1 ? 2 * replayTarget(plugins, 1) + 2 : replayTarget(plugins, expected.length as 1 | 2);
        assert.ok(n <= budget, `${probe}: ${n} replays for P=${plugins}`);
      }
    });
  }

  it('healthy: --isolate runs no experiments', async () => {
    const { result } = await scanIsolate('healthy');
    assert.equal(result.experiments.length, scenarioFile('healthy').expect.isolate?.experiments ?? 0);
    assert.ok(!result.findings.some((f) => f.confidence === 'confirmed'));
  });

  it('htaccess-admin-zone: names the server layer, blames no plugin, runs no experiment', async () => {
    const { result } = await scanIsolate('htaccess-admin-zone');
    assert.equal(result.experiments.length, 0);
    assert.ok(!result.findings.some((f) => f.culprit?.kind === 'plugin' || f.layer === 'plugin'));
    const errors = result.findings.filter((f) => f.severity === 'error');
    assert.ok(errors.length > 0);
    assert.equal(errors[0]?.layer, scenarioFile('htaccess-admin-zone').expect.isolate?.layer);
  });

  it('while isolation runs, an ordinary visitor still gets the unmodified site', async () => {
    const url = new URL('wp-json/', scenario('rest-blocked-by-plugin').url).href;
    const seen: string[] = [];
    const { result } = await scanIsolate('rest-blocked-by-plugin', scanEnv('rest-blocked-by-plugin'), async (done) => {
      while (!done()) {
        const res = await fetch(url);
        const body = (await res.json().catch(() => ({}))) as { code?: string };
        seen.push(`${res.status} ${body.code ?? ''} ${res.headers.get('x-wp401-dropped') ?? ''}`.trim());
      }
    });
    assert.ok(result.experiments.some((e) => e.status === 200), 'the replays themselves did see the site without the culprit');
    assert.ok(seen.length >= 5, `only ${seen.length} visits during the scan`);
    assert.deepEqual([...new Set(seen)], ['401 rest_login_required']);
  });

  for (const [name, secrets] of [
    ['rest-blocked-by-plugin', { password: false, appPassword: false }],
    ['plugin-pair', { password: false, appPassword: false }],
    ['app-passwords-disabled-by-plugin', { password: false, appPassword: true }],
  ] as const) {
    it(`${name}: the database is byte-identical before and after a full --isolate scan`, async () => {
      // No password: no login, so WordPress has nothing of its own to write. On
      // app-passwords-disabled-by-plugin the application password is sent but
      // refused, so WordPress does not record its use either. Allowed: ALLOWED_OPTION_ROWS.
      const db = scenario(name).database;
      deployBridge(name);
      const before = checksumDb(db);
      const optionsBefore = optionRows(db);
      const { result } = await scanIsolate(name, scanEnv(name, secrets));
      const after = checksumDb(db);
      const optionsAfter = optionRows(db);
      assert.ok(result.experiments.length > 0, 'isolation ran');
      // Every table byte-identical; wp_options row by row, minus core's global-styles cache.
      const changed = Object.keys(before).filter((t) => t !== 'wp_options' && before[t] !== after[t]);
      assert.deepEqual(changed, []);
      assert.deepEqual(optionsAfter, optionsBefore);
      assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
    });
  }

  describe('the troubleshooting header needs a valid signature', () => {
    before(() => deployBridge('rest-blocked-by-plugin'));
    const guard = 'fixture-rest-guard/fixture-rest-guard.php';
    const url = () => new URL('wp-json/', scenario('rest-blocked-by-plugin').url).href;
    const get = async (headers: Record<string, string>) => {
      const res = await fetch(url(), { headers });
      const body = (await res.json()) as { code?: string };
      return { status: res.status, code: body.code, dropped: res.headers.get('x-wp401-dropped') };
    };

    it('unsigned: ignored (plugin still active, no X-WP401-Dropped)', async () => {
      assert.deepEqual(await get({ 'X-WP401-Troubleshoot': guard }), { status: 401, code: 'rest_login_required', dropped: null });
    });

    it('signed with the wrong key, or tampered after signing: ignored', async () => {
      const wrong = new BridgeClient({ siteUrl: scenario('rest-blocked-by-plugin').url, key: 'f'.repeat(64) });
      assert.deepEqual(await get(wrong.signHeaders('GET', url(), '', { troubleshoot: [guard] })), { status: 401, code: 'rest_login_required', dropped: null });
      const right = new BridgeClient({ siteUrl: scenario('rest-blocked-by-plugin').url, key: scenario('rest-blocked-by-plugin').bridgeKey ?? '' });
      const signedForOther = right.signHeaders('GET', url(), '', { troubleshoot: ['fixture-gallery/fixture-gallery.php'] });
      assert.deepEqual(await get({ ...signedForOther, 'X-WP401-Troubleshoot': guard }), { status: 401, code: 'rest_login_required', dropped: null });
    });

    it('validly signed: the plugin is dropped for that request only, and the response says so', async () => {
      const right = new BridgeClient({ siteUrl: scenario('rest-blocked-by-plugin').url, key: scenario('rest-blocked-by-plugin').bridgeKey ?? '' });
      const signed = await get(right.signHeaders('GET', url(), '', { troubleshoot: [guard] }));
      assert.equal(signed.status, 200);
      assert.equal(signed.dropped, guard);
      assert.deepEqual(await get({}), { status: 401, code: 'rest_login_required', dropped: null });
    });
  });
});
