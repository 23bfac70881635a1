// The companion plugin's status is loud (issue 16, class 12): whether it took
// part in the scan, and if not why, is in wp401.json (environment.bridge),
// on the terminal, and at the top of the HTML report; --isolate with a
// refused key stops at once with exit 2; no fix says "install the companion
// plugin" when it is there. The built CLI against the test bed: a wrong key
// (healthy), a Basic lock whose credentials the scan lacks (staging-lock), a
// REST wall with no early door (rest-wall with its must-use loader moved away,
// as when mu-plugins is not writable), the right key, and no key. ~25 s.
import { strict as assert } from 'node:assert';
import { existsSync, renameSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model.js';
import { loadScanOptions } from '../../src/config/options.js';
import { BRIDGE_FILES } from '../../src/gather/bridge.js';
import { IsolationUnavailable } from '../../src/gather/index.js';
import { scan } from '../../src/scan.js';
import { processesUsing } from '../support/browser-leftovers.js';
// puppeteer defines a global (URLPattern) when it loads: load it before
// mocha's leak check starts, as the browser tests do by importing it.
import '../../src/browser/session.js';
import { runScan, scenarioEnv } from '../support/cli.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

/** 64 hex characters like a real key, and not the one the site holds. */
const WRONG_KEY = 'ab'.repeat(32);

const statusOf = (r: ScanResult | null) => (r?.environment?.bridge ?? null) as { status: string; reason?: string; message: string } | null;
const installAdvice = (r: ScanResult) => r.findings.flatMap((f) => f.fixes).filter((x) => /install (and activate )?(it|the companion plugin)/i.test(x));

describe('the companion plugin\'s status, loud (built CLI, test bed)', function () {
  this.timeout(180_000);
  before(requireTestbed);

  it('a wrong key on a site where the plugin is active: key-refused, said on the terminal; no advice to install it', async () => {
    const { env, args } = scenarioEnv('healthy');
    const run = await runScan(scenario('healthy').url, { ...env, WP401_BRIDGE_KEY: WRONG_KEY }, args);
    assert.ok(run.result, run.stderr);
    assert.deepEqual(
      { status: statusOf(run.result)?.status, reason: statusOf(run.result)?.reason },
      { status: 'key-refused', reason: 'wrong-key' },
    );
    assert.match(run.stdout, /Companion plugin .*refused the key/);
    assert.ok(!run.stdout.includes(WRONG_KEY) && !JSON.stringify(run.result).includes(WRONG_KEY), 'the key is never printed');
    assert.deepEqual(installAdvice(run.result), []);
  });

  it('--isolate with a wrong key stops at once: exit 2, one clear line, no report', async () => {
    const { env, args } = scenarioEnv('healthy');
    const run = await runScan(scenario('healthy').url, { ...env, WP401_BRIDGE_KEY: WRONG_KEY }, [...args, '--isolate', '--quiet']);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.result, null, 'stopped before the scan: no wp401.json');
    assert.match(run.stderr, /--isolate needs the companion plugin to accept WP401_BRIDGE_KEY.*refused the key/);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.ok(!run.stderr.includes(WRONG_KEY));
    assert.ok(run.ms < 30_000, `stopped after ${run.ms} ms`);
  });

  it('--isolate with a wrong key and the browser on (the library, no process exit to clean up): the early Chromium is closed before the error', async () => {
    const s = scenario('healthy');
    const out = await mkdtemp(join(tmpdir(), 'wp401-isolate-'));
    try {
      const { options, secrets } = loadScanOptions(
        { url: s.url, user: s.adminUser, isolate: true, browser: true, out, quiet: true, insecure: true },
        { WP401_PASSWORD: s.adminPassword, WP401_BRIDGE_KEY: WRONG_KEY },
        out,
      );
      await assert.rejects(scan(options, secrets), (e: unknown) => e instanceof IsolationUnavailable);
      // No Chromium of ours is running, nor starts later (its launch was under
      // way when the scan stopped): every scan's profile folder is named wp401-chrome-….
      for (let i = 0; i < 20; i++) {
        assert.deepEqual(processesUsing('wp401-chrome-'), [], `no browser process ${i * 100} ms after the error`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('a Basic lock the scan has no credentials for: unreachable (server-lock), and the fixes never say to install the plugin', async () => {
    const { env, args } = scenarioEnv('staging-lock', { bridge: true });
    const { WP401_HTTP_USER: _u, WP401_HTTP_PASSWORD: _p, ...withoutLock } = env;
    const run = await runScan(scenario('staging-lock').url, withoutLock, args);
    assert.ok(run.result, run.stderr);
    assert.deepEqual({ status: statusOf(run.result)?.status, reason: statusOf(run.result)?.reason }, { status: 'unreachable', reason: 'server-lock' });
    assert.match(run.stdout, /Companion plugin could not be reached: a Basic-auth lock/);
    assert.deepEqual(installAdvice(run.result), []);
  });

  it('REST ends in a wp_die() page and the early door is gone: unreachable (rest-blocked)', async () => {
    const s = scenario('rest-wall');
    const loader = join(s.docroot, BRIDGE_FILES.loader);
    assert.ok(existsSync(loader), `the test bed installed the must-use loader at ${loader}`);
    renameSync(loader, `${loader}.off`);
    try {
      const { env, args } = scenarioEnv('rest-wall', { bridge: true });
      const run = await runScan(s.url, env, args);
      assert.ok(run.result, run.stderr);
      assert.deepEqual({ status: statusOf(run.result)?.status, reason: statusOf(run.result)?.reason }, { status: 'unreachable', reason: 'rest-blocked' });
      assert.deepEqual(installAdvice(run.result), []);
    } finally {
      renameSync(`${loader}.off`, loader);
      await resetScenario('rest-wall');
    }
  });

  it('the right key: ok; no key: not-used — both in wp401.json', async () => {
    const withKey = scenarioEnv('healthy', { bridge: true });
    const ok = await runScan(scenario('healthy').url, withKey.env, withKey.args);
    assert.equal(statusOf(ok.result)?.status, 'ok', ok.stderr);
    assert.match(ok.stdout, /Companion plugin answered/);
    const without = scenarioEnv('healthy');
    const none = await runScan(scenario('healthy').url, without.env, without.args);
    assert.equal(statusOf(none.result)?.status, 'not-used', none.stderr);
    assert.equal(none.code, 0);
  });
});
