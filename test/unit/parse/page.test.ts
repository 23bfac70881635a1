import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { PageKind } from '../../../src/model.js';
import { classifyPage, EXCERPT_LENGTH, MAX_HTML_LENGTH } from '../../../src/parse/page.js';
import { hostileString, timed } from './helpers.js';

const SITE = 'http://127.0.0.1:8080';

function page(name: string): string {
  return readFileSync(new URL(`../../fixtures/pages/${name}`, import.meta.url), 'utf8');
}

describe('parse/page', () => {
  describe('fixture pages', () => {
    const cases: [string, string, PageKind][] = [
      ['wp-login.html', `${SITE}/wp-login.php`, 'wp-login'],
      ['wp-login-error.html', 'https://staging.example.com/wp-login.php?redirect_to=x&reauth=1', 'wp-login'],
      ['wp-login-logged-out.html', `${SITE}/wp-login.php?loggedout=true`, 'wp-login'],
      ['wp-die.html', `${SITE}/wp-admin/post.php`, 'wp-die'],
      ['wp-admin.html', `${SITE}/wp-admin/`, 'wp-admin'],
      ['wordpress-front.html', `${SITE}/`, 'wordpress'],
      ['apache-401.html', `${SITE}/wp-admin/`, 'apache-error'],
      ['apache-401-nosig.html', `${SITE}/wp-admin/`, 'apache-error'],
      ['nginx-401.html', `${SITE}/wp-json/`, 'nginx-error'],
      ['sso-login-wall.html', 'https://staging.example.com/', 'login-wall-other-host'],
      ['meta-refresh-other-host.html', 'https://staging.example.com/', 'login-wall-other-host'],
      ['captive-portal.html', 'http://staging.example.com/', 'captive-portal'],
      ['plain-other.html', 'https://example.com/', 'other'],
    ];
    for (const [file, url, kind] of cases) {
      it(`classifies ${file} as ${kind}`, () => {
        const got = classifyPage(page(file), url, { status: 401 });
        assert.equal(got.kind, kind);
        assert.ok(got.title !== undefined && got.title.length > 0);
        assert.ok(got.excerpt === undefined || got.excerpt.length <= EXCERPT_LENGTH);
      });
    }

    it('describes the wp-login.php form', () => {
      const got = classifyPage(page('wp-login.html'), `${SITE}/wp-login.php`);
      assert.equal(got.title, 'Log In ‹ Test Bed — WordPress');
      assert.deepEqual(got.loginForm, {
        action: `${SITE}/wp-login.php`,
        crossHost: false,
        method: 'post',
        hasUsername: true,
        hasPassword: true,
        hasRememberMe: true,
        reauth: false,
        interim: false,
        redirectTo: `${SITE}/wp-admin/`,
      });
      assert.equal(got.message, undefined);
    });

    it('surfaces the login error box, reauth=1 and a form posting to another host', () => {
      const got = classifyPage(page('wp-login-error.html'), 'https://staging.example.com/wp-login.php?redirect_to=x&reauth=1');
      assert.equal(got.message, 'Error: Cookies are blocked or not supported by your browser. You must enable cookies to use WordPress.');
      assert.equal(got.loginForm?.reauth, true);
      assert.equal(got.loginForm?.crossHost, true);
      assert.equal(got.loginForm?.action, 'https://www.example.com/wp-login.php');
    });

    it('never puts a pre-filled form value into the excerpt', () => {
      const got = classifyPage(page('wp-login-error.html'), 'https://staging.example.com/wp-login.php');
      assert.ok(!JSON.stringify(got).includes('"admin"'));
      assert.ok(!(got.excerpt ?? '').includes('admin'));
    });

    it('uses the info message of the login screen when there is no error', () => {
      assert.equal(classifyPage(page('wp-login-logged-out.html'), `${SITE}/wp-login.php`).message, 'You are now logged out.');
    });

    it('takes the wp_die message', () => {
      assert.equal(classifyPage(page('wp-die.html'), `${SITE}/`).message, 'The link you followed has expired.');
    });

    it('names the server in Apache and nginx error pages', () => {
      assert.equal(classifyPage(page('apache-401.html'), `${SITE}/`).message, 'Apache/2.4.62 (Debian) Server at 127.0.0.1 Port 8081');
      assert.equal(classifyPage(page('nginx-401.html'), `${SITE}/`).message, 'nginx/1.22.1');
    });

    it('gives the target of a login wall', () => {
      assert.equal(
        classifyPage(page('meta-refresh-other-host.html'), 'https://staging.example.com/').target,
        'https://login.example.org/authorize?next=%2F',
      );
      assert.match(classifyPage(page('sso-login-wall.html'), 'https://staging.example.com/').target ?? '', /^https:\/\/sso\.example\.net\//);
    });

    it('does not call a password form on the same host a login wall', () => {
      assert.equal(classifyPage(page('sso-login-wall.html'), 'https://sso.example.net/').kind, 'other');
    });
  });

  describe('inline pages', () => {
    it('recognises the interim (modal) login', () => {
      const html =
        '<html><body class="login interim-login"><div id="login"><form id="loginform" action="wp-login.php" method="post"><input name="log"><input type="password" name="pwd"><input type="hidden" name="interim-login" value="1"></form></div></body></html>';
      const got = classifyPage(html, `${SITE}/wp-login.php?interim-login=1`);
      assert.equal(got.kind, 'wp-login');
      assert.equal(got.loginForm?.interim, true);
      assert.equal(got.loginForm?.action, `${SITE}/wp-login.php`);
    });

    it('recognises the lost-password screen as wp-login', () => {
      const html = '<html><body class="login login-action-lostpassword"><div id="login"><form id="lostpasswordform"><input name="user_login"></form></div></body></html>';
      assert.equal(classifyPage(html, `${SITE}/wp-login.php?action=lostpassword`).kind, 'wp-login');
    });

    it('recognises WordPress by a single marker', () => {
      assert.equal(classifyPage('<html><head><meta name="generator" content="WordPress 6.8.1"></head><body>x</body></html>', SITE).kind, 'wordpress');
      assert.equal(classifyPage('<link rel="https://api.w.org/" href="/wp-json/">', SITE).kind, 'wordpress');
      assert.equal(classifyPage('<script src="/wp-includes/js/jquery/jquery.min.js"></script>', SITE).kind, 'wordpress');
    });

    it('classifies REST JSON and other JSON by content, with or without a content type', () => {
      const rest = '{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}';
      assert.deepEqual(classifyPage(rest, `${SITE}/wp-json/wp/v2/users/me`, { headers: { 'content-type': ['application/json; charset=UTF-8'] } }), {
        kind: 'rest-json',
        message: 'You are not currently logged in.',
      });
      assert.equal(classifyPage(rest, `${SITE}/wp-json/`).kind, 'rest-json');
      assert.equal(classifyPage('{"name":"Test Bed","routes":{}}', `${SITE}/wp-json/`).kind, 'json');
      assert.equal(classifyPage('not json', `${SITE}/x`, { headers: { 'content-type': ['application/json'] } }).kind, 'json');
    });

    it('classifies XML (sitemaps, feeds) but not XHTML', () => {
      assert.equal(classifyPage('<?xml version="1.0"?><urlset></urlset>', `${SITE}/wp-sitemap.xml`).kind, 'xml');
      assert.equal(classifyPage('<rss/>', `${SITE}/feed/`, { headers: { 'content-type': ['application/rss+xml'] } }).kind, 'xml');
      assert.equal(classifyPage('<?xml version="1.0"?><html><body class="wp-admin"></body></html>', `${SITE}/`).kind, 'wp-admin');
    });

    it('calls a 511 answer a captive portal', () => {
      assert.equal(classifyPage('<html><body>Please log in</body></html>', SITE, { status: 511 }).kind, 'captive-portal');
    });

    it('recognises well-known portal marks', () => {
      assert.equal(classifyPage('<form action="https://n123.network-auth.com/splash/login"></form>', SITE).kind, 'captive-portal');
      assert.equal(classifyPage('<a href="http://192.168.1.1:1000/fgtauth?0123">x</a>', SITE).kind, 'captive-portal');
    });

    it('does not call a WordPress post about guest Wi-Fi a captive portal', () => {
      const html =
        '<html><head><meta name="generator" content="WordPress 6.8"></head><body><h1>Our hotel</h1><p>Guests get free Wi-Fi: accept the terms at the captive portal.</p></body></html>';
      assert.equal(classifyPage(html, 'https://hotel.example/').kind, 'wordpress');
    });

    it('does not call a normal page with one external link a login wall', () => {
      const html = '<html><head><title>Hi</title></head><body><p>Hello <a href="https://other.example/">there</a> <a href="/a">a</a> <a href="/b">b</a></p></body></html>';
      assert.equal(classifyPage(html, 'https://example.com/').kind, 'other');
    });

    it('calls a tiny page that links away to log in a login wall', () => {
      const html = '<html><body><p>You need to <a href="https://id.example.net/login">sign in</a>.</p></body></html>';
      assert.equal(classifyPage(html, 'https://example.com/').kind, 'login-wall-other-host');
    });

    it('collapses whitespace and cuts the excerpt, skipping scripts and styles', () => {
      const html = `<html><head><style>.a{}</style></head><body><script>var secret = 1;</script><p>a\n\n  b\t c</p><p>${'word '.repeat(200)}</p></body></html>`;
      const got = classifyPage(html, SITE);
      assert.ok(got.excerpt?.startsWith('a b c word word'));
      assert.ok((got.excerpt?.length ?? 0) <= EXCERPT_LENGTH);
      assert.ok(!got.excerpt?.includes('secret'));
    });

    it('gives other, without throwing, for empty and non-string input', () => {
      assert.deepEqual(classifyPage('', SITE), { kind: 'other' });
      assert.equal(classifyPage(undefined as unknown as string, 'not a url').kind, 'other');
      assert.equal(classifyPage('<form id="loginform">', 'not a url').kind, 'wp-login');
    });

    it('marks pages cut before parsing as truncated, and still classifies them', () => {
      const deep = `<html><body class="wp-admin">${'<div>'.repeat(5000)}x</body></html>`;
      const got = classifyPage(deep, SITE);
      assert.equal(got.kind, 'wp-admin');
      assert.equal(got.truncated, true);
      const huge = `<html><head><title>Big</title></head><body>${'a'.repeat(MAX_HTML_LENGTH)}</body></html>`;
      assert.equal(classifyPage(huge, SITE).truncated, true);
    });
  });

  describe('properties', () => {
    const tag = fc.constantFrom('div', 'p', 'a', 'form', 'input', 'body', 'title', 'center', 'address', 'script', 'table', 'td', 'b', 'meta', 'li');
    const attr = fc.constantFrom(
      '',
      ' id="loginform"',
      ' id="login_error"',
      ' class="wp-admin"',
      ' class="wp-die-message"',
      ' name="log"',
      ' type="password"',
      ' action="https://other.example/"',
      ' href="/wp-content/x.css"',
      ' http-equiv="refresh" content="0;url=https://x.example/"',
      ' name="generator" content="WordPress 6.8"',
      ' id="error-page"',
    );
    const text = fc.constantFrom('', 'hello', 'nginx', 'Apache/2.4', '401 Unauthorized', '&amp;', '<', '"', '\u0000', '\uD800');
    const fragment = fc
      .array(fc.tuple(tag, attr, text, fc.boolean()), { maxLength: 60 })
      .map((parts) => parts.map(([t, a, x, close]) => `<${t}${a}>${x}${close ? `</${t}>` : ''}`).join(''));
    const urls = fc.constantFrom(`${SITE}/`, 'https://example.com/wp-login.php?reauth=1', 'not a url', '');
    const kinds = new Set<string>([
      'wp-login',
      'wp-die',
      'wp-admin',
      'wordpress',
      'rest-json',
      'json',
      'apache-error',
      'nginx-error',
      'login-wall-other-host',
      'captive-portal',
      'xml',
      'other',
    ]);

    it('never throws and always returns a known kind and a bounded excerpt', () => {
      fc.assert(
        fc.property(fc.oneof(fragment, fc.string(), hostileString()), urls, fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }), (html, url, status) => {
          const got = classifyPage(html, url, status === undefined ? {} : { status });
          assert.ok(kinds.has(got.kind), got.kind);
          assert.ok((got.excerpt?.length ?? 0) <= EXCERPT_LENGTH);
          assert.ok((got.title?.length ?? 0) <= 200);
          assert.doesNotThrow(() => JSON.stringify(got));
        }),
        { numRuns: 400 },
      );
    });

    it('finishes quickly on hostile 16 KiB pages', () => {
      const n = 16 * 1024;
      const fill = (unit: string) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      const hostile = fc.oneof(
        fc.constantFrom(
          fill('<div>'),
          fill('<a>'),
          fill('<b><i>'),
          fill('<table><tr><td>'),
          fill('<select><option>'),
          fill('<'),
          fill('<!--'),
          fill('<a href="'),
          fill('<p class="wp-die-message">'),
          fill('<form><input type="password">'),
          fill('<center>'),
          fill('\u0000'),
          fill('\uD800'),
          fill('&amp;'),
          fill('<script>'),
          fill('{"code":"x",'),
        ),
        fc.string({ unit: fc.constantFrom('<', '>', '/', 'a', 'div', '"', '=', ' ', '!--', 'p'), minLength: n / 2, maxLength: n }),
      );
      let calls = 0;
      const stats = timed(() =>
        fc.assert(
          fc.property(hostile, (html) => {
            calls++;
            const t0 = performance.now();
            classifyPage(html, SITE);
            return performance.now() - t0 < 1000;
          }),
          { numRuns: 60 },
        ),
      );
      assert.ok(stats.ms / calls < 50, `average ${stats.ms / calls} ms per call`);
    });

    it('stays bounded on a 2 MiB page of nested tags', () => {
      const html = '<div><span>'.repeat(Math.floor(MAX_HTML_LENGTH / 11));
      const t0 = performance.now();
      const got = classifyPage(html, SITE);
      const ms = performance.now() - t0;
      assert.equal(got.truncated, true);
      assert.ok(ms < 3000, `${ms} ms`);
    });
  });
});
