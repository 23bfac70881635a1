// plugin.cache.walled-pages-public on the recordings of cache-behind-login-wall
// (a page cache filled before a login wall went up), and the variations that
// must keep it quiet. About 0.1 s.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'observations');
const load = (bridge: boolean) => JSON.parse(readFileSync(join(DIR, bridge ? 'bridge' : '', 'cache-behind-login-wall.json'), 'utf8')) as Observations;
const walledFinding = (obs: Observations) => runRules(RULES, obs).find((f) => f.id === 'plugin.cache.walled-pages-public') as Finding | undefined;
const isCached = (p: Probe) => /hit/i.test(p.headers['x-cache']?.[0] ?? '');

describe('plugin.cache.walled-pages-public (a page cache around a login wall)', () => {
  it('black box: possible, the drop-in named with the proxy cache it cannot be told from', () => {
    const f = walledFinding(load(false));
    assert.ok(f);
    assert.equal(f.confidence, 'possible');
    assert.deepEqual(f.culprit, { kind: 'drop-in', name: 'advanced-cache.php', file: 'wp-content/advanced-cache.php' });
    assert.match(f.explanation, /advanced-cache\.php/);
    assert.match(f.explanation, /proxy cache/);
    assert.ok(f.evidence.some((e) => e.kind === 'header' && e.name === 'x-cache'));
  });

  it('with the bridge: likely, from the drop-in report and cached pages that never reached PHP', () => {
    const f = walledFinding(load(true));
    assert.ok(f);
    assert.equal(f.confidence, 'likely');
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && e.fact === 'dropins.advanced-cache.php'));
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && e.fact.startsWith('ledger.') && (e.value as { reachedPhp?: boolean }).reachedPhp === false));
  });

  it('quiet when a page WordPress rendered itself is public too (the wall is not site-wide)', () => {
    const obs = load(false);
    const cached = obs.probes.find((p) => p.auth === 'none' && isCached(p)) as Probe;
    const { 'x-cache': _x, age: _a, ...headers } = cached.headers;
    obs.probes.push({ ...cached, id: 'p999', url: new URL('/a-public-page/', cached.url).href, headers });
    assert.equal(walledFinding(obs), undefined);
  });

  it('quiet without a walled page, and without a cached one', () => {
    const noWall = load(false);
    noWall.probes = noWall.probes.filter((p) => !(p.auth === 'none' && p.chain.some((h) => (h.location ?? '').includes('wp-login.php'))));
    assert.equal(walledFinding(noWall), undefined);
    const noCache = load(false);
    noCache.probes = noCache.probes.filter((p) => !isCached(p));
    assert.equal(walledFinding(noCache), undefined);
  });
});
