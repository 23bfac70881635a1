// One precedence for every scan option: an explicit flag, then the
// environment, then the config file, then the default. The command line is
// parsed by the real yargs setup, so a default filled in by the parser would
// show here as a config file value that is ignored. No network; ~0.3 s.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '../../../src/cli/commands.js';
import { CONFIG_FILE, DEFAULTS, loadScanOptions, SCAN_OPTIONS, UsageError } from '../../../src/config/options.js';

const URL = 'http://staging.example/';

async function flagsOf(argv: string[]): Promise<Record<string, unknown>> {
  const cmd = await parseCommand(['scan', URL, ...argv]);
  assert.equal(cmd.name, 'scan');
  return (cmd as { args: Record<string, unknown> }).args;
}

describe('scan options: flag > environment > config file > default', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wp401-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const withFile = (content: Record<string, unknown>) => writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(content));
  const load = async (argv: string[], env: NodeJS.ProcessEnv = {}) => loadScanOptions(await flagsOf(argv), env, dir).options;

  it('without a flag, variable or file: the defaults', async () => {
    const o = await load([]);
    assert.equal(o.outDir, DEFAULTS.outDir);
    assert.deepEqual(o.formats, DEFAULTS.formats);
    assert.equal(o.browser, DEFAULTS.browser);
    assert.equal(o.concurrency, DEFAULTS.concurrency);
  });

  it('the config file is honoured when the flag is absent (out, format, browser, concurrency)', async () => {
    withFile({ out: 'from-file', format: 'json,har', browser: false, concurrency: 7 });
    const o = await load([]);
    assert.equal(o.outDir, 'from-file');
    assert.deepEqual(o.formats, ['json', 'har']);
    assert.equal(o.browser, false);
    assert.equal(o.concurrency, 7);
  });

  it('an explicit flag overrides the config file (out, format, browser, concurrency)', async () => {
    withFile({ out: 'from-file', format: 'json,har', browser: false, concurrency: 7 });
    const o = await load(['--out', 'from-flag', '--format', 'html', '--browser', '--concurrency', '2']);
    assert.equal(o.outDir, 'from-flag');
    assert.deepEqual(o.formats, ['html']);
    assert.equal(o.browser, true);
    assert.equal(o.concurrency, 2);
  });

  it('--no-browser overrides a config file that asks for the browser', async () => {
    withFile({ browser: true });
    assert.equal((await load(['--no-browser'])).browser, false);
  });

  it('the environment sits between: over the file, under the flag', async () => {
    withFile({ out: 'from-file', concurrency: 7, browser: true });
    const env = { WP401_OUT: 'from-env', WP401_CONCURRENCY: '5', WP401_BROWSER: 'false' };
    const o = await load([], env);
    assert.deepEqual([o.outDir, o.concurrency, o.browser], ['from-env', 5, false]);
    const f = await load(['--out', 'from-flag', '--concurrency', '3', '--browser'], env);
    assert.deepEqual([f.outDir, f.concurrency, f.browser], ['from-flag', 3, true]);
  });

  it('--config names another file; its values are checked like flags', async () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ maxRequests: 50, timeout: 3 }));
    const o = await load(['--config', other]);
    assert.deepEqual([o.maxRequests, o.timeoutMs], [50, 3000]);
    writeFileSync(other, JSON.stringify({ concurrency: 99 }));
    await assert.rejects(load(['--config', other]), (e: unknown) => e instanceof UsageError && /--concurrency must be a whole number from 1 to 32/.test(e.message));
  });

  it('refuses unknown keys, secrets and per-run options in the config file', async () => {
    withFile({ outDir: 'x' });
    await assert.rejects(load([]), (e: unknown) => e instanceof UsageError && /unknown option "outDir"/.test(e.message));
    withFile({ password: 'hunter2-secret' });
    await assert.rejects(load([]), (e: unknown) => e instanceof UsageError && /secrets are not accepted/.test(e.message) && !e.message.includes('hunter2'));
    withFile({ fromObservations: 'obs.json' });
    await assert.rejects(load([]), (e: unknown) => e instanceof UsageError && /unknown option "fromObservations"/.test(e.message));
  });

  it('a variable that is not a yes/no for a yes/no option is a usage error', async () => {
    await assert.rejects(load([], { WP401_BROWSER: 'maybe' }), (e: unknown) => e instanceof UsageError && /WP401_BROWSER must be true or false/.test(e.message));
  });

  it('a bridge key too short to be one (a truncated paste) is a usage error naming the variable, never its value', async () => {
    const short = 'abc123-truncated';
    await assert.rejects(load([], { WP401_BRIDGE_KEY: short }), (e: unknown) => e instanceof UsageError && /^WP401_BRIDGE_KEY is not a companion plugin key: it has fewer than 32 characters/.test(e.message) && !e.message.includes(short));
    assert.equal(loadScanOptions(await flagsOf([]), { WP401_BRIDGE_KEY: 'k'.repeat(32) }, dir).secrets.bridgeKey, 'k'.repeat(32));
  });

  it('--isolate without the bridge key is refused here, whatever its source', async () => {
    await assert.rejects(load(['--isolate']), (e: unknown) => e instanceof UsageError && /--isolate needs the companion plugin/.test(e.message));
    withFile({ isolate: true });
    await assert.rejects(load([]), (e: unknown) => e instanceof UsageError && /--isolate needs the companion plugin/.test(e.message));
    const keyed = loadScanOptions(await flagsOf(['--isolate']), { WP401_BRIDGE_KEY: 'k'.repeat(40) }, dir);
    assert.equal(keyed.options.isolate, true);
    assert.equal(keyed.secrets.bridgeKey, 'k'.repeat(40));
  });

  it('every option has a flag, a description, and (unless per run) one environment variable of its own', () => {
    const envs = SCAN_OPTIONS.filter((o) => !o.perRun).map((o) => o.env);
    assert.ok(envs.every((e) => typeof e === 'string' && /^WP401_[A-Z_]+$/.test(e)));
    assert.equal(new Set(envs).size, envs.length);
    for (const o of SCAN_OPTIONS) assert.ok(o.flag && o.describe.length > 10, o.key);
  });
});
