// The real CLI, as a child process, against every test-bed scenario with no
// browser and no companion plugin: the layer and culprit each scenario file
// names (layerBlackBox when given), and the exit code (0 healthy, 1 problems).
// Then broken sites (a redirect loop, 500 everywhere, a 20 MiB page, a byte
// trickle) served by node:http on 127.0.0.1: the scan ends within its bounds
// with a one-line message, never a hang or a crash.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import { Client, login, requireTestbed, resetScenario, scenario, scenarioFile } from '../support/testbed.js';
import { type CliRun, runScan, scenarioEnv, withoutProgress } from '../support/cli.js';
import { port, SCENARIOS } from '../../fixtures/testbed/scenarios.js';
import { expectOrKnownGap, gapTitle, knownGap } from '../support/known-gaps.js';

const _CLI = process.env.WP401_CLI ?? join(REPO, 'dist', 'src', 'cli', 'main.js');


// Real-plugin scenarios: scan-real-plugins.test.ts (with their known gaps).
const NAMES = SCENARIOS.filter((s) => s.name !== 'hostile' && !s.realPlugins).map((s) => s.name);

describe('wp401 scan --no-browser against the test bed (black box)', function () {
  this.timeout(180_000);
  before(requireTestbed);
  after(() => resetScenario('rate-limited'));

  for (const name of NAMES) {
    const gap = knownGap(name, 'black-box');
    it(`${name}: layer, culprit and exit code${gapTitle(gap)}`, async function () {
      const s = scenario(name);
      if (name === 'rate-limited') {
        for (let i = 0; i < 3; i++) await (await login(new Client(), s.url, s.adminUser, 'not-the-password')).arrayBuffer();
      }
      const { env, args } = scenarioEnv(name);
      const run = await runScan(s.url, env, args);
      assert.ok(run.result, `no wp401.json (exit ${run.code}): ${run.stderr.slice(0, 300)}`);
      const result = run.result;
      const errors = result.findings.filter((f) => f.severity === 'error');
      // Discovery's answers of the home page and the REST index stand for the core probes' (src/gather/core.ts
      // ANSWERED_BY_DISCOVERY): each asked once per credential; the login page is asked again (a cache shows on the second GET).
      const early = result.probes.filter((p) => (p.source === 'discover' || p.source === 'core') && p.method === 'GET');
      for (const path of ['', 'wp-json/', 'wp-login.php']) {
        for (const auth of new Set(early.map((p) => p.auth))) {
          const asked = early.filter((p) => p.auth === auth && p.url === new URL(path, s.url).toString());
          if (!asked.some((p) => p.source === 'discover' && p.status > 0)) continue;
          assert.equal(asked.length, path === 'wp-login.php' ? 2 : 1, `${auth} GET /${path}: ${asked.map((p) => p.source).join(', ')}`);
        }
      }
      const want = scenarioFile(name).expect.errors;
      if (want.length === 0) {
        expectOrKnownGap(this, gap, () => {
          assert.deepEqual(errors.map((f) => f.id), []);
          assert.equal(run.code, 0);
        });
        return;
      }
      expectOrKnownGap(this, gap, () => {
        assert.equal(run.code, 1, 'problems found → exit 1');
        for (const w of want) {
          const layer = w.layerBlackBox ?? w.layer;
          const culprit = w.culpritBlackBox !== undefined ? w.culpritBlackBox : w.culprit;
          const match = errors.find((f) => f.layer === layer && f.culprit?.kind === culprit?.kind && (culprit?.kind === 'plugin' || f.culprit?.name === culprit?.name));
          assert.ok(match, `expected layer ${layer} culprit ${JSON.stringify(culprit)}; got ${JSON.stringify(errors.map((f) => [f.id, f.layer, f.culprit]))}`);
        }
      });
      if (name === 'rate-limited') {
        const posts = result.probes.filter((p) => p.method === 'POST').length;
        assert.ok(posts <= 1, `at most one login attempt (saw ${posts})`);
      }
    });
  }

  it('proxy-strips-authorization with --origin: the origin answers, the edge is named', async () => {
    const s = scenario('proxy-strips-authorization');
    const { env, args } = scenarioEnv('proxy-strips-authorization');
    const run = await runScan(s.url, env, [...args, '--origin', `http://127.0.0.1:${port(8426)}/`]);
    const f = run.result?.findings.find((x) => x.id === 'rest.app-password.authorization-stripped');
    assert.equal(f?.layer, 'edge');
  });
});

describe('wp401 scan on broken sites (node:http on 127.0.0.1)', function () {
  this.timeout(120_000);
  const servers: Server[] = [];
  const serve = (handler: Parameters<typeof createServer>[1]): Promise<string> =>
    new Promise((resolve) => {
      const srv = createServer(handler);
      servers.push(srv);
      srv.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/`));
    });
  after(() => {
    for (const s of servers) s.closeAllConnections();
    for (const s of servers) s.close();
  });

  const bounded = (run: CliRun, limitMs: number) => {
    assert.ok(run.ms < limitMs, `finished in ${run.ms} ms`);
    assert.ok([0, 1, 3].includes(run.code), `exit ${run.code}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    if (run.code === 3) assert.equal(withoutProgress(run.stderr).trim().split('\n').length, 1, `one-line error: ${run.stderr}`);
  };

  it('a redirect loop', async () => {
    const url = await serve((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const run = await runScan(url, {}, ['--timeout', '5']);
    bounded(run, 60_000);
    assert.match(run.stderr + run.stdout, /redirect|WordPress|reach/i);
  });

  it('500 everywhere', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>Internal Server Error</h1>');
    });
    const run = await runScan(url, {}, ['--timeout', '5']);
    bounded(run, 60_000);
    assert.match(run.stderr + run.stdout, /500/);
  });

  it('a 20 MiB page', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      for (let i = 0; i < 20; i++) res.write(chunk);
      res.end();
    });
    const run = await runScan(url, {}, ['--timeout', '10']);
    bounded(run, 90_000);
  });

  it('a server that trickles one byte a second', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => res.write('a'), 1000);
      res.on('close', () => clearInterval(t));
    });
    const run = await runScan(url, {}, ['--timeout', '3']);
    bounded(run, 60_000);
    assert.match(run.stderr + run.stdout, /timeout|time|reach|WordPress/i);
  });
});
