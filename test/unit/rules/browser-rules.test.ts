// The browser rules on observations recorded from the test bed with a real
// Chromium (test/fixtures/observations/browser/, re-record with
// record-browser.ts): positive and negative cases per scenario.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../fixtures/testbed/paths.js';
import type { Finding } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { browserAdminRule } from '../../../src/rules/browser.admin.js';
import { browserCookieLostRule } from '../../../src/rules/browser.login.cookie-lost.js';
import { browserLoginRule } from '../../../src/rules/browser.login.js';
import { browserNonceRule } from '../../../src/rules/wordpress.rest.nonce.js';
import { runRules } from '../../../src/rules/runner.js';

const RULES = [browserCookieLostRule, browserLoginRule, browserAdminRule, browserNonceRule];

function recorded(name: string): Observations {
  return JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', 'browser', `${name}.json`), 'utf8')) as Observations;
}

function judge(obs: Observations): Finding[] {
  return runRules(RULES, obs);
}

describe('browser rules on recorded browser sessions', () => {
  it('healthy: the login sticks, the admin opens, REST with a nonce works — no finding', () => {
    const obs = recorded('healthy');
    assert.equal(obs.browser?.login.outcome, 'success');
    assert.deepEqual(judge(obs), []);
  });

  it('cookie-domain-mismatch: browser-layer error naming the refused cookies and COOKIE_DOMAIN', () => {
    const f = judge(recorded('cookie-domain-mismatch')).filter((x) => x.severity === 'error');
    const lost = f.find((x) => x.id === 'browser.login.cookie-lost');
    assert.ok(lost);
    assert.equal(lost.layer, 'browser');
    assert.deepEqual(lost.culprit, { kind: 'wp-config', name: 'COOKIE_DOMAIN' });
    const cookies = lost.evidence.filter((e) => e.kind === 'cookie');
    assert.ok(cookies.some((e) => e.kind === 'cookie' && e.name.startsWith('wordpress_logged_in_') && /domain/.test(e.reason)));
  });

  it('https-secure-cookie: a Secure cookie over http, blamed on the forced HTTPS in wp-config', () => {
    const f = judge(recorded('https-secure-cookie'));
    const lost = f.find((x) => x.id === 'browser.login.cookie-lost' && x.culprit?.name === 'HTTPS');
    assert.ok(lost, JSON.stringify(f.map((x) => [x.id, x.culprit])));
    assert.equal(lost.severity, 'error');
    assert.equal(lost.layer, 'browser');
    assert.ok(lost.evidence.some((e) => e.kind === 'cookie' && e.name === 'wordpress_test_cookie' && /secure/.test(e.reason)));
  });

  it('cached-login: the login cookie never set because the answer came from a cache', () => {
    const f = judge(recorded('cached-login'));
    const cached = f.find((x) => x.id === 'browser.login.cookie-lost' && x.layer === 'browser' && x.culprit?.name === 'wordpress_test_cookie');
    assert.ok(cached);
    assert.equal(cached.severity, 'warning', 'the error itself belongs to the cache rule');
    assert.ok(!f.some((x) => x.layer === 'edge'), 'no proxy blamed for what the cache did');
    assert.ok(cached.evidence.some((e) => e.kind === 'cookie' && e.name === 'wordpress_test_cookie' && /served-from-cache/.test(e.reason)));
  });

  it('proxy-strips-cookies: sent by the browser, never received: the edge', () => {
    const f = judge(recorded('proxy-strips-cookies'));
    const edge = f.find((x) => x.id === 'browser.login.cookie-lost' && x.layer === 'edge');
    assert.ok(edge);
    assert.deepEqual(edge.culprit, { kind: 'proxy', name: 'Cookie' });
  });

  it('expired-nonce: the nonce is refused; with the bridge reporting a short nonce_life the finding names it', () => {
    const obs = recorded('expired-nonce');
    const f = judge(obs).find((x) => x.id.startsWith('wordpress.rest.nonce'));
    assert.ok(f, 'a nonce finding');
    assert.equal(f.severity, 'error');
    const env = (obs.bridge?.environment ?? {}) as { wordpress?: { nonceLife?: number } };
    if (typeof env.wordpress?.nonceLife === 'number') {
      assert.equal(f.id, 'wordpress.rest.nonce-expires-early');
      assert.ok(f.title.includes(`${env.wordpress.nonceLife} s`));
    }
  });

  it('a wrong password is a credential finding, not a crash', () => {
    const obs = recorded('healthy');
    const b = structuredClone(obs.browser);
    assert.ok(b);
    b.login = { ...b.login, outcome: 'wrong-credentials', message: 'Error: The password you entered for the username admin is incorrect.' };
    const f = judge({ ...obs, browser: b });
    const cred = f.find((x) => x.id === 'wordpress.login.wrong-credentials');
    assert.ok(cred);
    assert.deepEqual(cred.culprit, { kind: 'credential', name: 'password' });
  });

  it('no browser observations: the browser rules stay silent', () => {
    assert.deepEqual(judge({ ...recorded('healthy'), browser: null }), []);
  });
});
