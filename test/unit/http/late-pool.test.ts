// Requests bound to connections late (src/http/late-pool.ts), against a
// real HTTPS server on 127.0.0.1 that serves a fixed number of connections
// and holds the handshake of every later one, as Apache prefork does while
// no child is free.
import { strict as assert } from 'node:assert';
import { request } from 'undici';
import { createEngine } from '../../../src/http/engine.js';
import { LatePool } from '../../../src/http/late-pool.js';
import { closedPort, type HeldHttps, noDns, selfSignedCert, startHeldHttps, startHttp } from './servers.js';

describe('late-bound connections', () => {
  let tls: { key: string; cert: string };
  let server: HeldHttps | undefined;
  before(() => {
    tls = selfSignedCert();
  });
  afterEach(async () => {
    server?.release();
    await server?.close();
    server = undefined;
  });
  const answer = (_req: unknown, res: { end(s: string): void }) => setTimeout(() => res.end('ok'), 5);

  it('the engine answers every request on the open connections while new ones wait for the server', async () => {
    server = await startHeldHttps(answer, tls, 2);
    const engine = createEngine({ lookup: noDns, insecure: true, concurrency: 4, adaptive: false });
    try {
      // Two connections open and kept alive.
      await Promise.all([1, 2].map((i) => engine.probe({ source: 'anon', url: `${server?.origin}/warm${i}` })));
      // Eight at once: two more connections are opened and held; nothing waits for them.
      const probes = await Promise.all(Array.from({ length: 8 }, (_, i) => engine.probe({ source: 'anon', url: `${server?.origin}/p${i}` })));
      assert.ok(probes.every((p) => p.status === 200 && p.error === undefined), JSON.stringify(probes.map((p) => p.error)));
      assert.equal(server.held(), 2, 'the new connections were still waiting when every answer had come');
      assert.equal(new Set(server.arrivals()).size, 2, 'all ten requests came on the two open connections');
    } finally {
      await engine.close();
    }
  });

  it('a connection that opened after the requests were served takes the next one', async () => {
    server = await startHeldHttps(answer, tls, 1);
    const pool = new LatePool(server.origin, { connect: { rejectUnauthorized: false }, headersTimeout: 5000, bodyTimeout: 5000, maxConnections: 2 });
    try {
      const get = async (path: string) => (await request(`${server?.origin}${path}`, { dispatcher: pool })).body.text();
      assert.equal(await get('/a'), 'ok');
      assert.deepEqual(await Promise.all([get('/b'), get('/c')]), ['ok', 'ok']);
      assert.equal(server.held(), 1);
      server.release();
      // The held connection finishes its handshake, waits in the pool, and two
      // requests at once now use both connections.
      while (pool.connections < 2) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await Promise.all([get('/d'), get('/e')]), ['ok', 'ok']);
      assert.equal(new Set(server.arrivals().slice(-2)).size, 2);
    } finally {
      await pool.destroy();
    }
  });

  it('a server that closes every connection after its answer (Connection: close, or Apache after a 400) is served on new ones', async () => {
    const plain = await startHttp((_req, res) => {
      res.setHeader('connection', 'close');
      res.statusCode = 400;
      res.end('bad');
    });
    const engine = createEngine({ lookup: noDns, concurrency: 3, adaptive: false });
    try {
      const probes = await Promise.all(Array.from({ length: 12 }, (_, i) => engine.probe({ source: 'anon', url: `${plain.origin}/q${i}` })));
      assert.deepEqual(
        probes.map((p) => p.status),
        probes.map(() => 400),
      );
      assert.ok(probes.every((p) => p.error === undefined));
    } finally {
      await engine.close();
      await plain.close();
    }
  });

  it('when no connection can be made, the waiting request gets the connection error', async () => {
    const engine = createEngine({ lookup: noDns, insecure: true, concurrency: 4 });
    try {
      const port = await closedPort();
      const probes = await Promise.all([1, 2, 3].map(() => engine.probe({ source: 'anon', url: `https://127.0.0.1:${port}/` })));
      for (const p of probes) {
        assert.equal(p.status, 0);
        assert.equal(p.error?.code, 'connection-refused');
      }
    } finally {
      await engine.close();
    }
  });

  it('a request aborted while it waits for a connection fails at once, not when a connection takes it', async () => {
    server = await startHeldHttps(answer, tls, 0);
    const pool = new LatePool(server.origin, { connect: { rejectUnauthorized: false, timeout: 60_000 }, headersTimeout: 5000, bodyTimeout: 5000, maxConnections: 1 });
    try {
      const ac = new AbortController();
      const pending = request(`${server.origin}/`, { dispatcher: pool, signal: ac.signal }).then(
        () => 'answered',
        (e: Error) => e.name,
      );
      while (server.held() < 1) await new Promise((r) => setImmediate(r));
      ac.abort();
      assert.equal(await pending, 'AbortError');
      assert.equal(server.held(), 1, 'the connection is still waiting for the server');
    } finally {
      await pool.destroy();
    }
  });

  it('closing the pool fails a request still waiting for a connection', async () => {
    server = await startHeldHttps(answer, tls, 0);
    const pool = new LatePool(server.origin, { connect: { rejectUnauthorized: false }, headersTimeout: 5000, bodyTimeout: 5000, maxConnections: 1 });
    const pending = request(`${server.origin}/`, { dispatcher: pool }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    while (server.held() < 1) await new Promise((r) => setImmediate(r));
    await pool.destroy();
    assert.equal(await pending, 'ClientDestroyedError');
  });
});
