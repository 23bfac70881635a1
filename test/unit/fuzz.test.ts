// Fuzzing (issue 8, point 4): every parser in src/parse (and the header
// parsers of the engine) on random and structure-aware hostile input — no
// exception escapes, the result is plain JSON data, and each call stays
// fast; the bridge signature (src/bridge/sign.ts) on random and tampered
// requests — nothing but the exact signed request verifies, and nothing
// throws; the redactor never lets an embedded secret through. The PHP side
// has its own randomized test (wp-plugin/wp401-bridge/tests/unit/FuzzTest.php),
// checked here to exist rather than duplicated.
import { strict as assert } from 'node:assert';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO } from '../../fixtures/testbed/paths.js';
import { canonicalQuery, type SignRequestInput, signRequest, stringToSign } from '../../src/bridge/sign.js';
import { createRedactor } from '../../src/redact.js';
import { parseRetryAfter } from '../../src/http/retry-after.js';
import { classifyPage, judgeSetCookie, parseRestError, parseWwwAuthenticateDetailed } from '../../src/parse/index.js';

/** One call may take this long at most, on a busy machine. */
const CALL_MS = 750;
const RUNS = 300;

const junkChar = fc.oneof(
  fc.constantFrom(',', ';', '=', '"', "'", '\\', ' ', '\t', '\r', '\n', '\u0000', '\u0001', '\u007f', '<', '>', '/', '&', '%', '{', '}', '[', ']', ':', '#', '?'),
  fc.constantFrom('\uD800', '\uDFFF', '\uFEFF', '\u2028', '\u2029', '\u00FF', '\u{1F600}', '\uFFFD'),
  fc.constantFrom('a', 'Z', '0', '9', '-', '_', '.', 'realm', 'Basic', 'Bearer', 'Digest', 'wordpress_logged_in_', 'Path', 'Domain', 'Expires', 'SameSite'),
);
const junk = (maxLength = 400) => fc.string({ unit: junkChar, maxLength });
const long = fc.tuple(fc.string({ unit: junkChar, minLength: 1, maxLength: 3 }), fc.integer({ min: 1000, max: 40000 })).map(([s, n]) => s.repeat(n));
const anyText = fc.oneof({ weight: 4, arbitrary: junk() }, { weight: 1, arbitrary: long }, { weight: 2, arbitrary: fc.string({ maxLength: 300 }) });

/**
 * Runs a parser call: it must not throw, must finish within a CPU budget and
 * must give JSON-serialisable data. The budget guards against pathological
 * (catastrophic-backtracking, quadratic) work; it is CPU time of this
 * process, not wall time, so a machine busy with other work does not fail it.
 */
function bounded<T>(what: string, fn: () => T): T {
  const t0 = process.cpuUsage();
  let out: T;
  try {
    out = fn();
  } catch (err) {
    throw new Error(`${what} threw ${err instanceof Error ? err.name : typeof err}`);
  }
  const used = process.cpuUsage(t0);
  const ms = (used.user + used.system) / 1000;
  assert.ok(ms < CALL_MS, `${what} took ${ms.toFixed(0)} ms of CPU`);
  assert.doesNotThrow(() => JSON.stringify(out), `${what} returns plain data`);
  return out;
}

// Structure-aware generators: inputs that look like the real thing, then break.
const token = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/), junk(12));
const quoted = junk(40).map((s) => `"${s.replace(/"/g, '\\"')}"`);
const authParam = fc.tuple(token, fc.constantFrom('=', ' = ', '==', ''), fc.oneof(token, quoted, junk(20))).map(([k, eq, v]) => `${k}${eq}${v}`);
const challenge = fc
  .tuple(fc.oneof(fc.constantFrom('Basic', 'Bearer', 'Digest', 'Negotiate', 'basic'), token), fc.array(authParam, { maxLength: 6 }), fc.constantFrom(', ', ',', ' ', ',,,'))
  .map(([scheme, params, sep]) => `${scheme} ${params.join(sep)}`);
const wwwAuthenticate = fc.oneof(fc.array(challenge, { maxLength: 4 }).map((c) => c.join(', ')), anyText);

const cookieAttr = fc.oneof(
  fc.constantFrom('Secure', 'HttpOnly', 'SameSite=None', 'SameSite=Lax', 'SameSite=strict', 'SameSite=', 'Partitioned'),
  fc.tuple(fc.constantFrom('Path', 'Domain', 'Expires', 'Max-Age', 'path', 'DOMAIN'), fc.oneof(junk(30), fc.constantFrom('/', '/wp-admin', '.example.com', '127.0.0.1', '-1', '0', '99999999999999999999', 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date'))).map(([k, v]) => `${k}=${v}`),
  junk(20),
);
const setCookie = fc.oneof(
  fc
    .tuple(fc.oneof(fc.constantFrom('wordpress_logged_in_abc', 'wordpress_sec_abc', 'wordpress_test_cookie', 'wp-settings-1', ''), token), junk(80), fc.array(cookieAttr, { maxLength: 8 }))
    .map(([n, v, attrs]) => [`${n}=${v}`, ...attrs].join('; ')),
  anyText,
);

const json = fc.oneof(
  fc.record({ code: fc.oneof(token, junk(30)), message: fc.oneof(anyText, fc.constant(null)), data: fc.oneof(fc.record({ status: fc.oneof(fc.integer(), junk(5)) }), fc.anything()) }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);
const restBody = fc.oneof(
  json,
  fc.tuple(json, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
  fc.tuple(fc.nat({ max: 3000 }), fc.constantFrom('[', '{"a":')).map(([n, open]) => open.repeat(n)),
  anyText,
);

const tag = fc.oneof(
  fc.constantFrom('<title>', '</title>', '<form id="loginform" action="wp-login.php">', '<input name="log">', '<input name="pwd" type="password">', '<div id="login_error">', '</div>', '<script>', '</script>', '<!--', '-->', '<meta name="generator" content="WordPress 6.1">', '<link rel="https://api.w.org/" href="/wp-json/">', '<![CDATA[', '<body class="login">', '<h1>', '<p>', '<a href="'),
  junk(30),
);
const html = fc.oneof(
  fc.array(tag, { maxLength: 80 }).map((t) => t.join('')),
  fc.tuple(fc.constantFrom('<div>', '<b>', '<!--', '<script>', '<title>'), fc.integer({ min: 1000, max: 30000 })).map(([t, n]) => t.repeat(n)),
  anyText,
);
const url = fc.oneof(fc.webUrl(), fc.constantFrom('http://127.0.0.1:8401/wp-login.php', 'not a url', '', 'http://[::1', 'javascript:alert(1)'));

describe('fuzz: parsers never throw, stay bounded and return plain data', function () {
  this.timeout(120000);

  it('WWW-Authenticate (parseWwwAuthenticateDetailed)', () => {
    fc.assert(
      fc.property(fc.oneof(wwwAuthenticate, fc.array(wwwAuthenticate, { maxLength: 5 })), (v) => {
        const r = bounded('parseWwwAuthenticateDetailed', () => parseWwwAuthenticateDetailed(v));
        assert.ok(Array.isArray(r.challenges));
      }),
      { numRuns: RUNS },
    );
    // Not strings at all: what a broken header map may hand over.
    for (const v of [null, undefined, [], [''], ['\u0000'], 'x'.repeat(1 << 20)] as (string | string[] | null | undefined)[]) {
      bounded('parseWwwAuthenticateDetailed', () => parseWwwAuthenticateDetailed(v));
    }
  });

  it('Set-Cookie (judgeSetCookie)', () => {
    fc.assert(
      fc.property(setCookie, url, fc.option(fc.date({ noInvalidDate: false })), fc.option(junk(20)), (h, u, now, needPath) => {
        bounded('judgeSetCookie', () => judgeSetCookie(h, u, { now: now ?? undefined, needPath: needPath ?? undefined }));
      }),
      { numRuns: RUNS },
    );
  });

  it('REST error bodies (parseRestError), truncated and nested JSON included', () => {
    fc.assert(
      fc.property(restBody, fc.option(fc.oneof(fc.constantFrom('application/json', 'application/json; charset=UTF-8', 'text/html'), junk(30))), (body, ct) => {
        const r = bounded('parseRestError', () => parseRestError(body, ct ?? undefined));
        if (r !== null) assert.equal(typeof r.code, 'string');
      }),
      { numRuns: RUNS },
    );
  });

  it('pages (classifyPage): tag soup, deep nesting, huge bodies', () => {
    fc.assert(
      fc.property(html, url, fc.integer({ min: 0, max: 999 }), (h, u, status) => {
        const r = bounded('classifyPage', () => classifyPage(h, u, { status, headers: { 'content-type': ['text/html'] } }));
        assert.equal(typeof r.kind, 'string');
      }),
      { numRuns: 200 },
    );
  });

  it('Retry-After (parseRetryAfter): null or a bounded, non-negative number', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toUTCString())), fc.nat().map(String)), fc.double(), (v, now) => {
        const r = bounded('parseRetryAfter', () => parseRetryAfter(v, now));
        assert.ok(r === null || (Number.isFinite(r) && r >= 0 && r <= 24 * 3600 * 1000), `Retry-After ${JSON.stringify(v).slice(0, 40)} → ${r}`);
      }),
      { numRuns: RUNS },
    );
  });
});

/** What the plugin does, in TypeScript: recompute over what was received, compare in constant time. */
function verifies(key: string, req: SignRequestInput & { headers: Record<string, string> }): boolean {
  const given = req.headers['X-WP401-Signature'] ?? '';
  let expected: string;
  try {
    expected =
      signRequest({ ...req, key, timestamp: Number(req.headers['X-WP401-Timestamp']), nonce: req.headers['X-WP401-Nonce'] ?? '' })['X-WP401-Signature'] ?? '';
  } catch {
    return false;
  }
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const keyArb = fc.oneof(fc.stringMatching(/^[0-9a-f]{32,64}$/), fc.string({ minLength: 1, maxLength: 80 }));
const path = fc.array(fc.oneof(token, fc.constantFrom('wp-json', 'wp401', 'v1', '..', '%2F', 'ä')), { minLength: 1, maxLength: 5 }).map((p) => `/${p.map((seg) => (seg === '..' || seg === '%2F' ? seg : enc(seg))).join('/')}`);
/** encodeURIComponent refuses lone surrogates: drop surrogates before encoding. */
const enc = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ''));
const query = fc.array(fc.tuple(token, fc.oneof(token, junk(10))), { maxLength: 5 }).map((q) => q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));
const probeId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
  path,
  query,
  body: fc.oneof(fc.constant(''), junk(200)),
  probe: fc.option(probeId, { nil: undefined }),
  troubleshoot: fc.option(fc.array(fc.stringMatching(/^[a-z0-9-]{1,20}\/[a-z0-9-]{1,20}\.php$/), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  timestamp: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
  nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,32}$/),
});

type Req = typeof request extends fc.Arbitrary<infer T> ? T : never;

function signed(key: string, r: Req) {
  const u = new URL(`http://127.0.0.1:8401${r.path}${r.query ? `?${r.query}` : ''}`);
  const input: SignRequestInput = { key, method: r.method, url: u, body: r.body, probe: r.probe, troubleshoot: r.troubleshoot, timestamp: r.timestamp, nonce: r.nonce };
  return { ...input, headers: signRequest(input) };
}

describe('fuzz: the bridge signature (src/bridge/sign.ts)', function () {
  this.timeout(120000);

  it('the exact signed request verifies (the checker is not blind)', () => {
    fc.assert(
      fc.property(keyArb, request, (key, r) => {
        assert.ok(verifies(key, signed(key, r)));
      }),
      { numRuns: RUNS },
    );
  });

  it('random signatures never verify, and never throw', () => {
    fc.assert(
      fc.property(keyArb, request, fc.oneof(junk(80), fc.stringMatching(/^v1=[0-9a-f]{64}$/), fc.constant('')), (key, r, sig) => {
        const req = signed(key, r);
        fc.pre(sig !== req.headers['X-WP401-Signature']);
        assert.equal(verifies(key, { ...req, headers: { ...req.headers, 'X-WP401-Signature': sig } }), false);
      }),
      { numRuns: RUNS },
    );
  });

  it('tampering with any signed part (key, method, path, query, body, time, nonce, probe, plugin list) breaks it', () => {
    const part = fc.constantFrom('key', 'method', 'path', 'query', 'body', 'timestamp', 'nonce', 'probe', 'troubleshoot');
    fc.assert(
      fc.property(keyArb, request, part, junk(20), fc.integer({ min: 1, max: 1000 }), (key, r, which, noise, delta) => {
        const good = signed(key, r);
        let k = key;
        const t = { ...r };
        switch (which) {
          case 'key':
            // HMAC pads a short key with zero bytes (RFC 2104), so a key with NULs
            // appended is the same key: tamper with something that changes it.
            k = `${key}${noise.replace(/\0/g, '') || 'x'}`;
            break;
          case 'method':
            t.method = r.method === 'GET' ? 'POST' : 'GET';
            break;
          case 'path':
            t.path = `${r.path}/${enc(noise) || 'x'}`;
            break;
          case 'query':
            t.query = `${r.query}${r.query ? '&' : ''}wp401x=${enc(noise)}`;
            break;
          case 'body':
            t.body = `${r.body}${noise || ' '}`;
            break;
          case 'timestamp':
            t.timestamp = r.timestamp + delta;
            break;
          case 'nonce':
            t.nonce = `${r.nonce}A`;
            break;
          case 'probe':
            t.probe = r.probe === 'p1' ? 'p2' : 'p1';
            break;
          case 'troubleshoot':
            t.troubleshoot = [...(r.troubleshoot ?? []), 'evil/evil.php'];
            break;
        }
        const u = new URL(`http://127.0.0.1:8401${t.path}${t.query ? `?${t.query}` : ''}`);
        // A path with '..' or '.' segments is resolved by the URL parser (and
        // by every server): '/..' + '/..' is still '/', the same request, not a tampered one.
        fc.pre(which !== 'path' || u.pathname !== new URL(good.url).pathname);
        // The tampered request carries the original signature headers.
        const tampered = { key: k, method: t.method, url: u, body: t.body, probe: t.probe, troubleshoot: t.troubleshoot, headers: { ...good.headers, 'X-WP401-Timestamp': String(t.timestamp), 'X-WP401-Nonce': t.nonce } };
        assert.equal(verifies(k, tampered), false, `tampered ${which} still verifies`);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('the canonical pieces never throw on arbitrary input, fast; canonicalQuery keeps the order sent and is idempotent', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, anyText, (m, p, q, n) => {
        bounded('canonicalQuery', () => canonicalQuery(q));
        bounded('stringToSign', () => stringToSign({ method: m, host: n, path: p, query: q, timestamp: n, nonce: n, bodySha256: m, probe: p, troubleshoot: q }));
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(junk(10), junk(10)), { maxLength: 8 }), (pairs) => {
        const raw = pairs.map(([k, v]) => `${k.replace(/[&#?]/g, '')}=${v.replace(/[&#]/g, '')}`);
        const once = canonicalQuery(raw.join('&'));
        // The order is part of what is signed: the whole is its pieces, each in its place.
        assert.equal(once, raw.map((piece) => canonicalQuery(piece)).filter((c) => c !== '').join('&'), 'piece by piece, in order');
        assert.equal(canonicalQuery(once), once, 'idempotent');
      }),
      { numRuns: RUNS },
    );
    // The longest URL a server accepts is far below 64 KiB (Apache: 8 KiB).
    bounded('canonicalQuery (64 KiB)', () => canonicalQuery('a=%zz&'.repeat(11000)));
  });

  it('a bad probe id is refused with a RangeError, never signed', () => {
    fc.assert(
      fc.property(junk(80), (probe) => {
        fc.pre(!/^[A-Za-z0-9_-]{1,64}$/.test(probe) && probe !== '');
        assert.throws(() => signRequest({ key: 'k'.repeat(64), method: 'GET', url: 'http://127.0.0.1/', probe }), RangeError);
      }),
      { numRuns: RUNS },
    );
  });

  it('the PHP side has its own randomized verifier test (not duplicated here)', () => {
    const php = readFileSync(join(REPO, 'wp-plugin', 'wp401-bridge', 'tests', 'unit', 'FuzzTest.php'), 'utf8');
    assert.match(php, /random_(int|bytes)\(/, 'randomized');
    assert.match(php, /WP401_Verifier/, 'drives the verifier');
    assert.match(php, /for \(\s*\$i = 0; \$i < \d{3,}/, 'many rounds');
  });
});

describe('fuzz: the redactor lets no embedded secret through', function () {
  this.timeout(60000);
  const secretArb = fc.string({ unit: fc.oneof(fc.constantFrom('+', '/', '=', ' ', '%', ':', '&', '"', '\\'), fc.stringMatching(/^[A-Za-z0-9]$/)), minLength: 8, maxLength: 40 });

  it('plain, URL-encoded, base64 (any alignment) and Basic forms are scrubbed wherever they sit', () => {
    fc.assert(
      fc.property(secretArb, junk(60), junk(60), fc.constantFrom('plain', 'uri', 'form', 'basic', 'b64'), (secret, before, after, form) => {
        fc.pre(secret.trim().length >= 8);
        const r = createRedactor([secret]);
        const encoded =
          form === 'plain'
            ? secret
            : form === 'uri'
              ? encodeURIComponent(secret)
              : form === 'form'
                ? new URLSearchParams({ x: secret }).toString().slice(2)
                : form === 'basic'
                  ? Buffer.from(`admin:${secret}`).toString('base64')
                  : Buffer.from(secret).toString('base64');
        const out = bounded('scrub', () => r.scrub(`${before}${encoded}${after}`));
        assert.ok(!out.includes(encoded), `the ${form} form survived scrubbing`);
      }),
      { numRuns: RUNS },
    );
  });
});
