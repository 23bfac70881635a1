// Calls to the companion plugin are requests like every other: they go
// through the scan's request engine, so they honour --insecure and --resolve
// and appear as probes (source "bridge") in wp401.json and in the HAR. On
// healthy-https (a certificate from the test bed's CA, which this scan is not
// told about) under a host name no DNS knows: only --insecure lets TLS pass
// and only --resolve reaches the site. About 10 s.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import { EARLY_DOOR_PARAM } from '../../src/bridge/protocol.js';
import type { ScanResult } from '../../src/model.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const NAME = 'healthy-https';
/** A name under .test (RFC 2606): never resolvable, so only --resolve can reach the site with it. */
const HOST = 'staging.wp401-bridge.test';

interface HarEntry {
  request: { method: string; url: string; headers: { name: string; value: string }[] };
  response: { status: number };
}

describe('bridge calls go through the request engine (https, --insecure, --resolve)', function () {
  this.timeout(200_000);
  let result: ScanResult | null = null;
  let har: { log: { entries: HarEntry[] } } | null = null;
  let stderr = '';
  let key = '';

  before(async () => {
    await requireTestbed();
    await resetScenario(NAME);
    const s = scenario(NAME);
    key = s.bridgeKey ?? '';
    const port = new URL(s.url).port;
    const out = mkdtempSync(join(tmpdir(), 'wp401-bridge-tr-'));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WP401_BRIDGE_KEY: key };
      const args = [CLI, 'scan', `https://${HOST}:${port}/`, '--no-browser', '--insecure', '--resolve', `${HOST}:${port}:127.0.0.1`, '--quiet', '--format', 'json,har', '--out', out];
      const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 180_000 });
      stderr = r.stderr;
      if (existsSync(join(out, 'wp401.json'))) result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as ScanResult;
      if (existsSync(join(out, 'wp401.har'))) har = JSON.parse(readFileSync(join(out, 'wp401.har'), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the companion plugin answered: its environment is in the result', () => {
    assert.ok(result, `no wp401.json: ${stderr.slice(0, 400)}`);
    assert.ok(result.environment, 'the bridge environment is in the result (its calls passed TLS with --insecure and reached the site with --resolve)');
  });

  it('every bridge call is a probe in wp401.json: to the resolved name, over https, signature redacted', () => {
    assert.ok(result);
    const calls = result.probes.filter((p) => p.source === 'bridge');
    // each route through the early door (?wp401_bridge=env) or REST (?rest_route=/wp401/v1/env)
    const routeOf = (url: string) => {
      const q = new URL(url).searchParams;
      return q.get(EARLY_DOOR_PARAM) ?? q.get('rest_route')?.replace(/^\/wp401\/v1\//, '') ?? null;
    };
    const answered = calls.filter((p) => p.status === 200).map((p) => routeOf(p.url));
    for (const route of ['env', 'time', 'ledger']) assert.ok(answered.includes(route), `a bridge call to ${route} answered 200; got ${JSON.stringify(calls.map((p) => [routeOf(p.url), p.status]))}`);
    for (const p of calls) {
      assert.equal(new URL(p.url).host, `${HOST}:${new URL(p.url).port}`);
      assert.equal(new URL(p.url).protocol, 'https:');
      assert.ok(p.status > 0, `${p.url}: ${p.error?.message ?? 'no answer'}`);
      assert.equal(p.requestHeaders['x-wp401-signature']?.[0], '[redacted]', 'the signature is recorded redacted');
    }
    assert.ok(!JSON.stringify(result).includes(key), 'the bridge key appears nowhere in the result');
  });

  it('the same calls are entries of the HAR', () => {
    assert.ok(result && har, `no wp401.har: ${stderr.slice(0, 400)}`);
    const inJson = result.probes.filter((p) => p.source === 'bridge').map((p) => p.url);
    const inHar = har.log.entries.map((e) => e.request.url);
    for (const url of inJson) assert.ok(inHar.includes(url), `${url} is in the HAR`);
    assert.ok(!JSON.stringify(har).includes(key), 'the bridge key appears nowhere in the HAR');
  });
});
