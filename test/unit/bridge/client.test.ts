import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { BridgeClient } from '../../../src/bridge/client.js';
import { BridgeBlocked, BridgeNotInstalled, BridgeUnreachable, BridgeWrongKey } from '../../../src/bridge/errors.js';
import { signature, stringToSign } from '../../../src/bridge/sign.js';

const KEY = `${'f'.repeat(20)}SECRETKEY${'e'.repeat(35)}`;
const FORBIDDEN = { code: 'rest_forbidden', message: 'Sorry, you are not allowed to do that.', data: { status: 401 } };

type Mode = 'bridge' | 'no-route' | 'apache-basic' | 'plugin-block' | 'slow' | 'html' | 'skewed';

/** A fake site: verifies signatures like the plugin does (minus the replay cache). */
function fakeSite(getMode: () => Mode, seen: IncomingMessage[], serverOffsetS = 0): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const mode = getMode();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.searchParams.get('rest_route') ?? url.pathname.replace(/^\/wp-json/, '');
    const serverNow = Math.floor(Date.now() / 1000) + serverOffsetS;
    const date = new Date(serverNow * 1000).toUTCString();
    if (mode === 'slow') return void setTimeout(() => json(200, {}), 500);
    if (mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><title>Captive</title></html>');
    }
    if (mode === 'apache-basic') {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Staging"', server: 'Apache', 'content-type': 'text/html' });
      return void res.end('<h1>Unauthorized</h1>');
    }
    if (mode === 'plugin-block') return json(401, { code: 'rest_cannot_access', message: 'Only authenticated users', data: { status: 401 } });
    if (mode === 'no-route' || !route.startsWith('/wp401/v1/')) return json(404, { code: 'rest_no_route', message: 'No route', data: { status: 404 } });
    const h = (name: string) => String(req.headers[name] ?? '');
    const ts = Number(h('x-wp401-timestamp'));
    const expected = signature(
      KEY,
      stringToSign({ method: req.method ?? '', path: url.pathname, query: url.search.slice(1), timestamp: h('x-wp401-timestamp'), nonce: h('x-wp401-nonce'), bodySha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
    );
    if (h('x-wp401-signature') !== expected || Math.abs(serverNow - ts) > 300) return json(401, FORBIDDEN, { date });
    if (route === '/wp401/v1/time') return json(200, { unix: serverNow, unixMs: serverNow * 1000 + 500, iso: date }, { date });
    if (route === '/wp401/v1/ledger') {
      const ids = (url.searchParams.get('probe') ?? '').split(',');
      return json(200, { entries: Object.fromEntries(ids.map((id) => [id, id === 'p1' ? { probe: 'p1', reachedPhp: true, authorizationHeader: false, cookieNames: [], userId: 0 } : null])) });
    }
    return json(200, { bridge: { version: '0.1.0', protocol: 'v1' } });
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
  const skewed = fakeSite(() => 'bridge', [], 3600);
  let base = '';
  let skewedBase = '';

  before(async () => {
    base = await listen(server);
    skewedBase = await listen(skewed);
  });
  after(async () => {
    server.closeAllConnections();
    skewed.closeAllConnections();
    await new Promise((r) => server.close(r));
    await new Promise((r) => skewed.close(r));
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

  it('reads env through ?rest_route= by default', async () => {
    mode = 'bridge';
    const env = await client().env();
    assert.equal(env.bridge.protocol, 'v1');
    assert.match(seen.at(-1)?.url ?? '', /^\/\?rest_route=%2Fwp401%2Fv1%2Fenv$/);
  });

  it('works with a pretty REST root', async () => {
    mode = 'bridge';
    const env = await client({ restRoot: `${base}wp-json/` }).env();
    assert.equal(env.bridge.version, '0.1.0');
    assert.equal(seen.at(-1)?.url, '/wp-json/wp401/v1/env');
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

  it('corrects a clock outside the window from the Date header', async () => {
    const c = new BridgeClient({ siteUrl: skewedBase, key: KEY, timeoutMs: 2000 });
    const t = await c.time();
    assert.ok(Math.abs(t.skewMs - 3_600_000) < 5000, `skew ${t.skewMs}`);
    assert.ok(Math.abs(c.clockOffsetSeconds - 3600) <= 2);
  });

  it('wrong key → BridgeWrongKey', async () => {
    mode = 'bridge';
    const c = new BridgeClient({ siteUrl: base, key: `${'x'.repeat(20)}SECRETKEY${'y'.repeat(20)}` });
    await rejectsWithout(c.env(), BridgeWrongKey);
  });

  it('not installed → BridgeNotInstalled', async () => {
    mode = 'no-route';
    await rejectsWithout(client().env(), BridgeNotInstalled);
  });

  it('server basic-auth challenge → BridgeBlocked with realm, never the password', async () => {
    mode = 'apache-basic';
    const error = await rejectsWithout(client({ basicAuth: { user: 'stage', password: 'hunter2' } }).env(), BridgeBlocked);
    assert.equal(error.realm, 'Staging');
    assert.equal(seen.at(-1)?.headers.authorization, `Basic ${Buffer.from('stage:hunter2').toString('base64')}`);
  });

  it('another plugin refusing → BridgeBlocked with its code', async () => {
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
    assert.match(h['X-WP401-Signature'] ?? '', /^v1=[0-9a-f]{64}$/);
  });
});
