// HTTPS like a real staging site: healthy-https carries a certificate from the
// test bed's own CA. The scanner trusts it the way a user with an internal CA
// would — `--ca <file>` or NODE_EXTRA_CA_CERTS, for the probes, the companion
// plugin and Chromium alike — never with --insecure; without it the scan stops
// with one line that names --ca.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import type { ScanResult } from '../../src/model.js';
import type { Observations } from '../../src/observations/index.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const NAME = 'healthy-https';

function scan(args: string[], extraEnv: NodeJS.ProcessEnv = {}): { code: number | null; stderr: string; result: ScanResult | null; obs: Observations | null } {
  const s = scenario(NAME);
  const out = mkdtempSync(join(tmpdir(), 'wp401-tls-'));
  try {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword, WP401_BRIDGE_KEY: s.bridgeKey, ...extraEnv };
    const r = spawnSync(process.execPath, [CLI, 'scan', s.url, '--user', s.adminUser, '--quiet', '--format', 'json', '--out', out, '--save-observations', join(out, 'obs.json'), ...args], { env, encoding: 'utf8', timeout: 240_000 });
    const read = <T>(f: string): T | null => (existsSync(join(out, f)) ? (JSON.parse(readFileSync(join(out, f), 'utf8')) as T) : null);
    return { code: r.status, stderr: r.stderr, result: read<ScanResult>('wp401.json'), obs: read<Observations>('obs.json') };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('https with the test bed\'s own CA (--ca, NODE_EXTRA_CA_CERTS)', function () {
  this.timeout(300_000);
  before(async () => {
    await requireTestbed();
    await resetScenario(NAME);
  });

  it('without the CA: exit 3, one line naming the certificate problem and --ca', () => {
    const r = scan(['--no-browser']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /certificate/i);
    assert.match(r.stderr, /--ca <file>/);
  });

  it('--ca: the probes, the companion plugin and Chromium trust the CA; the browser logs in; nothing to report', () => {
    const r = scan(['--ca', scenario(NAME).caFile as string]);
    assert.ok(r.result && r.obs, r.stderr);
    assert.equal(r.obs.browser?.login.outcome, 'success', 'Chromium accepted the certificate and logged in');
    assert.ok(r.obs.browser?.browser?.args.some((a) => a.startsWith('--ignore-certificate-errors-spki-list=')), 'Chromium was told the verified server key');
    assert.ok(!r.obs.browser?.browser?.args.includes('--ignore-certificate-errors'), 'never told to ignore every certificate');
    assert.equal(r.obs.bridge?.status, 'ok', 'the companion plugin answered over https');
    assert.ok(r.result.probes.some((p) => p.auth === 'app-password' && p.status === 200), 'an application password works over TLS (WP_ENVIRONMENT_TYPE staging)');
    assert.deepEqual(r.result.findings.filter((f) => f.severity === 'error').map((f) => f.id), []);
    assert.equal(r.code, 0);
  });

  it('NODE_EXTRA_CA_CERTS works the same for the probes and Chromium', () => {
    const r = scan([], { NODE_EXTRA_CA_CERTS: scenario(NAME).caFile as string });
    assert.ok(r.result && r.obs, r.stderr);
    assert.equal(r.obs.browser?.login.outcome, 'success');
    assert.equal(r.code, 0);
  });
});
