// The real edge software of the test bed really does what its scenario files
// say, checked with plain HTTP (not wp401) plus the one thing HTTP cannot
// show: ModSecurity's audit log, and what PHP-FPM received behind nginx.
// The generic symptoms of these scenarios run in testbed-symptoms.test.ts.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetch } from 'undici';
import { modsecAuditLog } from '../../fixtures/testbed/edge.js';
import { caAgent } from '../../fixtures/testbed/testbed.js';
import { basic, Client, login, requireTestbed, resetScenario, scenario } from '../support/testbed.js';

/** The login form's GET and POST, the redirect not followed: a reauth=1 login page would clear the cookies again. */
async function postLogin(c: Client, base: string, user: string, password: string): Promise<void> {
  await (await c.get(new URL('wp-login.php', base).toString())).arrayBuffer();
  const form = new URLSearchParams({ log: user, pwd: password, 'wp-submit': 'Log In', testcookie: '1', redirect_to: new URL('wp-admin/', base).toString() });
  const res = await c.send('POST', new URL('wp-login.php', base).toString(), {}, form.toString());
  await res.arrayBuffer();
  assert.equal(res.status, 302, 'WordPress accepted the password');
}

/** A REST write as the block editor sends it (JSON), with the application password. */
async function restWrite(name: string): Promise<number> {
  const s = scenario(name);
  const res = await fetch(new URL('wp-json/wp/v2/posts', s.url), {
    method: 'POST',
    headers: { authorization: basic(s.adminUser, s.appPassword), 'content-type': 'application/json' },
    body: draft,
    dispatcher: caAgent(),
    signal: AbortSignal.timeout(20_000),
  });
  await res.arrayBuffer();
  return res.status;
}

const auditSize = () => (existsSync(modsecAuditLog()) ? statSync(modsecAuditLog()).size : 0);
const auditSince = (offset: number) => readFileSync(modsecAuditLog()).subarray(offset).toString('utf8');
/** ModSecurity writes its audit entry in Apache's logging phase, just after the answer went out. */
async function auditEntry(offset: number, re: RegExp): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const log = auditSince(offset);
    if (re.test(log)) return log;
    await sleep(50);
  }
  assert.fail(`no audit-log entry matching ${re} (got ${auditSince(offset).length} bytes)`);
}

/** A REST write the block editor makes: a draft whose content is block markup with a link. */
const draft = JSON.stringify({
  title: 'Hello from the editor',
  status: 'draft',
  content: '<!-- wp:paragraph --><p>Read <a href="https://wordpress.org/">the docs</a>.</p><!-- /wp:paragraph -->',
});

describe('test bed: the real edge software shows its mechanism', function () {
  this.timeout(60_000);
  before(requireTestbed);

  describe('Varnish', () => {
    after(() => resetScenario('varnish-caches-login'));

    it('varnish-caches-login: after a real login, /wp-admin/ is the cached anonymous redirect (a login loop)', async () => {
      const s = scenario('varnish-caches-login');
      const c = new Client();
      await postLogin(c, s.url, s.adminUser, s.adminPassword);
      const cookies = await c.jar.getCookies(new URL('wp-admin/', s.url).toString());
      assert.ok(cookies.some((k) => k.key.startsWith('wordpress_logged_in_')), 'the login post set the logged-in cookie (POST passes Varnish)');
      const admin = await c.get(new URL('wp-admin/', s.url).toString());
      await admin.arrayBuffer();
      assert.equal(admin.status, 302);
      assert.equal(admin.headers.get('x-cache'), 'HIT');
      assert.ok(Number(admin.headers.get('age')) >= 0 && admin.headers.get('via')?.includes('varnish'));
      assert.match(admin.headers.get('location') ?? '', /wp-login\.php\?redirect_to=.*reauth=1/);
    });

    it('varnish-strips-cookies: a cookie the browser does send never reaches WordPress either', async () => {
      const s = scenario('varnish-strips-cookies');
      const c = new Client();
      // The test cookie wp-login.php would have set, sent by hand: Varnish removes it from the request too.
      const form = new URLSearchParams({ log: s.adminUser, pwd: s.adminPassword, testcookie: '1', 'wp-submit': 'Log In' });
      const res = await c.send('POST', new URL('wp-login.php', s.url).toString(), { cookie: 'wordpress_test_cookie=WP%20Cookie%20check' }, form.toString());
      const body = await res.text();
      assert.equal(res.status, 200);
      assert.ok(body.includes('Cookies are blocked'), 'WordPress saw no test cookie');
      assert.deepEqual(c.setCookies, [], 'and no Set-Cookie came back');
    });
  });

  describe('ModSecurity + OWASP CRS', () => {
    after(() => resetScenario('modsec-crs-wordpress'));

    it('modsec-crs-blocks-login: the login post is answered 403 and the audit log names rule 931100', async () => {
      const s = scenario('modsec-crs-blocks-login');
      const from = auditSize();
      const res = await login(new Client(), s.url, s.adminUser, s.adminPassword);
      const body = await res.text();
      assert.equal(res.status, 403);
      assert.ok(!body.includes('wp-die-message'), "Apache's 403 page, not WordPress's");
      const log = await auditEntry(from, /\[id "931100"\][^\n]*\[uri "\/wp-login\.php"\]/);
      assert.match(log, /Access denied with code 403[^\n]*\[id "949110"\]/, 'blocked by the anomaly score');
      assert.ok(!log.includes(s.adminPassword), 'the password is not in the audit log');
    });

    it('modsec-crs-blocks-login: a REST write with block content is answered 403 by a CRS XSS rule', async () => {
      const from = auditSize();
      assert.equal(await restWrite('modsec-crs-blocks-login'), 403);
      await auditEntry(from, /\[id "941\d{3}"\][^\n]*ARGS:(?:json\.)?content[^\n]*\[uri "\/wp-json\/wp\/v2\/posts"\]/);
    });

    it('modsec-crs-wordpress: with the CRS WordPress exclusions the same login and REST write pass', async () => {
      const s = scenario('modsec-crs-wordpress');
      const from = auditSize();
      const res = await login(new Client(), s.url, s.adminUser, s.adminPassword);
      assert.ok((await res.text()).includes('id="adminmenu"'), 'the dashboard');
      assert.equal(await restWrite('modsec-crs-wordpress'), 201);
      assert.doesNotMatch(auditSince(from), new RegExp(`Host: 127\\.0\\.0\\.1:${new URL(s.url).port}|:${new URL(s.url).port}\\b[^\\n]*Access denied`));
    });
  });

  describe('nginx + PHP-FPM', () => {
    // A throwaway script in the docroot shows what PHP-FPM received; removed afterwards.
    const probe = async (name: string): Promise<{ header: string | null; user: string | null }> => {
      const s = scenario(name);
      const file = `wp401-edge-${randomBytes(6).toString('hex')}.php`;
      const path = join(s.docroot, file);
      writeFileSync(path, "<?php echo json_encode( array( 'header' => $_SERVER['HTTP_AUTHORIZATION'] ?? null, 'user' => $_SERVER['PHP_AUTH_USER'] ?? null ) );\n");
      chownSync(path, 33, 33);
      try {
        const res = await new Client().get(new URL(file, s.url).toString(), { authorization: basic('probe-user', 'not-a-secret') });
        assert.equal(res.status, 200);
        return (await res.json()) as { header: string | null; user: string | null };
      } finally {
        rmSync(path, { force: true });
      }
    };

    it('nginx-fpm-loses-authorization: PHP-FPM never receives the Authorization value', async () => {
      const seen = await probe('nginx-fpm-loses-authorization');
      assert.ok(!seen.header, `no Authorization value (saw ${JSON.stringify(seen.header)})`);
      assert.equal(seen.user, null);
    });

    it('nginx-fpm-healthy: PHP-FPM receives the header and PHP_AUTH_USER', async () => {
      assert.deepEqual(await probe('nginx-fpm-healthy'), { header: basic('probe-user', 'not-a-secret'), user: 'probe-user' });
    });
  });

  describe('multisite', () => {
    after(() => resetScenario('multisite-admin-cookie-path'));

    it('multisite-admin-cookie-path: one login opens the main dashboard but bounces on /second/wp-admin/', async () => {
      const s = scenario('multisite-admin-cookie-path');
      const main = new URL('/', s.url).toString();
      const c = new Client();
      await postLogin(c, s.url, s.adminUser, s.adminPassword);
      const second = await c.get(new URL('wp-admin/', s.url).toString());
      await second.arrayBuffer();
      assert.equal(second.status, 302);
      assert.match(second.headers.get('location') ?? '', /\/second\/wp-login\.php\?redirect_to=.*reauth=1/);
      const first = await c.get(new URL('wp-admin/', main).toString());
      assert.equal(first.status, 200);
      assert.ok((await first.text()).includes('id="adminmenu"'), "the main site's dashboard opens with the same cookies");
    });
  });
});
