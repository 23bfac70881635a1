// No false green: a credentialed request that should pass, refused, is an
// error finding even when no rule knows the mechanism. Observations are the
// recorded healthy site with one answer changed inline to the mechanism under
// test (each change is the answer a real plugin or server gives, named below).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../fixtures/testbed/paths.js';
import type { Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { UNEXPLAINED_REFUSAL_ID } from '../../../src/rules/auth.refused.unexplained.js';
import { judge } from '../../../src/scan.js';

const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;

function usersMe(obs: Observations): Probe {
  const p = obs.probes.find((x) => x.auth === 'app-password' && x.url.endsWith('/wp-json/wp/v2/users/me'));
  assert.ok(p, 'the recording has the application-password users/me probe');
  return p;
}

const unexplained = (obs: Observations) => judge(obs).findings.find((f) => f.id === UNEXPLAINED_REFUSAL_ID);

describe('rule auth.refused.unexplained', () => {
  it('the healthy recordings (plain, with the bridge, 6.5, https) get no such finding and stay green', () => {
    for (const name of ['healthy', 'healthy-wp65', 'healthy-https', 'bridge/healthy']) {
      const result = judge(load(name));
      assert.equal(result.findings.find((f) => f.id === UNEXPLAINED_REFUSAL_ID), undefined, name);
      assert.equal(result.verdict.status, 'ok', name);
    }
  });

  it('REST refused with 403 and an HTML wp_die page for the application password too: an error from WordPress or a plugin, never green', () => {
    const obs = load('healthy');
    const p = usersMe(obs);
    // A REST-blocking plugin answering every REST request with wp_die() at rest_api_init.
    p.status = 403;
    p.body = { bytes: 300, truncated: false, contentType: 'text/html; charset=utf-8', title: 'WordPress › Error', pageKind: 'wp-die', excerpt: 'REST API access is disabled.' };
    const result = judge(obs);
    const f = result.findings.find((x) => x.id === UNEXPLAINED_REFUSAL_ID);
    assert.ok(f, JSON.stringify(result.findings.map((x) => x.id)));
    assert.equal(f.severity, 'error');
    assert.equal(f.layer, 'plugin');
    assert.equal(f.culprit, null, 'no culprit the evidence does not separate');
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /Possible: a plugin, or WordPress core/);
    assert.deepEqual(f.evidence.map((e) => ('probe' in e ? e.probe : null)), [p.id]);
    assert.equal(result.verdict.status, 'problems');
  });

  it('a 500 with an auth error code on the application-password request is an error too', () => {
    const obs = load('healthy');
    const p = usersMe(obs);
    // A plugin that treats every Basic header as WordPress credentials.
    p.status = 500;
    p.body = { bytes: 80, truncated: false, contentType: 'application/json', restError: { code: 'invalid_username', message: 'Unknown username.' }, pageKind: 'rest-json' };
    assert.ok(unexplained(obs));
  });

  it('every HTTP login that does not end logged in gives an error finding, from its own rule or from this one', () => {
    for (const outcome of ['wrong-credentials', 'cookies-blocked', 'loop', 'blocked', 'interstitial', 'error'] as const) {
      const obs = load('healthy');
      assert.ok(obs.login);
      obs.login.outcome = outcome;
      const result = judge(obs);
      assert.equal(result.verdict.status, 'problems', `${outcome}: ${result.findings.map((f) => f.id).join(', ')}`);
    }
  });

  it('a second step after the password (no rule knows it over HTTP): an error naming a plugin, since core has none', () => {
    const obs = load('healthy');
    assert.ok(obs.login);
    obs.login.outcome = 'interstitial';
    obs.login.message = 'Enter the code from your authenticator app.';
    const f = unexplained(obs);
    assert.ok(f);
    assert.equal(f.layer, 'plugin');
    assert.match(f.explanation, /Enter the code from your authenticator app/);
  });

  it('a refusal another error finding cites is explained: no second finding', () => {
    const result = judge(load('fpm-strips-authorization'));
    assert.ok(result.findings.some((f) => f.id === 'rest.app-password.authorization-stripped'));
    assert.ok(!result.findings.some((f) => f.id === UNEXPLAINED_REFUSAL_ID));
  });

  it('anonymous refusals and capability-bound routes are not counted (they may refuse by design)', () => {
    const obs = load('healthy');
    const edit = obs.probes.find((x) => x.auth === 'app-password' && x.url.includes('context=edit'));
    assert.ok(edit);
    edit.status = 403;
    edit.body = { bytes: 90, truncated: false, restError: { code: 'rest_forbidden_context', message: 'Sorry, you are not allowed to edit posts in this post type.' }, pageKind: 'rest-json' };
    assert.equal(unexplained(obs), undefined);
  });
});
