import { strict as assert } from 'node:assert';
import { createEngine } from '../../../src/http/engine.js';
import type { Engine, EngineOptions } from '../../../src/http/types.js';
import { noDns, type Running, selfSignedCert, startHttps } from './servers.js';

describe('http engine over TLS', () => {
  let server: Running;
  let tls: { key: string; cert: string };
  const engines: Engine[] = [];
  const engine = (opts: EngineOptions = {}) => {
    const e = createEngine({ lookup: noDns, ...opts });
    engines.push(e);
    return e;
  };

  before(async function () {
    this.timeout(10_000);
    tls = selfSignedCert();
    server = await startHttps((req, res) => {
      if (req.url === '/set') res.setHeader('set-cookie', 'wordpress_sec_x=1; Secure; HttpOnly; Path=/');
      res.end('secure');
    }, tls);
  });
  after(() => server.close());
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  it('records a self-signed certificate as tls-error with the reason', async () => {
    const p = await engine().probe({ source: 'anon', url: `${server.origin}/` });
    assert.equal(p.error?.code, 'tls-error');
    assert.match(p.error?.message ?? '', /self[- ]signed/i);
    assert.equal(p.status, 0);
  });

  it('accepts it with insecure: true', async () => {
    const p = await engine({ insecure: true }).probe({ source: 'anon', url: `${server.origin}/` });
    assert.equal(p.error, undefined);
    assert.equal(p.status, 200);
  });

  it('records a certificate for another host name, even when its issuer is trusted', async () => {
    const e = engine({ ca: tls.cert, resolve: { 'localhost': '127.0.0.1', 'wrong-host.test': '127.0.0.1' } });
    const good = await e.probe({ source: 'anon', url: `https://localhost:${server.port}/` });
    assert.equal(good.status, 200);
    const bad = await e.probe({ source: 'anon', url: `https://wrong-host.test:${server.port}/` });
    assert.equal(bad.error?.code, 'tls-error');
    assert.match(bad.error?.message ?? '', /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
  });

  it('keeps Secure cookies on https and does not send them over http', async () => {
    const e = engine({ insecure: true, resolve: { 'wp.test': '127.0.0.1' } });
    const p = await e.probe({ source: 'anon', url: `https://wp.test:${server.port}/set` });
    assert.equal(p.status, 200);
    assert.deepEqual(e.notes(p.id), []);
    const again = await e.probe({ source: 'anon', url: `https://wp.test:${server.port}/` });
    assert.deepEqual(again.requestHeaders.cookie, ['wordpress_sec_x=[redacted]']);
    assert.equal(await e.jar.getCookieString(`http://wp.test:${server.port}/`), '');
  });
});
