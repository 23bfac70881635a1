// wordpress.nonce.short-life on observations recorded from the test bed
// without a browser (test/fixtures/observations/, re-recorded by record.ts;
// bridge/ with the companion plugin): the HTTP login's REST nonce, fresh and
// aged. The alternatives core's mechanism allows (the session ended, a nonce
// that counts once, a new session token) are the same recording with one
// answer changed, and must not be called a short nonce life.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../fixtures/testbed/paths.js';
import type { Finding } from '../../../src/model.js';
import type { Observations, RestNonceAttempt } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';
import { judge } from '../../../src/scan.js';

const load = (name: string): Observations => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;
const errors = (obs: Observations): Finding[] => runRules(RULES, obs).filter((f) => f.severity === 'error');
const ID = 'wordpress.nonce.short-life';

function attempt(obs: Observations, kind: RestNonceAttempt['nonce'], pick: (a: RestNonceAttempt) => boolean = () => true): RestNonceAttempt {
  const a = obs.login?.restNonce?.attempts.find((x) => x.nonce === kind && pick(x));
  assert.ok(a, `the recording has a ${kind} attempt`);
  return a;
}

/** The recording with one answer changed: the attempt and the probe it names. */
function answer(obs: Observations, a: RestNonceAttempt, status: number, code: string | null): void {
  a.status = status;
  a.code = code;
  const p = obs.probes.find((x) => x.id === a.probe);
  assert.ok(p, `probe ${a.probe} is recorded`);
  p.status = status;
  if (p.body) p.body.restError = code ? { code, message: 'changed for the test', status } : undefined;
}

describe('wordpress.nonce.short-life: the HTTP login\'s REST nonce, fresh and aged (recorded)', () => {
  it('expired-nonce: accepted at once, refused 2.5 s later, a new one accepted twice → wordpress layer, no culprit, possible', () => {
    const obs = load('expired-nonce');
    const check = obs.login?.restNonce;
    assert.ok(check && !check.skipped, 'the recording holds the nonce check');
    const stale = attempt(obs, 'aged', (a) => a.status === 403);
    assert.equal(stale.code, 'rest_cookie_invalid_nonce');
    assert.ok(stale.nonceAgeMs >= 2500, `refused once ${stale.nonceAgeMs} ms old`);
    const f = errors(obs).find((x) => x.id === ID);
    assert.ok(f, JSON.stringify(errors(obs).map((x) => x.id)));
    assert.equal(f.layer, 'wordpress');
    assert.equal(f.culprit, null);
    assert.equal(f.confidence, 'possible');
    // what it rests on: the four answers, each a recorded probe
    const cited = f.evidence.flatMap((e) => (e.kind === 'probe' ? [e.probe] : []));
    for (const kind of ['fresh', 'renewed', 'renewed-again'] as const) assert.ok(cited.includes(attempt(obs, kind).probe), kind);
    assert.ok(cited.includes(stale.probe));
    for (const id of cited) assert.ok(obs.probes.some((p) => p.id === id), `${id} is a recorded probe`);
    // the bound follows from the recorded age (nonce_life < 2 × (age + 1 s)), and every candidate is named
    const bound = Math.ceil(2 * (stale.nonceAgeMaxMs / 1000 + 1));
    assert.match(f.explanation, new RegExp(`less than ${bound} s`));
    assert.match(f.explanation, /plugin, a must-use plugin or the theme filtering nonce_life, or one replacing the pluggable wp_verify_nonce\(\)/);
    assert.ok(f.fixes.some((x) => /nonce_life/.test(x) && /grep/.test(x)));
    assert.ok(f.fixes.some((x) => /companion plugin/.test(x)), 'no bridge answered: how to name the plugin');
    // exit 1: the refusal is the finding, not a "not yet explained" one beside it
    assert.equal(judge(obs).verdict.status, 'problems');
    assert.ok(!errors(obs).some((x) => x.id === 'auth.refused.unexplained'));
  });

  it('healthy: fresh and aged accepted, core echoed the same nonce (the tick did not move) → no finding, no wait beyond the crawl\'s', () => {
    const obs = load('healthy');
    const check = obs.login?.restNonce;
    assert.ok(check, 'the recording holds the nonce check');
    assert.deepEqual(
      check.attempts.map((a) => [a.nonce, a.status, a.echo]),
      [
        ['fresh', 200, 'same'],
        ['aged', 200, 'same'],
      ],
    );
    assert.ok(attempt(obs, 'aged').nonceAgeMs >= 1000, 'aged past a second boundary of time()');
    assert.deepEqual(errors(obs).map((f) => f.id), []);
    assert.equal(judge(obs).verdict.status, 'ok');
  });

  it('a fresh nonce refused is not about its age: no short-life claim; with nothing else wrong, a refusal not yet explained', () => {
    const obs = load('healthy');
    answer(obs, attempt(obs, 'fresh'), 403, 'rest_cookie_invalid_nonce');
    const got = errors(obs);
    assert.ok(!got.some((f) => f.id === ID));
    const net = got.find((f) => f.id === 'auth.refused.unexplained');
    assert.ok(net?.evidence.some((e) => e.kind === 'probe' && e.probe === attempt(obs, 'fresh').probe), JSON.stringify(got.map((f) => f.id)));
  });

  it('the new nonce refused too (the login session ended): not the nonce\'s age', () => {
    const obs = load('expired-nonce');
    answer(obs, attempt(obs, 'renewed'), 403, 'rest_cookie_invalid_nonce');
    obs.login?.restNonce?.attempts.splice(obs.login.restNonce.attempts.findIndex((a) => a.nonce === 'renewed-again'), 1);
    const got = errors(obs);
    assert.ok(!got.some((f) => f.id === ID));
    assert.ok(got.some((f) => f.id === 'auth.refused.unexplained'), 'still an error: REST refused the logged-in user');
  });

  it('the new nonce refused the second time (a nonce that counts once): not the nonce\'s age', () => {
    const obs = load('expired-nonce');
    answer(obs, attempt(obs, 'renewed-again'), 403, 'rest_cookie_invalid_nonce');
    const got = errors(obs);
    assert.ok(!got.some((f) => f.id === ID));
    assert.ok(got.some((f) => f.id === 'auth.refused.unexplained'));
  });

  it('an answer set new login cookies (a new session token changes every nonce): no short-life claim', () => {
    const obs = load('expired-nonce');
    attempt(obs, 'fresh').authCookiesSet = ['wordpress_logged_in_0123456789abcdef'];
    assert.ok(!errors(obs).some((f) => f.id === ID));
  });

  it('the aged nonce refused with another code (not rest_cookie_invalid_nonce): not a nonce verdict', () => {
    const obs = load('expired-nonce');
    answer(obs, attempt(obs, 'aged', (a) => a.status === 403), 429, 'too_many_requests');
    assert.ok(!errors(obs).some((f) => f.id === ID));
  });

  it('with the companion plugin reporting nonce_life: plugin.nonce.short-life names the plugin and cites the refusal; this rule steps aside', () => {
    const obs = load('bridge/expired-nonce');
    const got = errors(obs);
    assert.ok(!got.some((f) => f.id === ID), JSON.stringify(got.map((f) => f.id)));
    const f = got.find((x) => x.id === 'plugin.nonce.short-life');
    assert.equal(f?.culprit?.name, 'fixture-short-nonce');
    const stale = attempt(obs, 'aged', (a) => a.code === 'rest_cookie_invalid_nonce');
    assert.ok(f?.evidence.some((e) => e.kind === 'probe' && e.probe === stale.probe), 'the HTTP refusal is in its evidence');
  });

  it('with the companion plugin reporting a normal nonce_life: still the refusal, pointed at a replaced wp_verify_nonce()', () => {
    const obs = load('bridge/expired-nonce');
    const env = obs.bridge?.environment;
    assert.ok(env, 'the recording has the bridge report');
    env.wordpress.nonceLife = 86_400;
    const f = errors(obs).find((x) => x.id === ID);
    assert.ok(f);
    assert.match(f.explanation, /nonce_life = 86400 s/);
    assert.ok(!f.fixes.some((x) => /install the companion plugin/i.test(x)), 'it answered: never "install it"');
  });

  it('older observations without the check give no nonce verdict', () => {
    const obs = load('expired-nonce');
    if (obs.login) delete obs.login.restNonce;
    assert.ok(!runRules(RULES, obs).some((f) => f.id.startsWith(ID)));
  });

  it('admin-ajax.php without a rest-nonce action (WordPress before 5.3): no verdict on nonces, and the scan says it could not check them', () => {
    const obs = load('expired-nonce');
    const check = obs.login?.restNonce;
    assert.ok(check);
    check.attempts = [];
    delete check.renewProbe;
    check.skipped = 'no-action';
    const got = runRules(RULES, obs);
    assert.ok(!got.some((f) => f.id === ID));
    const said = got.find((f) => f.id === `${ID}.not-checked`);
    assert.equal(said?.severity, 'info');
    assert.match(said?.explanation ?? '', /before 5\.3/);
    assert.deepEqual(
      said?.evidence.map((e) => (e.kind === 'probe' ? e.probe : null)),
      [check.nonceProbe],
    );
    assert.ok(said?.fixes.some((x) => /without --no-browser/.test(x)));
  });
});
