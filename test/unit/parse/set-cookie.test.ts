import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COOKIE_PROBLEM_CODES,
  type CookieJudgement,
  cookieCoversPath,
  isWordPressAuthCookie,
  judgeSetCookie,
  wordPressCookieKind,
} from '../../../src/parse/set-cookie.js';
import { hostileString, timed } from './helpers.js';

const HASH = '2b4e0c0b8d7c1f3e9a6d5c4b3a2f1e0d';
const NOW = new Date('2025-06-01T12:00:00Z');
const LOGIN_HTTPS = 'https://staging.example.com/wp-login.php';
const LOGIN_HTTP = 'http://127.0.0.1:8080/wp-login.php';
const SECRET = 'admin%7C1750000000%7CQ1w2E3r4T5y6%7Cdeadbeefcafe';

function codes(j: CookieJudgement): string[] {
  return j.problems.map((p) => p.code);
}

describe('parse/set-cookie', () => {
  describe("WordPress's own login cookies", () => {
    it('judges the test cookie set over https as fine', () => {
      const j = judgeSetCookie('wordpress_test_cookie=WP%20Cookie%20check; path=/; secure', LOGIN_HTTPS, { now: NOW });
      assert.equal(j.name, 'wordpress_test_cookie');
      assert.equal(j.wordpress, 'test');
      assert.equal(j.secure, true);
      assert.equal(j.path, '/');
      assert.equal(j.session, true);
      assert.equal(j.clearing, false);
      assert.deepEqual(j.problems, []);
    });

    it('judges the logged-in cookie and keeps only the length of its value', () => {
      const j = judgeSetCookie(`wordpress_logged_in_${HASH}=${SECRET}; path=/; HttpOnly`, LOGIN_HTTPS, { now: NOW });
      assert.equal(j.name, `wordpress_logged_in_${HASH}`);
      assert.equal(j.wordpress, 'logged-in');
      assert.equal(j.httpOnly, true);
      assert.equal(j.valueLength, SECRET.length);
      assert.deepEqual(j.problems, []);
      assert.ok(!JSON.stringify(j).includes(SECRET));
    });

    it('does not call the auth cookie on /wp-admin or /wp-content/plugins a path mismatch', () => {
      for (const path of ['/wp-admin', '/wp-content/plugins', '/blog/wp-admin']) {
        const j = judgeSetCookie(`wordpress_${HASH}=${SECRET}; path=${path}; HttpOnly`, LOGIN_HTTPS, { now: NOW });
        assert.equal(j.wordpress, 'auth');
        assert.equal(j.path, path);
        assert.deepEqual(codes(j), [], path);
      }
      const sec = judgeSetCookie(`wordpress_sec_${HASH}=${SECRET}; path=/wp-admin; secure; HttpOnly`, LOGIN_HTTPS, { now: NOW });
      assert.equal(sec.wordpress, 'secure-auth');
      assert.deepEqual(codes(sec), []);
    });

    it('reports path-mismatch when the site needs the cookie where its path does not reach', () => {
      const j = judgeSetCookie(`wordpress_logged_in_${HASH}=${SECRET}; path=/wp-admin; HttpOnly`, LOGIN_HTTPS, {
        now: NOW,
        needPath: '/wp-json/wp/v2/users/me',
      });
      assert.deepEqual(codes(j), ['path-mismatch']);
      assert.match(j.problems[0]?.message ?? '', /\/wp-json\//);
    });

    it('reports path-mismatch against the request path for ordinary cookies', () => {
      const j = judgeSetCookie('session=abc; Path=/shop', 'https://example.com/account/login', { now: NOW });
      assert.deepEqual(codes(j), ['path-mismatch']);
      assert.equal(cookieCoversPath(j, '/shop/cart'), true);
      assert.equal(cookieCoversPath(j, '/shopping'), false);
    });

    it('tells a logout (clearing) apart from a cookie that arrives expired', () => {
      const logout = judgeSetCookie(
        `wordpress_logged_in_${HASH}=+; expires=Sat, 01-Jun-2024 12:00:00 GMT; Max-Age=0; path=/; HttpOnly`,
        LOGIN_HTTPS,
        { now: NOW },
      );
      assert.deepEqual(codes(logout), ['already-expired']);
      assert.equal(logout.clearing, true);
      assert.equal(logout.maxAge, 0);

      const stale = judgeSetCookie(`wordpress_logged_in_${HASH}=${SECRET}; expires=Sat, 01-Jun-2024 12:00:00 GMT; path=/`, LOGIN_HTTPS, {
        now: NOW,
      });
      assert.deepEqual(codes(stale), ['already-expired']);
      // expired is clearing by definition: the browser deletes the cookie
      assert.equal(stale.clearing, true);
      assert.equal(stale.expires, '2024-06-01T12:00:00.000Z');
    });

    it('marks an empty value as clearing without calling it expired', () => {
      const j = judgeSetCookie('wordpress_test_cookie=; path=/', LOGIN_HTTPS, { now: NOW });
      assert.equal(j.clearing, true);
      assert.deepEqual(codes(j), []);
    });

    it('lets Max-Age win over Expires', () => {
      const j = judgeSetCookie('a=b; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:01 GMT', LOGIN_HTTPS, { now: NOW });
      assert.deepEqual(codes(j), []);
      assert.equal(j.clearing, false);
      assert.equal(j.maxAge, 3600);
    });
  });

  describe('problems', () => {
    it('reports domain-mismatch for a COOKIE_DOMAIN of another host on 127.0.0.1', () => {
      const j = judgeSetCookie(`wordpress_logged_in_${HASH}=${SECRET}; path=/; domain=staging.example.com; HttpOnly`, LOGIN_HTTP, { now: NOW });
      assert.deepEqual(codes(j), ['domain-mismatch']);
      assert.equal(j.domain, 'staging.example.com');
      assert.equal(j.requestHost, '127.0.0.1');
      assert.match(j.problems[0]?.message ?? '', /COOKIE_DOMAIN/);
      assert.ok(!j.problems[0]?.message.includes(SECRET));
    });

    it('accepts a parent domain and a leading dot, rejects a sibling and a child', () => {
      assert.deepEqual(codes(judgeSetCookie('a=b; Domain=.Example.com', 'https://www.example.com/', { now: NOW })), []);
      assert.deepEqual(codes(judgeSetCookie('a=b; Domain=example.com', 'https://example.com/', { now: NOW })), []);
      assert.deepEqual(codes(judgeSetCookie('a=b; Domain=shop.example.com', 'https://www.example.com/', { now: NOW })), ['domain-mismatch']);
      assert.deepEqual(codes(judgeSetCookie('a=b; Domain=www.example.com', 'https://example.com/', { now: NOW })), ['domain-mismatch']);
    });

    it('matches IP addresses exactly, never as a domain suffix', () => {
      assert.deepEqual(codes(judgeSetCookie('a=b; Domain=127.0.0.1', 'http://127.0.0.1:8080/', { now: NOW })), []);
      assert.deepEqual(codes(judgeSetCookie('a=b; Domain=0.0.1', 'http://127.0.0.1:8080/', { now: NOW })), ['domain-mismatch']);
    });

    it('reports secure-over-http for a Secure cookie from a plain http host', () => {
      const j = judgeSetCookie('wordpress_test_cookie=WP%20Cookie%20check; path=/; secure', 'http://staging.example.com/wp-login.php', {
        now: NOW,
      });
      assert.deepEqual(codes(j), ['secure-over-http']);
    });

    it('treats loopback http as secure, as browsers do, unless told otherwise', () => {
      const header = 'wordpress_test_cookie=WP%20Cookie%20check; path=/; secure';
      assert.deepEqual(codes(judgeSetCookie(header, LOGIN_HTTP, { now: NOW })), []);
      assert.deepEqual(codes(judgeSetCookie(header, 'http://localhost:8080/wp-login.php', { now: NOW })), []);
      assert.deepEqual(codes(judgeSetCookie(header, LOGIN_HTTP, { now: NOW, loopbackIsSecure: false })), ['secure-over-http']);
    });

    it('reports samesite-none-without-secure', () => {
      const j = judgeSetCookie('a=b; SameSite=None; Path=/', LOGIN_HTTPS, { now: NOW });
      assert.equal(j.sameSite, 'none');
      assert.deepEqual(codes(j), ['samesite-none-without-secure']);
      assert.deepEqual(codes(judgeSetCookie('a=b; SameSite=None; Secure; Path=/', LOGIN_HTTPS, { now: NOW })), []);
    });

    it('reads SameSite case-insensitively and ignores unknown values', () => {
      assert.equal(judgeSetCookie('a=b; samesite=LAX', LOGIN_HTTPS).sameSite, 'lax');
      assert.equal(judgeSetCookie('a=b; SameSite=Strict', LOGIN_HTTPS).sameSite, 'strict');
      assert.equal(judgeSetCookie('a=b; SameSite=bogus', LOGIN_HTTPS).sameSite, null);
    });

    it('reports oversized when name and value exceed 4096 bytes', () => {
      const j = judgeSetCookie(`big=${'x'.repeat(4094)}; path=/`, LOGIN_HTTPS, { now: NOW });
      assert.deepEqual(codes(j), ['oversized']);
      assert.equal(j.valueLength, 4094);
      assert.deepEqual(codes(judgeSetCookie(`big=${'x'.repeat(4093)}; path=/`, LOGIN_HTTPS, { now: NOW })), []);
      // bytes, not UTF-16 units
      assert.deepEqual(codes(judgeSetCookie(`big=${'é'.repeat(2047)}; path=/`, LOGIN_HTTPS, { now: NOW })), ['oversized']);
    });

    it('reports prefix violations', () => {
      assert.deepEqual(codes(judgeSetCookie('__Host-s=1; Path=/; Secure', LOGIN_HTTPS)), []);
      assert.deepEqual(codes(judgeSetCookie('__Host-s=1; Path=/; Secure; Domain=example.com', 'https://example.com/')), [
        'prefix-violation',
      ]);
      assert.deepEqual(codes(judgeSetCookie('__Secure-s=1; Path=/', LOGIN_HTTPS)), ['prefix-violation']);
    });

    it('reports unparseable without leaking anything that could be the value', () => {
      for (const header of ['', '   ', ';', '=onlyvalue', 'nameonly', `a\u0000b=${SECRET}`]) {
        const j = judgeSetCookie(header, LOGIN_HTTPS, { now: NOW });
        assert.ok(codes(j).includes('unparseable'), JSON.stringify(header));
        assert.ok(!JSON.stringify(j).includes(SECRET));
        assert.ok(!JSON.stringify(j).includes('onlyvalue'));
      }
    });

    it('still judges the cookie when the request URL is not a URL', () => {
      const j = judgeSetCookie('a=b; Secure; Domain=example.com', 'not a url', { now: NOW });
      assert.equal(j.requestHost, null);
      assert.equal(j.name, 'a');
      assert.deepEqual(codes(j), []);
    });

    it('uses the default path of the request when Path is absent or not absolute', () => {
      const j = judgeSetCookie('a=b', 'https://example.com/wp-admin/profile.php');
      assert.equal(j.path, '/wp-admin');
      assert.equal(j.pathIsDefault, true);
      assert.equal(judgeSetCookie('a=b; path=wp-admin', 'https://example.com/x/y').path, '/x');
    });
  });

  describe('isWordPressAuthCookie', () => {
    const yes = [
      `wordpress_logged_in_${HASH}`,
      `wordpress_sec_${HASH}`,
      `wordpress_${HASH}`,
      'wordpress_test_cookie',
      'wp-settings-1',
      'wp-settings-time-1',
      'wordpress_logged_in_customhash',
    ];
    const no = ['wordpress_', 'wordpress_logged_in_', 'wordpress_sec_', 'wp-settings-', 'wordpress', 'PHPSESSID', 'wp_lang', 'wordpress_a-b', 'xwordpress_abc', ''];
    for (const name of yes) it(`recognises ${name}`, () => assert.equal(isWordPressAuthCookie(name), true));
    for (const name of no) it(`does not recognise ${JSON.stringify(name)}`, () => assert.equal(isWordPressAuthCookie(name), false));

    it('names the kind', () => {
      assert.equal(wordPressCookieKind(`wordpress_sec_${HASH}`), 'secure-auth');
      assert.equal(wordPressCookieKind('wp-settings-time-1'), 'settings');
    });
  });

  describe('properties', () => {
    const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split(''));
    const secretChar = fc.constantFrom(...'!#$%&()*+-./:<>?@[]^`{|}~'.split(''));
    const urls = fc.constantFrom(LOGIN_HTTPS, LOGIN_HTTP, 'https://www.example.com/wp-admin/', 'http://localhost/', 'not a url');
    const attrs = fc.subarray(['Path=/', 'Path=/wp-admin', 'Secure', 'HttpOnly', 'SameSite=None', 'SameSite=Lax', 'Domain=example.com', 'Max-Age=0', 'Max-Age=60', 'Expires=Wed, 21 Oct 2015 07:28:00 GMT']);

    it('never puts the cookie value in its result', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: nameChar, minLength: 1, maxLength: 20 }),
          fc.string({ unit: secretChar, minLength: 6, maxLength: 60 }),
          attrs,
          urls,
          (name, secret, attributes, url) => {
            const value = `S3CR3T${secret}`;
            const j = judgeSetCookie([`${name}=${value}`, ...attributes].join('; '), url, { now: NOW });
            assert.equal(j.name, name);
            assert.ok(!JSON.stringify(j).includes(value));
            for (const p of j.problems) assert.ok(COOKIE_PROBLEM_CODES.includes(p.code));
          },
        ),
        { numRuns: 500 },
      );
    });

    it('never throws on random and hostile input', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), hostileString()), fc.oneof(urls, fc.string()), (header, url) => {
          const j = judgeSetCookie(header, url);
          assert.ok(Array.isArray(j.problems));
          assert.doesNotThrow(() => JSON.stringify(j));
        }),
        { numRuns: 1000 },
      );
    });

    it('finishes quickly on hostile 16 KiB headers', () => {
      const big = fc.oneof(
        fc.constant(`a=${'b'.repeat(16 * 1024)}`),
        fc.constant(`a=b${'; Path=/'.repeat(2000)}`),
        fc.constant(`a=b${';'.repeat(16 * 1024)}`),
        fc.constant('\u0000'.repeat(16 * 1024)),
        fc.constant(`a=b; Expires=${'1'.repeat(16 * 1024)}`),
        fc.constant(`a=b; Domain=${'a.'.repeat(8 * 1024)}`),
        fc.constant('x'.repeat(1024 * 1024)),
        fc.string({ unit: fc.constantFrom('=', ';', ' ', 'a', '"', '\uD800'), minLength: 16 * 1024, maxLength: 16 * 1024 }),
      );
      const stats = timed(() =>
        fc.assert(
          fc.property(big, (h) => {
            const t0 = performance.now();
            judgeSetCookie(h, LOGIN_HTTPS);
            return performance.now() - t0 < 500;
          }),
          { numRuns: 60 },
        ),
      );
      assert.ok(stats.ms / 60 < 50, `average ${stats.ms / 60} ms per call`);
    });
  });
});
