// Rules whose causes the test bed does not stage, on recorded observations
// changed in one place each (positive), and the unchanged recording (negative).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;
const ids = (obs: Observations) => runRules(RULES, obs).map((f) => f.id);
const byId = (obs: Observations, id: string) => runRules(RULES, obs).find((f) => f.id === id) as Finding;
const probeAt = (obs: Observations, suffix: string, auth: Probe['auth'] = 'none') => obs.probes.find((p) => p.auth === auth && p.url.endsWith(suffix)) as Probe;

describe('rules on changed recordings', () => {
  it('clock skew: quiet at 1 s, a warning at 10 min, an error at 2 h', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('wordpress.clock.skew'));
    (obs.clock as NonNullable<Observations['clock']>).skewMs = 10 * 60_000;
    assert.equal(byId(obs, 'wordpress.clock.skew').severity, 'warning');
    (obs.clock as NonNullable<Observations['clock']>).skewMs = -2 * 3600_000;
    assert.equal(byId(obs, 'wordpress.clock.skew').severity, 'error');
    assert.match(byId(obs, 'wordpress.clock.skew').title, /behind/);
  });

  it('431 from nginx: header size limit, with the nginx directive', () => {
    const obs = load('proxy-strips-authorization');
    assert.ok(!ids(obs).includes('edge.headers.too-large'));
    const p = probeAt(obs, '/wp-admin/');
    p.status = 431;
    const f = byId(obs, 'edge.headers.too-large');
    assert.equal(f.layer, 'edge');
    assert.ok(f.fixes.some((x) => x.includes('large_client_header_buffers')));
  });

  it('403 for an authenticated user: says 403 is not 401 (missing capability)', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('wordpress.rest.forbidden'));
    const p = obs.probes.find((x) => x.auth === 'app-password' && x.url.includes('context=edit')) as Probe;
    p.status = 403;
    p.body = { bytes: 10, truncated: false, restError: { code: 'rest_forbidden_context', message: 'Sorry', status: 403 } };
    const f = byId(obs, 'wordpress.rest.forbidden');
    assert.match(f.explanation, /403 is not a 401/);
  });

  it('SameSite=None without Secure on the login cookie', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('browser.cookie.samesite-none-insecure'));
    const p = probeAt(obs, '/wp-login.php');
    p.chain[p.chain.length - 1]?.headers['set-cookie']?.push('wordpress_logged_in_abc=[redacted]; path=/; SameSite=None; HttpOnly');
    assert.equal(byId(obs, 'browser.cookie.samesite-none-insecure').layer, 'browser');
  });

  it('a REST index whose home is another host: wrong origin / stale DNS', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('network.wrong-origin'));
    (obs.discovery.restIndex as NonNullable<Observations['discovery']['restIndex']>).home = 'https://www.example.org';
    assert.equal(byId(obs, 'network.wrong-origin').layer, 'network');
  });

  it('a captive portal page', () => {
    const obs = load('healthy');
    const p = probeAt(obs, ':8401/');
    (p.body as NonNullable<Probe['body']>).pageKind = 'captive-portal';
    assert.equal(byId(obs, 'network.captive-portal').layer, 'network');
  });

  it('401 on the home page with a Bearer challenge behind a CDN: an edge access rule', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('edge.auth.public-path'));
    for (const p of obs.probes) p.headers['cf-ray'] = ['8f0000000000-AMS'];
    const p = probeAt(obs, ':8401/');
    p.status = 401;
    p.headers['www-authenticate'] = ['Bearer realm="access"'];
    (p.body as NonNullable<Probe['body']>).pageKind = 'other';
    const f = byId(obs, 'edge.auth.public-path');
    assert.equal(f.layer, 'edge');
  });

  it('wrong password: WordPress layer, credential culprit', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('wordpress.login.wrong-credentials'));
    (obs.login as NonNullable<Observations['login']>).outcome = 'wrong-credentials';
    const f = byId(obs, 'wordpress.login.wrong-credentials');
    assert.equal(f.layer, 'wordpress');
    assert.equal(f.culprit?.kind, 'credential');
  });

  it('login POST refused with 403 by a non-WordPress page behind a proxy: WAF at the edge', () => {
    const obs = load('proxy-strips-authorization');
    const login = obs.login as NonNullable<Observations['login']>;
    login.outcome = 'blocked';
    const post = obs.probes.find((p) => p.id === login.probe) as Probe;
    post.status = 403;
    (post.body as NonNullable<Probe['body']>).pageKind = 'nginx-error';
    const f = byId(obs, 'wordpress.login.blocked');
    assert.equal(f.layer, 'edge');
    assert.match(f.explanation, /not "who are you\?"/);
  });

  it('/wp-json/ 404: not a 401', () => {
    const obs = load('healthy');
    assert.ok(!ids(obs).includes('wordpress.rest.not-found'));
    for (const p of obs.probes) if (p.url.endsWith('/wp-json/') && p.auth === 'none') p.status = 404;
    assert.match(byId(obs, 'wordpress.rest.not-found').explanation, /404 is not a 401/);
  });

  it('the origin answering 200 to the same request decides the edge (--origin)', () => {
    const obs = load('fpm-strips-authorization');
    assert.equal(byId(obs, 'rest.app-password.authorization-stripped').layer, 'server');
    const me = probeAt(obs, '/wp-json/wp/v2/users/me', 'app-password');
    obs.probes.push({ ...me, id: 'p999', source: 'origin', status: 200, body: { bytes: 2, truncated: false, pageKind: 'json' } });
    const f = byId(obs, 'rest.app-password.authorization-stripped');
    assert.equal(f.layer, 'edge');
    assert.ok(f.evidence.some((e) => e.kind === 'probe' && e.probe === 'p999'));
  });

  it('application passwords off on a plain-http public host: WordPress (needs HTTPS), not a plugin', () => {
    const obs = load('app-passwords-disabled-by-plugin');
    // without the logged-in profile page, which tells core's rule from a plugin's filter (credentials.test.ts)
    obs.probes = obs.probes.filter((p) => !p.url.endsWith('/wp-admin/profile.php'));
    obs.target = 'http://blog.example.org/';
    for (const p of obs.probes) {
      p.url = p.url.replace(/^http:\/\/127\.0\.0\.1:\d+\//, 'http://blog.example.org/');
      p.finalUrl = p.url;
    }
    const f = byId(obs, 'wordpress.app-passwords.unavailable');
    assert.equal(f.layer, 'wordpress');
    assert.ok(!ids(obs).includes('plugin.app-passwords.disabled'));
  });

  it('no credentials given: an info note, no error', () => {
    const obs = load('healthy');
    obs.credentials = { user: false, password: false, appPassword: false, siteBasic: false, bridgeKey: false };
    obs.login = null;
    obs.probes = obs.probes.filter((p) => p.auth === 'none');
    const f = runRules(RULES, obs);
    assert.deepEqual(f.filter((x) => x.severity === 'error'), []);
    assert.ok(f.some((x) => x.id === 'scan.credentials.missing' && x.severity === 'info'));
  });

  it('a rule never crashes on empty observations', () => {
    const obs = load('healthy');
    obs.probes = [];
    obs.discovery.restIndex = null;
    obs.clock = null;
    const f = runRules(RULES, obs);
    assert.ok(!f.some((x) => x.id === 'wp401.rule-crashed'), JSON.stringify(f));
  });
});
