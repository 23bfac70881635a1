import { strict as assert } from 'node:assert';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createEngine } from '../../../src/http/engine.js';
import type { Engine, EngineOptions } from '../../../src/http/types.js';
import { closedPort, noDns, type Running, startHttp, startRaw } from './servers.js';

const MiB = 1024 * 1024;

describe('http engine', () => {
  const servers: Running[] = [];
  const engines: Engine[] = [];
  const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const s = await startHttp(handler);
    servers.push(s);
    return s;
  };
  const engine = (opts: EngineOptions = {}) => {
    const e = createEngine({ lookup: noDns, ...opts });
    engines.push(e);
    return e;
  };
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe('a plain request', () => {
    it('records status, headers, body summary, timing and a sequential id', async () => {
      const s = await serve((_req, res) => {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end('<title>Hi</title>');
      });
      const e = engine({ summarizeBody: (text) => ({ title: /<title>(.*)<\/title>/.exec(text)?.[1] ?? '' }) });
      const p = await e.probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.id, 'p001');
      assert.equal(p.status, 200);
      assert.equal(p.error, undefined);
      assert.equal(p.chain.length, 1);
      assert.equal(p.finalUrl, `${s.origin}/`);
      assert.deepEqual(p.body, { bytes: 17, truncated: false, contentType: 'text/html; charset=utf-8', title: 'Hi' });
      assert.match(p.requestHeaders['user-agent']?.[0] ?? '', /^wp401\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/wp401\)$/);
      assert.equal(p.auth, 'none');
      assert.ok(p.durationMs >= 0 && typeof p.startedAt === 'string');
      const q = await e.probe({ source: 'anon', method: 'HEAD', url: `${s.origin}/x` });
      assert.equal(q.id, 'p002');
      assert.equal(q.body?.bytes, 0);
      assert.deepEqual(
        e.probes().map((x) => x.id),
        ['p001', 'p002'],
      );
    });

    it('reads an invalid UTF-8 body without failing', async () => {
      const s = await serve((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(Buffer.from([0x3c, 0x62, 0x3e, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x3c]));
      });
      let seen = '';
      const e = engine({
        summarizeBody: (text) => {
          seen = text;
          return { excerpt: text };
        },
      });
      const p = await e.probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.status, 200);
      assert.equal(p.body?.bytes, 11);
      assert.ok(seen.includes('\ufffd'));
      assert.doesNotThrow(() => JSON.stringify(p));
    });

    it('survives a summarizer that throws', async () => {
      const s = await serve((_req, res) => res.end('x'));
      const e = engine({
        summarizeBody: () => {
          throw new Error('parser bug');
        },
      });
      const p = await e.probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.status, 200);
      assert.equal(e.notes(p.id)[0]?.kind, 'hook-error');
    });

    it('never throws on a bad URL or protocol', async () => {
      const e = engine();
      assert.equal((await e.probe({ source: 'x', url: 'not a url' })).error?.code, 'invalid-url');
      assert.equal((await e.probe({ source: 'x', url: 'ftp://127.0.0.1/' })).error?.code, 'unsupported-protocol');
    });
  });

  describe('redirects', () => {
    it('follows a chain with relative Locations and records every hop', async () => {
      const s = await serve((req, res) => {
        const to: Record<string, string> = { '/a': '/b', '/b': 'c?x=1', '/c?x=1': '../d' };
        const next = to[req.url ?? ''];
        if (next) {
          res.writeHead(302, { location: next });
          res.end('moved');
        } else res.end(`at ${req.url}`);
      });
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/a` });
      assert.equal(p.status, 200);
      assert.deepEqual(
        p.chain.map((h) => [h.url, h.status, h.location]),
        [
          [`${s.origin}/a`, 302, '/b'],
          [`${s.origin}/b`, 302, 'c?x=1'],
          [`${s.origin}/c?x=1`, 302, '../d'],
          [`${s.origin}/d`, 200, undefined],
        ],
      );
      assert.equal(p.finalUrl, `${s.origin}/d`);
      assert.ok(p.chain.every((h) => h.timingMs >= 0));
    });

    it('does not follow when asked not to', async () => {
      const s = await serve((_req, res) => {
        res.writeHead(301, { location: '/elsewhere' });
        res.end();
      });
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/`, followRedirects: false });
      assert.equal(p.status, 301);
      assert.equal(p.chain.length, 1);
      assert.equal(p.error, undefined);
    });

    it('reports a redirect loop with the last status', async () => {
      let hits = 0;
      const s = await serve((req, res) => {
        hits++;
        res.writeHead(302, { location: req.url === '/one' ? '/two' : '/one' });
        res.end();
      });
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/one` });
      assert.equal(p.error?.code, 'redirect-loop');
      assert.equal(p.status, 302);
      assert.equal(hits, 2);
    });

    it('stops after maxRedirects', async () => {
      const s = await serve((req, res) => {
        const n = Number((req.url ?? '/0').slice(1));
        res.writeHead(307, { location: `/${n + 1}` });
        res.end();
      });
      const p = await engine({ maxRedirects: 3 }).probe({ source: 'anon', url: `${s.origin}/0` });
      assert.equal(p.error?.code, 'too-many-redirects');
      assert.equal(p.chain.length, 4);
      assert.equal(p.status, 307);
    });

    it('turns a POST into a GET on 302 and never records the form', async () => {
      const methods: string[] = [];
      const s = await serve((req, res) => {
        methods.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? ''}`);
        if (req.url === '/wp-login.php') {
          res.writeHead(302, { location: '/wp-admin/' });
          res.end();
        } else res.end('admin');
      });
      const e = engine();
      const p = await e.probe({ source: 'login', method: 'POST', url: `${s.origin}/wp-login.php`, body: { form: { log: 'admin', pwd: 'hunter2-secret' } } });
      assert.deepEqual(methods, ['POST /wp-login.php application/x-www-form-urlencoded', 'GET /wp-admin/ ']);
      assert.equal(p.status, 200);
      assert.ok(!JSON.stringify(e.probes()).includes('hunter2-secret'));
    });

    it('strips credentials and the signature on a cross-origin hop, and says so', async () => {
      const seenB: IncomingMessage['headers'][] = [];
      const b = await serve((req, res) => {
        seenB.push(req.headers);
        res.end('other origin');
      });
      const seenA: IncomingMessage['headers'][] = [];
      const a = await serve((req, res) => {
        seenA.push(req.headers);
        if (req.url === '/start') {
          res.writeHead(302, { location: '/hop' });
        } else {
          res.writeHead(302, { location: `${b.origin}/landing` });
        }
        res.end();
      });
      const signed: string[] = [];
      const e = engine({
        hooks: {
          signHeaders: (method, url) => {
            signed.push(`${method} ${url}`);
            return { 'X-WP401-Signature': 'sig-value-1234', 'X-WP401-Nonce': 'nonce-value-5678' };
          },
        },
      });
      const p = await e.probe({
        source: 'app-password',
        auth: 'app-password',
        url: `${a.origin}/start`,
        headers: { 'X-WP-Nonce': 'wpnonce-abcdef', 'X-WP401-Troubleshoot': 'hello-dolly/hello.php' },
        credentials: { basic: { user: 'admin', password: 'app pass word 1234' } },
      });
      assert.equal(p.status, 200);
      assert.equal(seenA.length, 2);
      for (const h of seenA) {
        assert.match(String(h.authorization), /^Basic /);
        assert.equal(h['x-wp-nonce'], 'wpnonce-abcdef');
        assert.equal(h['x-wp401-signature'], 'sig-value-1234');
      }
      assert.equal(seenB.length, 1);
      const hb = seenB[0] ?? {};
      assert.equal(hb.authorization, undefined);
      assert.equal(hb['x-wp-nonce'], undefined);
      assert.equal(hb['x-wp401-signature'], undefined);
      assert.equal(hb['x-wp401-nonce'], undefined);
      // A troubleshooting request is for the target only (issue 15): the header stays behind too.
      assert.equal(hb['x-wp401-troubleshoot'], undefined);
      assert.deepEqual(signed, [`GET ${a.origin}/start`, `GET ${a.origin}/hop`]);
      const stripped = e.notes(p.id).find((n) => n.kind === 'credentials-stripped');
      assert.ok(stripped && stripped.kind === 'credentials-stripped');
      assert.equal(stripped.hop, 2);
      assert.deepEqual(stripped.headers.sort(), ['authorization', 'bridge signature', 'x-wp-nonce', 'x-wp401-troubleshoot'].sort());
    });

    it('a troubleshooting replay sends no cookie after a cross-origin hop, not even same-host jar cookies; an ordinary probe still does', async () => {
      const seenB: (string | undefined)[] = [];
      const b = await serve((req, res) => {
        seenB.push(req.headers.cookie);
        res.end('other port, same host');
      });
      const a = await serve((req, res) => {
        if (req.url === '/login') {
          res.writeHead(200, { 'set-cookie': 'wordpress_logged_in_x=session-value-123; Path=/' });
        } else {
          res.writeHead(302, { location: `${b.origin}/landing` });
        }
        res.end();
      });
      const e = engine();
      await e.probe({ source: 'login', url: `${a.origin}/login` });
      await e.probe({ source: 'anon', url: `${a.origin}/go` });
      await e.probe({ source: 'isolate', url: `${a.origin}/go`, headers: { 'X-WP401-Troubleshoot': 'hello-dolly/hello.php' } });
      assert.equal(seenB.length, 2);
      assert.match(seenB[0] ?? '', /wordpress_logged_in_x=/, 'an ordinary probe keeps the jar (cookies are not port-scoped)');
      assert.equal(seenB[1], undefined, 'the troubleshooting replay sent a cookie to another origin');
    });

    it('refuses to resend a form body to another origin on 307', async () => {
      let bHits = 0;
      const b = await serve((_req, res) => {
        bHits++;
        res.end();
      });
      const a = await serve((_req, res) => {
        res.writeHead(307, { location: `${b.origin}/steal` });
        res.end();
      });
      const p = await engine().probe({ source: 'login', method: 'POST', url: `${a.origin}/wp-login.php`, body: { form: { pwd: 'x' } } });
      assert.equal(p.error?.code, 'redirect-blocked');
      assert.equal(bHits, 0);
    });
  });

  describe('cookies', () => {
    it('stores Set-Cookie on a redirect hop and sends it back', async () => {
      const s = await serve((req, res) => {
        if (req.url === '/login') {
          res.writeHead(302, { location: '/check', 'set-cookie': ['session=abc123; Path=/; HttpOnly'] });
          res.end();
        } else res.end(String(req.headers.cookie ?? 'none'));
      });
      const e = engine();
      const p = await e.probe({ source: 'anon', url: `${s.origin}/login` });
      assert.equal(p.status, 200);
      assert.equal(p.chain[0]?.headers['set-cookie']?.[0], 'session=[redacted]; Path=/; HttpOnly');
      assert.equal(await e.jar.getCookieString(`${s.origin}/`), 'session=abc123');
      assert.equal(p.requestHeaders.cookie, undefined);
      const again = await e.probe({ source: 'anon', url: `${s.origin}/check` });
      assert.deepEqual(again.requestHeaders.cookie, ['session=[redacted]']);
      const noJar = await e.probe({ source: 'anon', url: `${s.origin}/check`, useJar: false });
      assert.equal(noJar.requestHeaders.cookie, undefined);
    });

    it('records a cookie for another domain and a Secure cookie over http as rejected', async () => {
      const s = await serve((_req, res) => {
        res.setHeader('set-cookie', ['foreign=1; Domain=other.example; Path=/', 'secure_only=2; Secure; Path=/', 'fine=3; Path=/']);
        res.end();
      });
      const e = engine({ resolve: { 'wp.test': '127.0.0.1' } });
      const p = await e.probe({ source: 'anon', url: `http://wp.test:${s.port}/` });
      assert.equal(p.status, 200);
      const rejected = e.notes(p.id).filter((n) => n.kind === 'cookie-rejected');
      assert.deepEqual(
        rejected.map((n) => (n.kind === 'cookie-rejected' ? [n.cookie, n.reason] : [])),
        [
          ['foreign', "Cookie not in this host's domain. Cookie:other.example Request:wp.test"],
          ['secure_only', 'Cookie is Secure but this is not a secure connection'],
        ],
      );
      assert.equal(await e.jar.getCookieString(`http://wp.test:${s.port}/`), 'fine=3');
    });

    it('imports cookies from a browser session and sends them', async () => {
      let cookie = '';
      const s = await serve((req, res) => {
        cookie = String(req.headers.cookie ?? '');
        res.end();
      });
      const e = engine({ resolve: { 'wp.test': '127.0.0.1' } });
      const result = await e.importCookies(
        [
          { name: 'wordpress_logged_in_x', value: 'admin|999|tokentokentoken|hmac', domain: 'wp.test', path: '/', secure: false, httpOnly: true, expires: -1, sameSite: 'Lax' },
          { name: 'elsewhere', value: 'v', domain: '.other.example', path: '/', secure: false, httpOnly: false },
        ],
        `http://wp.test:${s.port}/`,
      );
      assert.equal(result.imported, 1);
      assert.equal(result.rejected[0]?.name, 'elsewhere');
      const p = await e.probe({ source: 'cookie', auth: 'cookie', url: `http://wp.test:${s.port}/wp-admin/` });
      assert.equal(cookie, 'wordpress_logged_in_x=admin|999|tokentokentoken|hmac');
      assert.deepEqual(p.requestHeaders.cookie, ['wordpress_logged_in_x=[redacted]']);
    });
  });

  describe('retries', () => {
    it('waits for Retry-After: 1 and retries exactly once', async function () {
      this.timeout(5000);
      const at: number[] = [];
      const s = await serve((_req, res) => {
        at.push(Date.now());
        if (at.length === 1) {
          res.writeHead(429, { 'retry-after': '1' });
          res.end();
        } else res.end('ok');
      });
      const e = engine();
      const p = await e.probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.status, 200);
      assert.equal(p.id, 'p002');
      assert.equal(at.length, 2);
      assert.ok((at[1] ?? 0) - (at[0] ?? 0) >= 950, 'waited about a second');
      assert.deepEqual(
        e.notes().map((n) => n.kind),
        ['retry-after', 'retry'],
      );
    });

    it('retries a 429 only once even if the retry is a 429 again', async function () {
      this.timeout(5000);
      let hits = 0;
      const s = await serve((_req, res) => {
        hits++;
        res.writeHead(429, { 'retry-after': '0' });
        res.end();
      });
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.status, 429);
      assert.equal(hits, 2);
    });

    it('never resends a POST on Retry-After (a login must not be attempted twice)', async () => {
      let posts = 0;
      const s = await serve((req, res) => {
        if (req.method === 'POST') posts++;
        req.resume();
        res.writeHead(429, { 'retry-after': '0' });
        res.end();
      });
      const e = engine();
      const p = await e.probe({ source: 'login', method: 'POST', url: `${s.origin}/wp-login.php`, body: { form: { log: 'admin', pwd: 'x' } } });
      assert.equal(p.status, 429);
      assert.equal(posts, 1);
      assert.deepEqual(e.notes(p.id), [{ probe: p.id, kind: 'retry-after', retryAfter: '0', waitMs: 0, honoured: false }]);
    });

    it('does not wait for Retry-After: 3600', async () => {
      let hits = 0;
      const s = await serve((_req, res) => {
        hits++;
        res.writeHead(503, { 'retry-after': '3600' });
        res.end();
      });
      const e = engine();
      const t0 = Date.now();
      const p = await e.probe({ source: 'anon', url: `${s.origin}/` });
      assert.ok(Date.now() - t0 < 1000);
      assert.equal(p.status, 503);
      assert.equal(hits, 1);
      assert.deepEqual(e.notes(p.id), [{ probe: p.id, kind: 'retry-after', retryAfter: '3600', waitMs: 3_600_000, honoured: false }]);
    });

    it('calls onUnauthorized once and retries once, never loops', async () => {
      const auth: string[] = [];
      const s = await serve((req, res) => {
        auth.push(String(req.headers['x-wp-nonce'] ?? ''));
        res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' });
        res.end();
      });
      let calls = 0;
      const e = engine();
      const p = await e.probe({
        source: 'rest',
        url: `${s.origin}/wp-json/wp/v2/users/me`,
        headers: { 'x-wp-nonce': 'old-nonce-1111' },
        onUnauthorized: async () => {
          calls++;
          return { 'X-WP-Nonce': 'new-nonce-2222' };
        },
      });
      assert.equal(calls, 1);
      assert.deepEqual(auth, ['old-nonce-1111', 'new-nonce-2222']);
      assert.equal(p.status, 401);
      assert.equal(e.probes().length, 2);
      const text = JSON.stringify([e.probes(), e.notes()]);
      assert.ok(!text.includes('old-nonce-1111') && !text.includes('new-nonce-2222'));
    });

    it('stops when onUnauthorized has nothing new, or throws', async () => {
      let hits = 0;
      const s = await serve((_req, res) => {
        hits++;
        res.writeHead(401);
        res.end();
      });
      const e = engine();
      await e.probe({ source: 'rest', url: `${s.origin}/`, onUnauthorized: async () => null });
      const p = await e.probe({
        source: 'rest',
        url: `${s.origin}/`,
        onUnauthorized: async () => {
          throw new Error('refresh failed');
        },
      });
      assert.equal(hits, 2);
      assert.equal(p.status, 401);
      assert.ok(e.notes(p.id).some((n) => n.kind === 'hook-error'));
    });
  });

  describe('bounds', () => {
    it('caps a 20 MiB body, keeps memory bounded and ends fast', async () => {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const s = await serve((_req, res) => {
        res.setHeader('content-type', 'text/plain');
        let sent = 0;
        const pump = () => {
          while (sent < 20 * MiB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
      });
      let kept = 0;
      const e = engine({ maxBodyBytes: 1 * MiB, summarizeBody: (text) => {
          kept = text.length;
          return {};
        },
      });
      const t0 = Date.now();
      const p = await e.probe({ source: 'anon', url: `${s.origin}/big` });
      assert.ok(Date.now() - t0 < 2000);
      assert.equal(p.status, 200);
      assert.equal(p.error?.code, 'body-too-large');
      assert.equal(p.body?.truncated, true);
      assert.ok((p.body?.bytes ?? 0) > 4 * MiB && (p.body?.bytes ?? 0) <= 4 * MiB + chunk.length);
      assert.equal(kept, 1 * MiB);
    });

    it('marks a body over maxBodyBytes but under the hard cap as truncated, without error', async () => {
      const s = await serve((_req, res) => res.end(Buffer.alloc(3000, 0x62)));
      const p = await engine({ maxBodyBytes: 1000 }).probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.error, undefined);
      assert.deepEqual(p.body, { bytes: 3000, truncated: true });
    });

    it('bounds a server that trickles a byte every 200 ms', async () => {
      const s = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const timer = setInterval(() => res.write('.'), 200);
        res.on('close', () => clearInterval(timer));
      });
      const t0 = Date.now();
      const p = await engine({ timeoutMs: 700 }).probe({ source: 'anon', url: `${s.origin}/` });
      const took = Date.now() - t0;
      assert.equal(p.error?.code, 'timeout');
      assert.equal(p.status, 200);
      assert.equal(p.body?.truncated, true);
      assert.ok((p.body?.bytes ?? 0) >= 2);
      assert.ok(took >= 650 && took < 1500, `took ${took} ms`);
    });

    it('bounds a server that never answers', async () => {
      const s = await startRaw(() => undefined);
      servers.push(s);
      const p = await engine({ timeoutMs: 300 }).probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.error?.code, 'timeout');
      assert.equal(p.status, 0);
    });

    it('refuses requests past the budget, counting every hop', async () => {
      let hits = 0;
      const s = await serve((req, res) => {
        hits++;
        if (req.url === '/r') res.writeHead(302, { location: '/' });
        res.end();
      });
      const e = engine({ maxRequests: 3 });
      assert.equal((await e.probe({ source: 'a', url: `${s.origin}/r` })).status, 200);
      assert.equal((await e.probe({ source: 'a', url: `${s.origin}/r` })).error?.code, 'budget-exhausted');
      const last = await e.probe({ source: 'a', url: `${s.origin}/` });
      assert.equal(last.error?.code, 'budget-exhausted');
      assert.equal(last.status, 0);
      assert.equal(hits, 3);
      assert.equal(e.requestsSent, 3);
      assert.equal(e.probes().length, 3);
    });

    it('never has more requests in flight than the concurrency limit', async () => {
      let inFlight = 0;
      let peak = 0;
      const s = await serve((_req, res) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        setTimeout(() => {
          inFlight--;
          res.end();
        }, 40);
      });
      const e = engine({ concurrency: 3 });
      const probes = await Promise.all(Array.from({ length: 12 }, (_, i) => e.probe({ source: 'crawl', url: `${s.origin}/${i}` })));
      assert.ok(probes.every((p) => p.status === 200));
      assert.equal(peak, 3);
    });

    it('spaces request starts by minIntervalMs', async () => {
      const at: number[] = [];
      const s = await serve((_req, res) => {
        at.push(Date.now());
        res.end();
      });
      const e = engine({ concurrency: 4, minIntervalMs: 100 });
      await Promise.all([1, 2, 3, 4].map((i) => e.probe({ source: 'crawl', url: `${s.origin}/${i}` })));
      const sorted = at.sort((x, y) => x - y);
      assert.ok((sorted[3] ?? 0) - (sorted[0] ?? 0) >= 280);
    });

    it('ends every probe quickly when the scan is aborted', async () => {
      const s = await serve(() => undefined);
      const controller = new AbortController();
      const e = engine({ signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const t0 = Date.now();
      const [p, q] = await Promise.all([e.probe({ source: 'a', url: `${s.origin}/` }), e.probe({ source: 'a', url: `${s.origin}/` })]);
      assert.ok(Date.now() - t0 < 1000);
      assert.equal(p.error?.code, 'aborted');
      assert.equal(q.error?.code, 'aborted');
      assert.equal((await e.probe({ source: 'a', url: `${s.origin}/` })).error?.code, 'aborted');
    });
  });

  describe('broken servers', () => {
    it('records a reset connection', async () => {
      const s = await startRaw((socket) => socket.once('data', () => socket.destroy()));
      servers.push(s);
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.error?.code, 'connection-reset');
      assert.equal(p.status, 0);
    });

    it('records a reset in the middle of a redirect chain with the last status', async () => {
      const s = await serve((req, res) => {
        if (req.url === '/') {
          res.writeHead(302, { location: '/gone' });
          res.end();
        } else req.socket.destroy();
      });
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.error?.code, 'connection-reset');
      assert.equal(p.status, 302);
      assert.equal(p.finalUrl, `${s.origin}/gone`);
    });

    it('records a closed port', async () => {
      const port = await closedPort();
      const p = await engine().probe({ source: 'anon', url: `http://127.0.0.1:${port}/` });
      assert.equal(p.error?.code, 'connection-refused');
    });

    it('records a DNS failure', async () => {
      const p = await engine().probe({ source: 'anon', url: 'http://does-not-exist.test/' });
      assert.equal(p.error?.code, 'dns-error');
    });

    it('records malformed response headers', async () => {
      const s = await startRaw((socket) =>
        socket.once('data', () => socket.end(Buffer.from('HTTP/1.1 200 OK\r\nX-Bad\u0001Name: v\r\nContent-Length: 2\r\n\r\nok', 'latin1'))),
      );
      servers.push(s);
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.error?.code, 'invalid-response');
      assert.match(p.error?.message ?? '', /HTTPParserError: .*Invalid header/);
    });

    it('records a garbage status line', async () => {
      const s = await startRaw((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.2\r\n')));
      servers.push(s);
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/` });
      assert.equal(p.error?.code, 'invalid-response');
    });

    it('records a header value the request cannot carry', async () => {
      const s = await serve((_req, res) => res.end());
      const p = await engine().probe({ source: 'anon', url: `${s.origin}/`, headers: { 'x-test': 'a\r\nInjected: yes' } });
      assert.equal(p.error?.code, 'invalid-request');
    });
  });
});
