import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { BridgeClient } from '../../../src/bridge/client.js';
import { BridgeBlocked, BridgeNotInstalled, BridgeRateLimited, BridgeUnreachable, BridgeWrongKey } from '../../../src/bridge/errors.js';
import { answerSignature, sha256Hex, signature, stringToSign } from '../../../src/bridge/sign.js';

const KEY = `${'f'.repeat(20)}SECRETKEY${'e'.repeat(35)}`;
const NO_ROUTE = { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } };

type Mode = 'bridge' | 'no-bridge' | 'rest-only' | 'early-only' | 'apache-basic' | 'plugin-block' | 'slow' | 'html' | 'impostor' | 'rate-limited';

/**
 * A fake site that behaves like the plugin: verifies v2 signatures (host
 * included), answers at the early door (?wp401_bridge=) and at REST, signs
 * its answers, answers /time for an authentic but expired request, and
 * answers everything else as if no bridge were installed.
 */
function fakeSite(getMode: () => Mode, seen: IncomingMessage[], serverOffsetS = 0): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const mode = getMode();
    const h = (name: string) => String(req.headers[name] ?? '');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      const answer = headers['x-wp401-answer'] === 'sign' ? { 'x-wp401-answer': answerSignature(KEY, h('x-wp401-nonce'), status, text) } : {};
      const { 'x-wp401-answer': _drop, ...rest } = headers;
      res.writeHead(status, { 'content-type': 'application/json', ...rest, ...answer });
      res.end(text);
    };
    const html = () => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><title>Home</title></html>');
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const early = url.searchParams.get('wp401_bridge');
    const route = early !== null ? `/wp401/v1/${early}` : (url.searchParams.get('rest_route') ?? url.pathname.replace(/^\/wp-json/, ''));
    const serverNow = Math.floor(Date.now() / 1000) + serverOffsetS;
    if (mode === 'slow') return void setTimeout(() => send(200, {}), 500);
    if (mode === 'html') return html();
    if (mode === 'apache-basic') {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Staging"', server: 'Apache', 'content-type': 'text/html' });
      return void res.end('<h1>Unauthorized</h1>');
    }
    if (early === null && (mode === 'plugin-block' || mode === 'early-only')) return send(403, { code: 'rest_cannot_access', message: 'REST is off', data: { status: 403 } });
    if (mode === 'impostor') return send(200, { unix: 1, unixMs: 1000, bridge: { version: 'x' } });
    const notHere = () => (early !== null ? html() : send(404, NO_ROUTE));
    if (mode === 'no-bridge' || mode === 'plugin-block' || (mode === 'rest-only' && early !== null) || !route.startsWith('/wp401/v1/')) return notHere();
    const ts = Number(h('x-wp401-timestamp'));
    const expected = signature(
      KEY,
      stringToSign({ method: req.method ?? '', host: h('host'), path: url.pathname, query: url.search.slice(1), timestamp: h('x-wp401-timestamp'), nonce: h('x-wp401-nonce'), bodySha256: sha256Hex('') }),
    );
    if (h('x-wp401-signature') !== expected) return notHere();
    const inWindow = Math.abs(serverNow - ts) <= 300;
    if (mode === 'rate-limited') return send(429, { code: 'wp401_rate_limited', data: { status: 429 } }, { 'x-wp401-answer': 'sign', 'retry-after': '60' });
    if (route === '/wp401/v1/time') return send(200, { unix: serverNow, unixMs: serverNow * 1000 + 500, iso: '' }, { 'x-wp401-answer': 'sign' });
    if (!inWindow) return send(401, { code: 'wp401_signature_refused', data: { status: 401, reason: 'expired' } }, { 'x-wp401-answer': 'sign' });
    if (route === '/wp401/v1/ledger') {
      const ids = (url.searchParams.get('probe') ?? '').split(',');
      return send(200, { entries: Object.fromEntries(ids.map((id) => [id, id === 'p1' ? { probe: 'p1', reachedPhp: true, authorizationHeader: false, cookieNames: [], userId: 0 } : null])) }, { 'x-wp401-answer': 'sign' });
    }
    return send(200, { bridge: { version: '0.2.0', protocol: 'v2', door: early !== null ? 'early' : 'rest', hooksComplete: early === null } }, { 'x-wp401-answer': 'sign' });
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('BridgeClient', () => {
  let mode: Mode = 'bridge';
  const seen: IncomingMessage[] = [];
  const server = fakeSite(() => mode, seen);
  const skewed = fakeSite(() => 'bridge', [], 400);
  const far = fakeSite(() => 'bridge', [], 30 * 86400);
  let base = '';
  let skewedBase = '';
  let farBase = '';

  before(async () => {
    base = await listen(server);
    skewedBase = await listen(skewed);
    farBase = await listen(far);
  });
  after(async () => {
    for (const s of [server, skewed, far]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  const client = (over: Partial<ConstructorParameters<typeof BridgeClient>[0]> = {}) => new BridgeClient({ siteUrl: base, key: KEY, timeoutMs: 2000, ...over });

  /** Assert a thrown value never reveals the key. */
  async function rejectsWithout<T extends Error>(p: Promise<unknown>, type: new (...a: never[]) => T): Promise<T> {
    try {
      await p;
    } catch (error) {
      assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
      const dump = `${inspect(error, { depth: 5, showHidden: true })} ${JSON.stringify(error)} ${(error as Error).stack}`;
      assert.ok(!dump.includes('SECRETKEY'), 'key leaked into the error');
      assert.ok(!dump.includes('hunter2'), 'basic-auth password leaked into the error');
      return error as T;
    }
    assert.fail('expected a rejection');
  }

  it('tries the early door first and records it; the early report is completed from REST when REST answers', async () => {
    mode = 'bridge';
    const c = client();
    const env = await c.env();
    assert.equal(env.bridge.protocol, 'v2');
    assert.equal((env.bridge as { door?: string }).door, 'rest', 'the complete (REST) report is used when REST answers');
    assert.equal(c.doors.env, 'rest');
    const urls = seen.slice(-3).map((r) => r.url);
    assert.match(urls[0] ?? '', /^\/\?wp401_bridge=time&wp401_n=[A-Za-z0-9_-]{12}$/, 'the clock is checked first, at the early door');
    assert.match(urls[1] ?? '', /^\/\?wp401_bridge=env&wp401_n=[A-Za-z0-9_-]{12}$/);
    assert.match(urls[2] ?? '', /^\/\?rest_route=%2Fwp401%2Fv1%2Fenv$/);
    assert.equal(c.doors.time, 'early');
  });

  it('a site whose REST API is walled off is read through the early door alone', async () => {
    mode = 'early-only';
    const c = client();
    const env = await c.env();
    assert.equal((env.bridge as { door?: string }).door, 'early');
    assert.equal(c.doors.env, 'early');
    const entries = await c.ledger(['p1']);
    assert.equal(entries.p1?.reachedPhp, true);
    assert.equal(c.doors.ledger, 'early');
  });

  it('without the early door (no must-use loader), REST answers and is recorded', async () => {
    mode = 'rest-only';
    const c = client({ restRoot: `${base}wp-json/` });
    const env = await c.env();
    assert.equal(env.bridge.version, '0.2.0');
    assert.equal(seen.at(-1)?.url, '/wp-json/wp401/v1/env');
    assert.equal(c.doors.env, 'rest');
  });

  it('reads ledger entries, null for unknown probes', async () => {
    mode = 'bridge';
    const entries = await client().ledger(['p1', 'p2', 'p1']);
    assert.equal(entries.p1?.reachedPhp, true);
    assert.equal(entries.p2, null);
    await assert.rejects(client().ledger(['bad id']), RangeError);
  });

  it('measures clock skew', async () => {
    mode = 'bridge';
    const t = await client().time();
    assert.ok(Math.abs(t.skewMs) < 2000, `skew ${t.skewMs}`);
    assert.ok(t.rttMs >= 0);
  });

  it("corrects a clock outside the window from the bridge's signed /time", async () => {
    const c = new BridgeClient({ siteUrl: skewedBase, key: KEY, timeoutMs: 2000 });
    const env = await c.env();
    assert.equal(env.bridge.protocol, 'v2');
    assert.ok(Math.abs(c.clockOffsetSeconds - 400) <= 2, `offset ${c.clockOffsetSeconds}`);
    assert.deepEqual(c.warnings, []);
  });

  it('caps the correction at ±10 minutes and warns; a 30-day skew is never adopted', async () => {
    const c = new BridgeClient({ siteUrl: farBase, key: KEY, timeoutMs: 2000 });
    const error = await rejectsWithout(c.env(), BridgeWrongKey);
    assert.equal(error.reason, 'expired');
    assert.equal(c.clockOffsetSeconds, 600);
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0] ?? '', /at most 600 s/);
  });

  it('an unsigned 401 with a far-off Date header changes nothing', async () => {
    mode = 'apache-basic';
    const c = client();
    await rejectsWithout(c.env(), BridgeBlocked);
    assert.equal(c.clockOffsetSeconds, 0);
  });

  it('wrong key looks like no bridge → BridgeNotInstalled that says a wrong key looks the same', async () => {
    mode = 'bridge';
    const c = new BridgeClient({ siteUrl: base, key: `${'x'.repeat(20)}SECRETKEY${'y'.repeat(20)}` });
    const error = await rejectsWithout(c.env(), BridgeNotInstalled);
    assert.match(error.message, /wrong key looks exactly like no bridge/);
  });

  it('not installed → BridgeNotInstalled', async () => {
    mode = 'no-bridge';
    await rejectsWithout(client().env(), BridgeNotInstalled);
  });

  it('an answer without the bridge\'s signature is never accepted (a cache or another application)', async () => {
    mode = 'impostor';
    const error = await rejectsWithout(client().env(), BridgeUnreachable);
    assert.equal(error.code, 'unsigned-answer');
  });

  it('429 from the bridge → BridgeRateLimited', async () => {
    mode = 'rate-limited';
    await rejectsWithout(client().ledger(['p1']), BridgeRateLimited);
  });

  it('server basic-auth challenge → BridgeBlocked with realm, never the password', async () => {
    mode = 'apache-basic';
    const error = await rejectsWithout(client({ basicAuth: { user: 'stage', password: 'hunter2' } }).env(), BridgeBlocked);
    assert.equal(error.realm, 'Staging');
    assert.equal(seen.at(-1)?.headers.authorization, `Basic ${Buffer.from('stage:hunter2').toString('base64')}`);
  });

  it('another plugin refusing REST, and no early door → BridgeBlocked with its code', async () => {
    mode = 'plugin-block';
    const error = await rejectsWithout(client().env(), BridgeBlocked);
    assert.equal(error.restCode, 'rest_cannot_access');
  });

  it('non-JSON 200 → BridgeUnreachable', async () => {
    mode = 'html';
    await rejectsWithout(client().env(), BridgeUnreachable);
  });

  it('timeout → BridgeUnreachable(timeout)', async () => {
    mode = 'slow';
    const error = await rejectsWithout(client({ timeoutMs: 100 }).env(), BridgeUnreachable);
    assert.equal(error.code, 'timeout');
  });

  it('closed port → BridgeUnreachable', async () => {
    const probe = createServer();
    const url = await listen(probe);
    await new Promise((r) => probe.close(r));
    const error = await rejectsWithout(new BridgeClient({ siteUrl: url, key: KEY, timeoutMs: 2000 }).env(), BridgeUnreachable);
    assert.equal(error.status, 0);
  });

  it('keeps the key out of inspection and JSON', () => {
    const c = client({ basicAuth: { user: 'u', password: 'hunter2' } });
    const dump = `${inspect(c, { showHidden: true, depth: 5 })} ${JSON.stringify(c)}`;
    assert.ok(!dump.includes('SECRETKEY'));
    assert.ok(!dump.includes('hunter2'));
  });

  it('refuses short keys and credentials in the URL', () => {
    assert.throws(() => new BridgeClient({ siteUrl: base, key: 'short' }), RangeError);
    assert.throws(() => new BridgeClient({ siteUrl: 'http://u:p@127.0.0.1/', key: KEY }), RangeError);
  });

  it('signHeaders covers probe and troubleshooting lists', () => {
    const h = client().signHeaders('POST', `${base}wp-login.php`, 'log=a', { probe: 'login-1', troubleshoot: ['a/a.php'] });
    assert.equal(h['X-WP401-Probe'], 'login-1');
    assert.equal(h['X-WP401-Troubleshoot'], 'a/a.php');
    assert.match(h['X-WP401-Signature'] ?? '', /^v2=[0-9a-f]{64}$/);
  });

  it('signs nothing for another host: the key never works for anyone but the target', () => {
    assert.deepEqual(client().signHeaders('GET', 'http://evil.example/', '', { troubleshoot: ['a/a.php'] }), {});
    assert.deepEqual(client().signHeaders('GET', 'http://localhost/', ''), {});
  });
});
