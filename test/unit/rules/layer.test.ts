// Telling the web server from PHP from a plugin (issue 16, classes 1 and 2)
// on observations recorded from the test bed, and on variants of them that
// change one mark at a time: who wrote a 401's challenge, what a lock with a
// REST exemption leaves open, and when a REST refusal is a wall for everyone.
// No network; about 0.3 s.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answeredBy, challengeFrom, WP_NOCACHE_EXPIRES } from '../../../src/facts/answered-by.js';
import type { Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string, bridge = false) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', ...(bridge ? ['bridge'] : []), `${name}.json`), 'utf8')) as Observations;
const clone = <T>(x: T): T => structuredClone(x);
const errors = (o: Observations) => runRules(RULES, o).filter((f) => f.severity === 'error');
const byId = (o: Observations, id: string) => errors(o).find((f) => f.id === id);
const first401 = (o: Observations) => o.probes.find((p) => p.auth === 'none' && p.status === 401 && p.headers['www-authenticate']) as Probe;
const cited = (f: Finding) => f.evidence.flatMap((e) => (e.kind === 'probe' ? [e] : []));

describe('who wrote the answer: web server or PHP (facts/answered-by.ts)', () => {
  it("Apache's own 401 page is the server's; the PHP lock's wp_die() 401 is PHP's", () => {
    const apache = first401(load('staging-lock'));
    assert.equal(answeredBy(apache).by, 'server');
    assert.equal(challengeFrom(apache, undefined), 'server');
    const php = first401(load('php-staging-lock'));
    const seen = answeredBy(php);
    assert.equal(seen.by, 'php');
    assert.ok(seen.marks.some((m) => m.includes('wp_die()')) && seen.marks.some((m) => m.includes(WP_NOCACHE_EXPIRES)), seen.marks.join('; '));
  });

  it('a page with no mark of either is unknown; the ledger decides over the marks', () => {
    const bare: Pick<Probe, 'headers' | 'body'> = { headers: { 'www-authenticate': ['Basic realm="x"'] }, body: { bytes: 12, truncated: false, pageKind: 'other' } };
    assert.equal(answeredBy(bare).by, 'unknown');
    assert.equal(challengeFrom(bare, true), 'php');
    assert.equal(challengeFrom(first401(load('php-staging-lock')), false), 'server');
  });

  it('each PHP mark alone is enough: X-Powered-By, a WordPress cookie, X-Redirect-By', () => {
    const h = (headers: Record<string, string[]>) => answeredBy({ headers, body: { bytes: 0, truncated: false } }).by;
    assert.equal(h({ 'x-powered-by': ['PHP/8.2.20'] }), 'php');
    assert.equal(h({ 'set-cookie': ['wordpress_test_cookie=[redacted]; path=/'] }), 'php');
    assert.equal(h({ 'x-redirect-by': ['WordPress'] }), 'php');
    assert.equal(h({ expires: ['Thu, 01 Jan 1970 00:00:00 GMT'] }), 'unknown');
  });
});

describe('a Basic lock sent from PHP (class 1)', () => {
  it('php-staging-lock black box: a plugin, unnamed, possible — and no .htaccess finding', () => {
    const o = load('php-staging-lock');
    const f = byId(o, 'plugin.basic-auth.php-lock') as Finding;
    assert.equal(f.layer, 'plugin');
    assert.deepEqual(f.culprit, { kind: 'plugin', name: 'unknown' });
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /wp_die\(\) page/);
    assert.ok(!errors(o).some((x) => x.culprit?.kind === 'htaccess' || x.layer === 'server'), JSON.stringify(errors(o).map((x) => [x.id, x.layer])));
    assert.ok(f.fixes.every((x) => !/AuthType|\.htaccess/.test(x)), 'no .htaccess fix');
  });

  it('php-staging-lock with the bridge: the ledger names the plugin that set the 401 and called wp_die()', () => {
    const f = byId(load('php-staging-lock', true), 'plugin.basic-auth.php-lock') as Finding;
    assert.equal(f.culprit?.name, 'fixture-staging-lock');
    assert.equal(f.confidence, 'confirmed');
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && /^ledger\.p\d+\.stop$/.test(e.fact)));
  });

  it('the same 401 as Apache would send it (its error page, no WordPress mark) stays the server\'s .htaccess lock', () => {
    const o = clone(load('php-staging-lock'));
    for (const p of o.probes.filter((x) => x.headers['www-authenticate'])) {
      delete p.headers.expires;
      p.body = { bytes: 421, truncated: false, pageKind: 'apache-error' };
    }
    assert.equal(byId(o, 'plugin.basic-auth.php-lock'), undefined);
    assert.equal(byId(o, 'server.basic-auth.site-lock')?.culprit?.kind, 'htaccess');
    assert.equal(byId(o, 'server.basic-auth.app-password-collision')?.layer, 'server');
  });

  for (const bridge of [false, true]) {
    it(`php-staging-lock-rest-open${bridge ? ' with the bridge' : ''}: no finding says a request that passed was refused`, () => {
      const o = load('php-staging-lock-rest-open', bridge);
      const me = o.probes.find((p) => p.auth === 'app-password' && p.url.endsWith('/wp-json/wp/v2/users/me')) as Probe;
      assert.equal(me.status, 200, 'the exemption lets the application password through');
      for (const f of errors(o)) {
        for (const e of cited(f)) {
          const p = o.probes.find((x) => x.id === e.probe) as Probe;
          if (p.status >= 200 && p.status < 300) assert.match(e.note ?? '', /passed|no challenge/, `${f.id} cites ${p.id} (${p.status}) as: ${e.note}`);
          if (/(with a Basic challenge, answered by PHP|the lock's challenge)$/.test(e.note ?? '')) assert.equal(p.status, 401, `${f.id}: ${e.note}`);
        }
      }
      const collision = byId(o, 'server.basic-auth.app-password-collision') as Finding;
      assert.equal(collision.layer, 'plugin');
      assert.match(collision.explanation, /except where the lock lets requests through to WordPress: [^.]*users\/me → 200/);
      const lock = byId(o, 'plugin.basic-auth.php-lock') as Finding;
      assert.match(lock.explanation, /The lock leaves some requests to WordPress: [^.]*\/wp-json\/wp\/v2\/users\/me/);
      assert.ok(!errors(o).some((f) => f.id === 'auth.refused.unexplained'), 'the refused REST index is explained');
    });
  }
});

describe('REST refused for everyone with a wp_die() page (class 2)', () => {
  it('rest-wall black box: a plugin, unnamed, possible; it cites the application-password requests', () => {
    const o = load('rest-wall');
    const f = byId(o, 'plugin.rest.refused-for-everyone') as Finding;
    assert.deepEqual(f.culprit, { kind: 'plugin', name: 'unknown' });
    assert.equal(f.confidence, 'possible');
    const app = o.probes.filter((p) => p.auth === 'app-password' && p.url.includes('/wp-json/'));
    assert.ok(app.length > 0 && app.every((p) => cited(f).some((e) => e.probe === p.id)), 'every application-password REST request is evidence');
    assert.match(f.explanation, /The REST API is disabled on this site\./);
    assert.equal(byId(o, 'auth.refused.unexplained'), undefined);
  });

  it('rest-wall with the bridge: the ledger names fixture-rest-wall', () => {
    const f = byId(load('rest-wall', true), 'plugin.rest.refused-for-everyone') as Finding;
    assert.equal(f.culprit?.name, 'fixture-rest-wall');
    assert.equal(f.confidence, 'confirmed');
  });

  it('one REST request answered by the REST server (JSON) means no wall for everyone', () => {
    const o = clone(load('rest-wall'));
    const me = o.probes.find((p) => p.auth === 'app-password' && p.url.endsWith('/wp-json/wp/v2/users/me')) as Probe;
    me.status = 200;
    me.body = { bytes: 300, truncated: false, pageKind: 'rest-json', contentType: 'application/json' };
    assert.equal(byId(o, 'plugin.rest.refused-for-everyone'), undefined);
  });

  it("a 403 from the web server's own page is not this plugin wall", () => {
    const o = clone(load('rest-wall'));
    for (const p of o.probes.filter((x) => x.body?.pageKind === 'wp-die')) {
      p.body = { bytes: 300, truncated: false, pageKind: 'apache-error' };
      delete p.headers.expires;
    }
    assert.equal(byId(o, 'plugin.rest.refused-for-everyone'), undefined);
  });
});

describe("the staging lock's Basic credentials taken for a WordPress login (class 3)", () => {
  it('black box: REST 500 invalid_username with only the lock\'s credentials → a plugin, unnamed, possible', () => {
    const o = load('staging-lock-rest-basic-plugin');
    const f = byId(o, 'plugin.rest.basic-credentials-as-login') as Finding;
    assert.deepEqual(f.culprit, { kind: 'plugin', name: 'unknown' });
    assert.equal(f.confidence, 'possible');
    const refused = cited(f).map((e) => o.probes.find((p) => p.id === e.probe) as Probe).filter((p) => p.status >= 400);
    assert.ok(refused.length > 0 && refused.every((p) => p.auth === 'basic-site' && p.status === 500 && p.body?.restError?.code === 'invalid_username'));
    // the same site without that plugin: no such finding
    assert.equal(byId(load('staging-lock'), 'plugin.rest.basic-credentials-as-login'), undefined);
  });

  it('with the bridge: the callback that handed the error to the REST API names the plugin (not core, where the error was born)', () => {
    const f = byId(load('staging-lock-rest-basic-plugin', true), 'plugin.rest.basic-credentials-as-login') as Finding;
    assert.equal(f.culprit?.name, 'fixture-json-basic-auth');
    assert.equal(f.confidence, 'confirmed');
    const ev = f.evidence.find((e) => e.kind === 'bridge' && /\.authError$/.test(e.fact));
    assert.deepEqual(ev && ev.kind === 'bridge' && ev.value, {
      code: 'invalid_username',
      origin: 'wp_authenticate_username_password',
      callback: 'fixture_json_basic_auth_error',
      hook: 'rest_authentication_errors',
      plugin: 'fixture-json-basic-auth',
      authorizationHeader: true,
    });
  });

  it('a 401 with the same code may be core\'s application-password check as well: both are named', () => {
    const o = clone(load('staging-lock-rest-basic-plugin'));
    for (const p of o.probes.filter((x) => x.status === 500)) p.status = 401;
    const f = byId(o, 'plugin.rest.basic-credentials-as-login') as Finding;
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /WordPress core's application-password check/);
  });
});

describe('a Basic challenge on an answer that is not a 401 (class 10)', () => {
  it('black box: the default crawl reaches the locked folder; ErrorDocument 401 named as possible, with the other candidate', () => {
    const o = load('errordocument-401-missing');
    const folder = o.probes.find((p) => p.source === 'crawl' && p.auth === 'none' && new URL(p.url).pathname === '/reports/');
    assert.ok(folder, 'the crawl reached /reports/ (linked from the About page)');
    assert.equal(folder.status, 404);
    const f = byId(o, 'server.basic-auth.error-document') as Finding;
    assert.equal(f.layer, 'server');
    assert.deepEqual(f.culprit, { kind: 'htaccess', name: 'ErrorDocument 401' });
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /a plugin or script that sends WWW-Authenticate without the 401/);
    assert.ok(cited(f).some((e) => e.probe === folder.id));
  });

  it("with the bridge: the docroot's .htaccess line ErrorDocument 401", () => {
    const f = byId(load('errordocument-401-missing', true), 'server.basic-auth.error-document') as Finding;
    assert.equal(f.culprit?.file, '.htaccess');
    assert.equal(f.confidence, 'likely');
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && JSON.stringify(e.value).includes('ErrorDocument 401 /errors/401.html')));
  });
});

describe('a Basic 401 with no mark of either the server or WordPress', () => {
  it('the .htaccess lock stays a candidate, but only possible, and the PHP lock is named as the other one', () => {
    const o = clone(load('php-staging-lock'));
    for (const p of o.probes.filter((x) => x.headers['www-authenticate'])) {
      delete p.headers.expires;
      p.body = { bytes: 12, truncated: false, pageKind: 'other', excerpt: 'Unauthorized' };
    }
    assert.equal(byId(o, 'plugin.basic-auth.php-lock'), undefined);
    const f = byId(o, 'server.basic-auth.site-lock') as Finding;
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /a plugin sending the challenge from PHP/);
    assert.equal(byId(load('staging-lock'), 'server.basic-auth.site-lock')?.confidence, 'likely', "Apache's own 401 page names the server");
  });
});
