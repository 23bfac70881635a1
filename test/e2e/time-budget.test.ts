// --time-budget: a site whose pages never finish answering (a hung PHP
// worker) must not hang the scan. The budget ends gathering, the scan judges
// what it has, marks the result incomplete and never exits 0. The server
// here is node:http on 127.0.0.1; the bound on the test is mocha's timeout,
// far above the budget, not a timing assertion.
import { strict as assert } from 'node:assert';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runScan } from '../support/cli.js';

describe('wp401 scan --time-budget', function () {
  this.timeout(90_000);
  let server: Server;
  let url = '';
  const hung: ServerResponse[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const api = `<${url}wp-json/>; rel="https://api.w.org/"`;
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html', link: api }).end(`<!doctype html><html><head><meta name="generator" content="WordPress 6.5"><title>Slow</title></head><body>${Array.from({ length: 30 }, (_, i) => `<a href="/page-${i}/">${i}</a>`).join(' ')}</body></html>`);
        return;
      }
      if (path.startsWith('/wp-json') || path.includes('rest_route')) {
        res.writeHead(200, { 'content-type': 'application/json', link: api }).end(JSON.stringify({ name: 'Slow', namespaces: ['wp/v2'], routes: {}, authentication: {} }));
        return;
      }
      // Everything else hangs: headers sent, the body never ends.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<!doctype html><html><body>');
      hung.push(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(async () => {
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('stops gathering at the budget, judges what it has, marks the result incomplete and exits 1', async () => {
    const run = await runScan(url, {}, ['--time-budget', '5', '--timeout', '120'], 80_000);
    assert.equal(run.code, 1, `exit code (stderr: ${run.stderr.slice(0, 500)})`);
    assert.ok(run.result, 'a result was written');
    assert.equal(run.result.incomplete, true);
    assert.equal(run.result.timings?.budgetMs, 5000, JSON.stringify({ t: run.result.timings, e: run.result.verdict }));
    assert.equal(run.result.timings?.budgetExhausted, true);
    assert.match(run.result.verdict.summary, /time budget \(5 s\) ran out before the scan finished/);
    assert.ok((run.result.timings?.stages ?? []).some((s) => s.stage === 'discover'), 'stages are recorded');
    // The requests cut off by the budget are recorded as aborted, not as answers.
    assert.ok(run.result.probes.some((p) => p.error?.code === 'aborted'));
  });
});
