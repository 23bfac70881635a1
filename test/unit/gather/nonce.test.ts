// The HTTP login's REST nonce check (src/gather/nonce.ts) against a local
// node:http server that answers the way core does: admin-ajax.php's
// rest-nonce action prints the nonce (wp_ajax_rest_nonce), users/me verifies
// X-WP-Nonce against the current and the previous tick and echoes a nonce for
// the current tick when it passes (wp_verify_nonce, rest_cookie_check_errors).
// Ticks are milliseconds here and the ages are shortened, so a case takes
// well under a second. And no nonce the server handed out is in anything the
// engine recorded. About 1.5 s.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { advertisedRestRoot, checkRestNonce, usersMeUrl } from '../../../src/gather/nonce.js';
import type { Probe } from '../../../src/model.js';
import { createEngine } from '../../../src/http/engine.js';
import type { Engine } from '../../../src/http/index.js';
import { summarizeBody } from '../../../src/parse/body.js';
import { noDns, type Running, startHttp } from '../http/servers.js';

const SESSION = 'canary-session-token-3b7d1e';
const COOKIE = 'wordpress_logged_in_0123456789abcdef0123456789abcdef';

interface Site {
  /** nonce_life in ms; a tick is half of it */
  lifeMs: number;
  /** admin-ajax.php answers 400 "0" (WordPress before 5.3) */
  noAction?: boolean;
  /** every nonce refused, fresh ones too */
  refuseAll?: boolean;
  /** nonces handed out or echoed, to look for afterwards */
  served: Set<string>;
}

function nonceFor(tick: number): string {
  return createHash('sha256').update(`${tick}|wp_rest|1|${SESSION}`).digest('hex').slice(-12, -2);
}

function handler(site: Site) {
  const tick = () => Math.ceil(Date.now() / (site.lifeMs / 2));
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url === '/login') {
      res.writeHead(200, { 'set-cookie': `${COOKIE}=${SESSION}; Path=/; HttpOnly` });
      res.end('ok');
      return;
    }
    const loggedIn = (req.headers.cookie ?? '').includes(`${COOKIE}=${SESSION}`);
    if (url.startsWith('/wp-admin/admin-ajax.php?action=rest-nonce')) {
      if (!loggedIn || site.noAction) {
        res.writeHead(400, { 'content-type': 'text/html; charset=UTF-8' });
        res.end('0');
        return;
      }
      const n = nonceFor(tick());
      site.served.add(n);
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(n);
      return;
    }
    if (url === '/wp-json/wp/v2/users/me') {
      const sent = String(req.headers['x-wp-nonce'] ?? '');
      const t = tick();
      const ok = loggedIn && !site.refuseAll && (sent === nonceFor(t) || sent === nonceFor(t - 1));
      if (!ok) {
        res.writeHead(403, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(JSON.stringify({ code: 'rest_cookie_invalid_nonce', message: 'Cookie check failed', data: { status: 403 } }));
        return;
      }
      const echo = nonceFor(t);
      site.served.add(echo);
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'x-wp-nonce': echo });
      res.end(JSON.stringify({ id: 1, name: 'admin' }));
      return;
    }
    res.writeHead(404);
    res.end();
  };
}

const AGES = { tickMs: 150, minMs: 400 };

async function run(site: Site) {
  const server: Running = await startHttp(handler(site));
  const engine: Engine = createEngine({ lookup: noDns, summarizeBody });
  try {
    await engine.probe({ source: 'login', url: `${server.origin}/login`, useJar: true });
    const out = await checkRestNonce(engine, { base: `${server.origin}/`, restRoot: `${server.origin}/wp-json/`, ages: AGES });
    const recorded = JSON.stringify({ probes: engine.probes(), notes: engine.notes(), check: out.check });
    return { ...out, probes: engine.probes().filter((p) => p.source === 'rest-nonce'), recorded };
  } finally {
    await engine.close();
    await server.close();
  }
}

function noNonceIn(recorded: string, served: Set<string>): void {
  assert.ok(served.size > 0, 'the server handed out nonces');
  for (const n of served) assert.ok(!recorded.includes(n), 'a nonce value was recorded');
  assert.ok(!recorded.includes(SESSION), 'the session cookie value was recorded');
}

describe('the HTTP login\'s REST nonce check (gather/nonce.ts)', function () {
  this.timeout(10_000);

  it('a day-long nonce: fresh, then once the nonce is past a tick of time(), accepted with the same nonce echoed — three requests, no 2.5 s wait', async () => {
    const site: Site = { lifeMs: 86_400_000, served: new Set() };
    const { check, probes, recorded, sleeps } = await run(site);
    assert.equal(check.skipped, undefined);
    assert.deepEqual(
      check.attempts.map((a) => [a.nonce, a.status, a.echo]),
      [
        ['fresh', 200, 'same'],
        ['aged', 200, 'same'],
      ],
    );
    assert.equal(probes.length, 3, 'nonce, fresh, aged');
    const aged = check.attempts[1];
    assert.ok(aged && aged.nonceAgeMs >= AGES.tickMs, `aged ${aged?.nonceAgeMs} ms`);
    assert.equal(check.wait?.minAgeMs, AGES.tickMs);
    assert.equal(sleeps.length, 1);
    assert.deepEqual(
      probes.map((p) => p.auth),
      ['cookie', 'cookie+nonce', 'cookie+nonce'],
    );
    noNonceIn(recorded, site.served);
  });

  it('nonces that die within the wait: refused as rest_cookie_invalid_nonce once aged, then a new nonce accepted twice', async () => {
    const site: Site = { lifeMs: 200, served: new Set() };
    const { check, recorded } = await run(site);
    const stale = check.attempts.find((a) => a.nonce === 'aged' && a.status === 403);
    assert.ok(stale, JSON.stringify(check.attempts));
    assert.equal(stale.code, 'rest_cookie_invalid_nonce');
    assert.equal(check.attempts.at(-2)?.nonce, 'renewed');
    assert.deepEqual(
      check.attempts.slice(-2).map((a) => [a.nonce, a.status]),
      [
        ['renewed', 200],
        ['renewed-again', 200],
      ],
    );
    assert.ok(check.renewProbe);
    // the excerpt of admin-ajax.php's answer was the nonce itself: scrubbed
    noNonceIn(recorded, site.served);
    assert.match(recorded, /\[redacted\]/);
  });

  it('a fresh nonce refused: nothing to age, no wait', async () => {
    const site: Site = { lifeMs: 86_400_000, refuseAll: true, served: new Set() };
    const { check, probes, sleeps, recorded } = await run(site);
    assert.deepEqual(
      check.attempts.map((a) => [a.nonce, a.status, a.code]),
      [['fresh', 403, 'rest_cookie_invalid_nonce']],
    );
    assert.equal(probes.length, 2);
    assert.equal(check.wait, undefined);
    assert.equal(sleeps.length, 0);
    noNonceIn(recorded, site.served);
  });

  it('admin-ajax.php without a rest-nonce action (WordPress before 5.3): skipped, said why, one request', async () => {
    const site: Site = { lifeMs: 86_400_000, noAction: true, served: new Set() };
    const { check, probes } = await run(site);
    assert.equal(check.skipped, 'no-action');
    assert.deepEqual(check.attempts, []);
    assert.equal(probes.length, 1);
  });

  it('users/me under the REST root the site advertises: /wp-json/, or ?rest_route= without pretty permalinks; another origin\'s is not used', () => {
    const home = (link: string) => ({ finalUrl: 'http://127.0.0.1:8401/', headers: { link: [link] } }) as unknown as Probe;
    assert.equal(usersMeUrl(advertisedRestRoot([home('<http://127.0.0.1:8401/wp-json/>; rel="https://api.w.org/"')], 'http://127.0.0.1:8401/')), 'http://127.0.0.1:8401/wp-json/wp/v2/users/me');
    assert.equal(
      usersMeUrl(advertisedRestRoot([home('<http://127.0.0.1:8401/?rest_route=/>; rel="https://api.w.org/"')], 'http://127.0.0.1:8401/')),
      'http://127.0.0.1:8401/?rest_route=%2Fwp%2Fv2%2Fusers%2Fme',
    );
    assert.equal(advertisedRestRoot([home('<https://cdn.example/wp-json/>; rel="https://api.w.org/"')], 'http://127.0.0.1:8401/blog/'), 'http://127.0.0.1:8401/blog/wp-json/');
    assert.equal(advertisedRestRoot([], 'http://127.0.0.1:8401/'), 'http://127.0.0.1:8401/wp-json/');
  });
});
