import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type Challenge,
  canonicalScheme,
  MAX_VALUE_LENGTH,
  parseWwwAuthenticate,
  parseWwwAuthenticateDetailed,
} from '../../../src/parse/www-authenticate.js';
import { hostileString, timed } from './helpers.js';

describe('parse/www-authenticate', () => {
  describe('real-world headers', () => {
    it("parses Apache's basic-auth challenge", () => {
      assert.deepEqual(parseWwwAuthenticate('Basic realm="Restricted"'), [
        { scheme: 'Basic', params: { realm: 'Restricted' }, realm: 'Restricted' },
      ]);
    });

    it('parses several challenges in one value, with escaped quotes', () => {
      const got = parseWwwAuthenticate(
        'Negotiate, Basic realm="x", Bearer error="invalid_token", error_description="a \\"quoted\\" thing"',
      );
      assert.deepEqual(got, [
        { scheme: 'Negotiate', params: {} },
        { scheme: 'Basic', params: { realm: 'x' }, realm: 'x' },
        { scheme: 'Bearer', params: { error: 'invalid_token', error_description: 'a "quoted" thing' } },
      ]);
    });

    it('joins challenges across header lines in order', () => {
      const got = parseWwwAuthenticate(['Negotiate', 'NTLM', 'Basic realm="Staging", charset="UTF-8"']);
      assert.deepEqual(
        got.map((c) => c.scheme),
        ['Negotiate', 'NTLM', 'Basic'],
      );
      assert.deepEqual(got[2]?.params, { realm: 'Staging', charset: 'UTF-8' });
    });

    it('parses a Digest challenge with commas inside quoted values and token values', () => {
      const [digest, basic] = parseWwwAuthenticate(
        'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Basic realm=simple',
      );
      assert.equal(digest?.scheme, 'Digest');
      assert.equal(digest?.params.qop, 'auth, auth-int');
      assert.equal(digest?.params.algorithm, 'SHA-256');
      assert.equal(digest?.realm, 'http-auth@example.org');
      assert.equal(basic?.realm, 'simple');
      assert.equal(digest?.malformed, undefined);
    });

    it('parses a token68 (Negotiate) and keeps its padding', () => {
      assert.deepEqual(parseWwwAuthenticate('Negotiate YIIFyQYGKwYBBQUCoIIFvTCCBbmgMDAuBgkqhkiC9xIBAgI=='), [
        { scheme: 'Negotiate', params: {}, token68: 'YIIFyQYGKwYBBQUCoIIFvTCCBbmgMDAuBgkqhkiC9xIBAgI==' },
      ]);
    });

    it('parses a Bearer challenge as sent by OAuth resource servers', () => {
      const [bearer] = parseWwwAuthenticate(
        'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
      );
      assert.equal(bearer?.realm, 'example');
      assert.equal(bearer?.params.error, 'invalid_token');
    });
  });

  describe('case and canonical names', () => {
    it('canonicalises well-known scheme names and keeps others as given', () => {
      assert.deepEqual(
        parseWwwAuthenticate('BASIC realm=a, bearer, dIgEsT realm=b, negotiate, X-Custom-Auth foo=bar').map((c) => c.scheme),
        ['Basic', 'Bearer', 'Digest', 'Negotiate', 'X-Custom-Auth'],
      );
      assert.equal(canonicalScheme('ntlm'), 'NTLM');
      assert.equal(canonicalScheme('MyScheme'), 'MyScheme');
    });

    it('lower-cases param names but not values', () => {
      const [c] = parseWwwAuthenticate('Basic REALM="Mixed Case", Charset=UTF-8');
      assert.deepEqual(c?.params, { realm: 'Mixed Case', charset: 'UTF-8' });
      assert.equal(c?.realm, 'Mixed Case');
    });
  });

  describe('edge cases of the grammar', () => {
    it('gives nothing for empty values and empty list elements', () => {
      assert.deepEqual(parseWwwAuthenticate(''), []);
      assert.deepEqual(parseWwwAuthenticate([]), []);
      assert.deepEqual(parseWwwAuthenticate(' , ,, '), []);
      assert.equal(parseWwwAuthenticateDetailed(', ,').malformed, false);
    });

    it('allows whitespace around "=" (BWS) and empty quoted values', () => {
      assert.deepEqual(parseWwwAuthenticate('Basic realm = "", charset =UTF-8')[0]?.params, { realm: '', charset: 'UTF-8' });
    });

    it('keeps a param named __proto__ as an ordinary own property', () => {
      const [c] = parseWwwAuthenticate('Custom __proto__="x", realm=r');
      assert.ok(c);
      assert.equal(Object.hasOwn(c.params, '__proto__'), true);
      assert.equal(Object.getPrototypeOf(c.params), Object.prototype);
      assert.equal(c.realm, 'r');
    });

    it('keeps the first of duplicated params and flags the challenge', () => {
      const [c] = parseWwwAuthenticate('Basic realm="one", realm="two"');
      assert.equal(c?.realm, 'one');
      assert.equal(c?.malformed, true);
    });
  });

  describe('malformed input', () => {
    const cases: [string, string][] = [
      ['unterminated quoted string', 'Basic realm="Restricted'],
      ['missing comma between params', 'Basic realm="a" charset="UTF-8"'],
      ['a bare word after the scheme followed by another challenge', 'Negotiate abc Basic realm=x'],
      ['an empty param value', 'Basic realm=, charset=UTF-8'],
      ['a stray quote', 'Basic "realm"'],
      ['params after a token68', 'Negotiate abc==, x=y'],
    ];
    for (const [what, header] of cases) {
      it(`flags ${what} and still returns what it could`, () => {
        const r = parseWwwAuthenticateDetailed(header);
        assert.equal(r.malformed, true, JSON.stringify(r));
        assert.ok(r.challenges.length >= 1);
        assert.ok(r.challenges.some((c) => c.malformed === true));
      });
    }

    it('recovers the realm from an unterminated quoted string', () => {
      assert.equal(parseWwwAuthenticate('Basic realm="Restricted')[0]?.realm, 'Restricted');
    });

    it('drops an auth-param that comes before any scheme', () => {
      const r = parseWwwAuthenticateDetailed('realm="x", Basic realm="y"');
      assert.equal(r.malformed, true);
      assert.deepEqual(
        r.challenges.map((c) => c.realm),
        ['y'],
      );
    });

    it('ignores non-string values without throwing', () => {
      const r = parseWwwAuthenticateDetailed([null, 42, 'Basic realm=a'] as unknown as string[]);
      assert.equal(r.challenges.length, 1);
      assert.equal(r.malformed, true);
      assert.deepEqual(parseWwwAuthenticateDetailed(undefined).challenges, []);
    });

    it('cuts values longer than the limit and says so', () => {
      const long = `Basic realm="${'a'.repeat(MAX_VALUE_LENGTH)}"`;
      const r = parseWwwAuthenticateDetailed(long);
      assert.equal(r.truncated, true);
      assert.equal(r.challenges[0]?.scheme, 'Basic');
      assert.ok((r.challenges[0]?.realm?.length ?? 0) <= MAX_VALUE_LENGTH);
    });
  });

  describe('properties', () => {
    // RFC 9110 building blocks
    const tchar = fc.constantFrom(...'!#$%&\'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
    const token = fc.string({ unit: tchar, minLength: 1, maxLength: 12 });
    const qdchar = fc.constantFrom(...' \t!#$%&\'()*+,-./:;<=>?@[]^_`{|}~azAZ09"\\'.split(''));
    const value = fc.string({ unit: qdchar, maxLength: 20 });
    const t68char = fc.constantFrom(...'-._~+/abcXYZ019'.split(''));
    const token68 = fc
      .tuple(fc.string({ unit: t68char, minLength: 1, maxLength: 20 }), fc.nat({ max: 2 }))
      .map(([body, pad]) => body + '='.repeat(pad));

    const challengeArb = fc.oneof(
      fc.record({
        scheme: token,
        params: fc.uniqueArray(fc.tuple(token, value), { selector: ([k]) => k.toLowerCase(), maxLength: 5 }),
        asToken: fc.boolean(),
      }),
      fc.record({ scheme: token, token68 }),
    );

    function quote(s: string): string {
      return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
    }
    function isToken(s: string): boolean {
      return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(s);
    }
    function serialise(c: Gen): string {
      if ('token68' in c) return `${c.scheme} ${c.token68}`;
      if (c.params.length === 0) return c.scheme;
      const ps = c.params.map(([k, v]) => `${k}=${c.asToken && isToken(v) ? v : quote(v)}`);
      return `${c.scheme} ${ps.join(', ')}`;
    }
    type Gen = { scheme: string; token68: string } | { scheme: string; params: [string, string][]; asToken: boolean };
    function expected(c: Gen): Challenge {
      const out: Challenge = { scheme: canonicalScheme(c.scheme), params: {} };
      if ('token68' in c) {
        out.token68 = c.token68;
        return out;
      }
      for (const [k, v] of c.params) Object.defineProperty(out.params, k.toLowerCase(), { value: v, enumerable: true, writable: true, configurable: true });
      if (Object.hasOwn(out.params, 'realm')) out.realm = out.params.realm;
      return out;
    }

    it('round-trips generated challenges through serialise → parse', () => {
      fc.assert(
        fc.property(fc.array(challengeArb, { minLength: 1, maxLength: 5 }), fc.boolean(), (list, split) => {
          const gens = list as Gen[];
          const header = split ? gens.map(serialise) : gens.map(serialise).join(', ');
          const got = parseWwwAuthenticateDetailed(header);
          assert.equal(got.malformed, false, JSON.stringify({ header, got }));
          assert.deepEqual(got.challenges, gens.map(expected));
        }),
        { numRuns: 500 },
      );
    });

    it('never throws and always returns well-formed challenges on random strings', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), hostileString()), (s) => {
          const r = parseWwwAuthenticateDetailed(s);
          assert.ok(Array.isArray(r.challenges));
          for (const c of r.challenges) {
            assert.equal(typeof c.scheme, 'string');
            assert.ok(c.scheme.length > 0);
            assert.equal(typeof c.params, 'object');
            for (const v of Object.values(c.params)) assert.equal(typeof v, 'string');
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('finishes quickly on hostile 16 KiB values', () => {
      const hostile16k = fc.oneof(
        fc.constant(','.repeat(16 * 1024)),
        fc.constant('"'.repeat(16 * 1024)),
        fc.constant(`Basic realm="${'\\"'.repeat(8 * 1024)}`),
        fc.constant(`Basic ${'a=b, '.repeat(4 * 1024)}`),
        fc.constant('a '.repeat(8 * 1024)),
        fc.constant('x='.repeat(8 * 1024)),
        fc.constant(`Negotiate ${'A'.repeat(16 * 1024)}`),
        fc.constant('\u0000'.repeat(16 * 1024)),
        fc.constant('\uD800'.repeat(16 * 1024)),
        fc.string({ unit: fc.constantFrom(',', '"', '\\', '=', ' ', 'a', 'B'), minLength: 16 * 1024, maxLength: 16 * 1024 }),
        fc.constant('a'.repeat(1024 * 1024)),
      );
      const stats = timed(() =>
        fc.assert(
          fc.property(hostile16k, (s) => {
            const t0 = performance.now();
            parseWwwAuthenticateDetailed([s, s]);
            return performance.now() - t0 < 500;
          }),
          { numRuns: 60 },
        ),
      );
      assert.ok(stats.ms / 60 < 50, `average ${stats.ms / 60} ms per call`);
    });
  });
});
