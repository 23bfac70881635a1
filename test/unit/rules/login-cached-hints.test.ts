// plugin.cache.login-cached names a cache plugin as "seen" only on a verified
// mark. A catalog hint — x-litespeed-cache is sent by the LiteSpeed web
// server, not by the LiteSpeed Cache plugin — says only "possibly".
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;
const cachedFinding = (obs: Observations) => runRules(RULES, obs).find((f) => f.id === 'plugin.cache.login-cached');
const loginGets = (obs: Observations) => obs.probes.filter((p) => p.method === 'GET' && new URL(p.url).pathname.endsWith('/wp-login.php'));

describe('plugin.cache.login-cached: seen or only hinted', () => {
  it('the recorded cached-login scan as recorded: no plugin named', () => {
    const f = cachedFinding(load('cached-login'));
    assert.ok(f, 'the rule fires on the recording');
    assert.doesNotMatch(f.explanation, /seen:|possibly LiteSpeed/);
  });

  it('a LiteSpeed server header on the cached login page: "possibly", never "seen"', () => {
    const obs = load('cached-login');
    for (const p of loginGets(obs)) p.headers['x-litespeed-cache'] = ['hit'];
    const f = cachedFinding(obs);
    assert.ok(f);
    assert.doesNotMatch(f.explanation, /seen: LiteSpeed/);
    assert.match(f.explanation, /possibly LiteSpeed Cache, from header x-litespeed-cache — a hint, not a mark of the plugin's own code/);
  });

  it('the plugin\'s own header (verified in its code) is "seen"', () => {
    const obs = load('cached-login');
    for (const p of loginGets(obs)) p.headers['x-litespeed-cache-control'] = ['public,max-age=3600'];
    const f = cachedFinding(obs);
    assert.ok(f);
    assert.match(f.explanation, /seen: LiteSpeed Cache/);
    assert.doesNotMatch(f.explanation, /possibly LiteSpeed/);
  });
});
