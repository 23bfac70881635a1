// Rules for the edge software of the test bed (Varnish, multisite, nginx +
// PHP-FPM, ModSecurity + CRS), on recorded observations of healthy sites with
// the answers changed inline to the mechanism under test (each change is what
// that software does, named in the test). The live scans of the edge
// scenarios run in test/integration/scan-blackbox.test.ts and
// scan-bridge.test.ts. About 0.3 s.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../fixtures/testbed/paths.js';
import type { Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { UNEXPLAINED_REFUSAL_ID } from '../../../src/rules/auth.refused.unexplained.js';
import { judge } from '../../../src/scan.js';
import { MISSING_PHP_PATH } from '../../../src/observations/probe.js';

const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;
const errorsOf = (obs: Observations): Finding[] => judge(obs).findings.filter((f) => f.severity === 'error');

/** Varnish with `unset beresp.http.Set-Cookie` in vcl_backend_response: no answer carries a cookie; WordPress's login post then answers its test_cookie error. */
function stripSetCookie(obs: Observations, via: boolean): void {
  for (const p of obs.probes) {
    delete p.headers['set-cookie'];
    for (const h of p.chain) delete h.headers['set-cookie'];
    if (via) p.headers.via = ['1.1 varnish (Varnish/7.1)'];
  }
  assert.ok(obs.login);
  obs.login.outcome = 'cookies-blocked';
  obs.login.message = 'Error: Cookies are blocked or not supported by your browser. You must enable cookies to use WordPress.';
  obs.login.authCookiesSet = [];
  obs.login.authCookiesKept = [];
}

describe('rule edge.cookies.stripped', () => {
  it('login pages without any Set-Cookie behind Via: varnish, and the test_cookie error: edge, proxy Cookie, possible from outside', () => {
    const obs = load('healthy');
    stripSetCookie(obs, true);
    const f = errorsOf(obs).find((x) => x.id === 'edge.cookies.stripped');
    assert.ok(f, JSON.stringify(errorsOf(obs).map((x) => x.id)));
    assert.equal(f.layer, 'edge');
    assert.deepEqual(f.culprit, { kind: 'proxy', name: 'Cookie' });
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /via: 1\.1 varnish/);
    assert.ok(f.evidence.some((e) => e.kind === 'header' && e.name === 'via'));
    assert.equal(errorsOf(obs).find((x) => x.id === UNEXPLAINED_REFUSAL_ID), undefined, 'the failed login is explained');
  });

  it('with the ledger (the login page reached PHP, the post arrived with no cookie): likely, citing both entries', () => {
    const obs = load('bridge/healthy');
    stripSetCookie(obs, true);
    const f = errorsOf(obs).find((x) => x.id === 'edge.cookies.stripped');
    assert.ok(f);
    assert.equal(f.confidence, 'likely');
    assert.ok(f.evidence.filter((e) => e.kind === 'bridge' && e.fact.startsWith('ledger.')).length >= 1);
    assert.match(f.explanation, /reached PHP/);
  });

  it('without proxy marks it names no culprit and lists the candidates', () => {
    const obs = load('healthy');
    stripSetCookie(obs, false);
    const f = errorsOf(obs).find((x) => x.id === 'edge.cookies.stripped');
    assert.ok(f);
    assert.equal(f.culprit, null);
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /Header unset Set-Cookie/);
  });

  it('stays quiet where the login page sets its cookie (proxy-strips-cookies drops only the request Cookie; healthy)', () => {
    for (const name of ['proxy-strips-cookies', 'bridge/proxy-strips-cookies', 'healthy', 'cached-login']) {
      assert.equal(
        judge(load(name)).findings.find((x) => x.id === 'edge.cookies.stripped'),
        undefined,
        name,
      );
    }
  });
});

/**
 * wp-config.php defines ADMIN_COOKIE_PATH as a path that does not cover the
 * admin WordPress sends the login to (a subdirectory network's /second/wp-admin/
 * with the single-site /wp-admin): the login's 302 sets the auth cookie there,
 * /second/wp-admin/ answers auth_redirect()'s 302 back to the login form.
 */
function scopeAuthCookieAway(obs: Observations): Probe {
  assert.ok(obs.login);
  const post = obs.probes.find((p) => p.id === obs.login?.probe) as Probe;
  const base = new URL(obs.target);
  const admin = new URL('second/wp-admin/', base).toString();
  const hash = 'e2d5f548cd4b4b11e152f51e51275118';
  post.chain = [
    {
      url: new URL('second/wp-login.php', base).toString(),
      status: 302,
      location: admin,
      headers: {
        'set-cookie': [`wordpress_${hash}=x; path=/second/wp-content/plugins; HttpOnly`, `wordpress_${hash}=x; path=/wp-admin; HttpOnly`, `wordpress_logged_in_${hash}=x; path=/; HttpOnly`],
        location: [admin],
      },
      timingMs: 5,
    },
    { url: admin, status: 302, location: new URL('second/wp-login.php?reauth=1', base).toString(), headers: {}, timingMs: 5 },
    { url: new URL('second/wp-login.php', base).toString(), status: 200, headers: {}, timingMs: 5 },
  ];
  obs.login.outcome = 'loop';
  return post;
}

describe('rule browser.cookie.admin-path', () => {
  it('an auth cookie whose Path does not cover the admin the login was sent to: browser, wp-config ADMIN_COOKIE_PATH, with the cookies as evidence', () => {
    const obs = load('healthy');
    const post = scopeAuthCookieAway(obs);
    const f = errorsOf(obs).find((x) => x.id === 'browser.cookie.admin-path');
    assert.ok(f, JSON.stringify(errorsOf(obs).map((x) => x.id)));
    assert.equal(f.layer, 'browser');
    assert.deepEqual(f.culprit, { kind: 'wp-config', name: 'ADMIN_COOKIE_PATH' });
    assert.ok(f.evidence.some((e) => e.kind === 'cookie' && e.probe === post.id && /path \/wp-admin\b/.test(e.reason)));
    assert.match(f.explanation, /\/second\/wp-admin\//);
    assert.match(f.explanation, /sent the login back to the form/);
    assert.equal(errorsOf(obs).find((x) => x.id === UNEXPLAINED_REFUSAL_ID), undefined);
  });

  it("with the companion plugin the constant's value is cited", () => {
    const obs = load('bridge/healthy');
    scopeAuthCookieAway(obs);
    const f = errorsOf(obs).find((x) => x.id === 'browser.cookie.admin-path');
    assert.ok(f);
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && e.fact === 'cookies.adminPath' && e.value === '/wp-admin'));
    assert.match(f.explanation, /ADMIN_COOKIE_PATH = "\/wp-admin"/);
  });

  it('stays quiet when the path covers the admin (every recorded healthy login)', () => {
    for (const name of ['healthy', 'healthy-https', 'bridge/healthy', 'cookie-domain-mismatch', 'proxy-strips-cookies']) {
      assert.equal(
        judge(load(name)).findings.find((x) => x.id === 'browser.cookie.admin-path'),
        undefined,
        name,
      );
    }
  });
});

const APACHE_403 = { bytes: 199, truncated: false, contentType: 'text/html; charset=iso-8859-1', title: '403 Forbidden', pageKind: 'apache-error' as const, excerpt: "Forbidden You don't have permission to access this resource." };

/** ModSecurity + CRS 931100: the login form with redirect_to=https://<IP>/… and the login post answered 403 by Apache before PHP. */
function wafOnLogin(obs: Observations): { post: Probe; form: Probe } {
  assert.ok(obs.login);
  const post = obs.probes.find((p) => p.id === obs.login?.probe) as Probe;
  const base = new URL(obs.target);
  const formUrl = new URL(`wp-login.php?redirect_to=${encodeURIComponent(new URL('wp-admin/', base).toString())}&reauth=1`, base).toString();
  post.status = 403;
  post.finalUrl = post.url;
  post.chain = [{ url: post.url, status: 403, headers: { server: ['Apache/2.4.71 (Debian)'] }, timingMs: 3 }];
  post.body = { ...APACHE_403 };
  const form = obs.probes.find((p) => p.auth === 'none' && new URL(p.url).pathname.endsWith('/wp-admin/')) as Probe;
  assert.ok(form, 'the anonymous /wp-admin/ probe');
  form.status = 403;
  form.finalUrl = formUrl;
  form.chain = [{ ...(form.chain[0] as Probe['chain'][number]), status: 302, location: formUrl }, { url: formUrl, status: 403, headers: {}, timingMs: 3 }];
  form.body = { ...APACHE_403 };
  obs.login.outcome = 'blocked';
  return { post, form };
}

describe('rule edge.waf.content-filter', () => {
  it('the login form with an IP-address redirect_to and the login post refused by the server while plain wp-login.php passes: edge, a WAF, CRS 931100 named', () => {
    const obs = load('healthy');
    const { post, form } = wafOnLogin(obs);
    const errors = errorsOf(obs);
    const f = errors.find((x) => x.id === 'edge.waf.content-filter');
    assert.ok(f, JSON.stringify(errors.map((x) => x.id)));
    assert.equal(f.layer, 'edge');
    assert.deepEqual(f.culprit, { kind: 'proxy', name: 'WAF' });
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /931100/);
    assert.match(f.explanation, /cannot be told whether/);
    for (const p of [post, form]) assert.ok(f.evidence.some((e) => e.kind === 'probe' && e.probe === p.id));
    assert.equal(errors.find((x) => x.id === 'wordpress.login.blocked'), undefined, 'not blamed on a wp-login.php rule');
    assert.equal(errors.find((x) => x.id === UNEXPLAINED_REFUSAL_ID), undefined);
  });

  it('with the ledger (the post never reached PHP; PHP runs in the Apache that answered): server-config ModSecurity, still possible', () => {
    const obs = load('bridge/healthy');
    const { post } = wafOnLogin(obs);
    assert.ok(obs.bridge?.ledger);
    obs.bridge.ledger[post.id] = null;
    const f = errorsOf(obs).find((x) => x.id === 'edge.waf.content-filter');
    assert.ok(f);
    assert.deepEqual(f.culprit, { kind: 'server-config', name: 'ModSecurity' });
    assert.equal(f.confidence, 'possible');
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && e.fact === `ledger.${post.id}`));
    assert.match(f.explanation, /RewriteCond/);
  });

  it('a deny on the path itself (plain wp-login.php refused too) is not a content filter', () => {
    const obs = load('healthy');
    wafOnLogin(obs);
    for (const p of obs.probes.filter((x) => x.method === 'GET' && new URL(x.url).pathname.endsWith('/wp-login.php'))) {
      p.status = 403;
      p.body = { ...APACHE_403 };
    }
    const errors = errorsOf(obs);
    assert.equal(errors.find((x) => x.id === 'edge.waf.content-filter'), undefined);
    assert.ok(errors.find((x) => x.id === 'wordpress.login.blocked'));
  });
});

/** The probe for a PHP file that does not exist (gather/core.ts), answered as `kind` says. */
function missingPhp(obs: Observations, kind: 'nginx' | 'wordpress'): Probe {
  const home = obs.probes.find((p) => p.auth === 'none' && p.method === 'GET' && p.status === 200) as Probe;
  const url = new URL(MISSING_PHP_PATH, obs.target).toString();
  const p: Probe = {
    ...home,
    id: 'p999',
    source: 'core',
    url,
    finalUrl: url,
    status: 404,
    chain: [{ url, status: 404, headers: { server: ['nginx/1.22.1'] }, timingMs: 2 }],
    headers: { server: ['nginx/1.22.1'], 'content-type': ['text/html'] },
    body:
      kind === 'nginx'
        ? { bytes: 153, truncated: false, contentType: 'text/html', title: '404 Not Found', pageKind: 'nginx-error', excerpt: '404 Not Found nginx/1.22.1' }
        : { bytes: 9000, truncated: false, contentType: 'text/html; charset=UTF-8', title: 'Page not found – site', pageKind: 'wordpress' },
  };
  obs.probes.push(p);
  return p;
}

describe('rule rest.app-password.authorization-stripped behind nginx', () => {
  it('nginx answering a missing .php itself (it runs PHP through FastCGI), no proxy marks: server, fastcgi_param, possible, the proxy alternative named', () => {
    const obs = load('proxy-strips-authorization');
    const p = missingPhp(obs, 'nginx');
    const f = errorsOf(obs).find((x) => x.id === 'rest.app-password.authorization-stripped');
    assert.ok(f);
    assert.equal(f.layer, 'server');
    assert.deepEqual(f.culprit, { kind: 'server-config', name: 'fastcgi_param' });
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /proxy_set_header Authorization/);
    assert.ok(f.evidence.some((e) => e.kind === 'probe' && e.probe === p.id));
    assert.ok(!f.fixes.some((x) => /CGIPassAuth/.test(x)), "Apache's directive is not a fix on nginx");
  });

  it('nginx handing a missing .php to WordPress (rewritten to another server behind it): still the proxy in front', () => {
    const obs = load('proxy-strips-authorization');
    missingPhp(obs, 'wordpress');
    const f = errorsOf(obs).find((x) => x.id === 'rest.app-password.authorization-stripped');
    assert.ok(f);
    assert.equal(f.layer, 'edge');
    assert.deepEqual(f.culprit, { kind: 'proxy', name: 'Authorization' });
  });

  it('with the bridge: PHP-FPM under nginx (SERVER_SOFTWARE) and the ledger (no Authorization arrived) → fastcgi_param, not CGIPassAuth', () => {
    const obs = load('bridge/fpm-strips-authorization');
    const env = obs.bridge?.environment;
    assert.ok(env);
    env.server.software = 'nginx/1.22.1';
    for (const p of obs.probes) p.headers.server = ['nginx/1.22.1'];
    missingPhp(obs, 'nginx');
    const f = errorsOf(obs).find((x) => x.id === 'rest.app-password.authorization-stripped');
    assert.ok(f);
    assert.deepEqual(f.culprit, { kind: 'server-config', name: 'fastcgi_param' });
    assert.equal(f.confidence, 'likely');
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && e.fact === 'server.software' && e.value === 'nginx/1.22.1'));
  });
});
