// The companion plugin's answers are checked and typed once, where they enter:
// a recorded environment and ledger pass through unchanged in meaning; a
// partial or malformed answer becomes "unusable", never an exception later.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../fixtures/testbed/paths.js';
import { ledgerSummary, parseBridgeObservation, parseEnvironment, parseLedger, parseLedgerEntry } from '../../../src/bridge/parse.js';
import type { BridgeLedgerEntry } from '../../../src/observations/bridge.js';
import type { Observations } from '../../../src/observations/index.js';

const recorded = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', 'bridge', `${name}.json`), 'utf8')) as Observations;

describe('bridge answers, typed once (src/bridge/parse.ts)', () => {
  it('a recorded environment and ledger keep every value; each probe summary is the ledger entry it came from', () => {
    const obs = recorded('plugin-pair');
    const parsed = parseBridgeObservation(obs.bridge);
    assert.equal(parsed?.status, 'ok');
    assert.deepEqual(parsed?.environment, obs.bridge?.environment);
    assert.deepEqual(parsed?.ledger, obs.bridge?.ledger);
    for (const p of obs.probes) {
      const e: BridgeLedgerEntry | null | undefined = parsed?.ledger?.[p.id];
      if (e) assert.deepEqual(ledgerSummary(e), p.ledger, p.id);
    }
  });

  it('an environment without its wordpress, php or server part is unusable, and says so', () => {
    assert.equal(parseEnvironment({ bridge: { protocol: 'v1' } }), null);
    assert.equal(parseEnvironment('<html>'), null);
    const b = parseBridgeObservation({ status: 'ok', environment: { wordpress: {} } as never });
    assert.equal(b?.status, 'unusable');
    assert.match(b?.message ?? '', /lacks/);
  });

  it('malformed lists are emptied, plugin entries without a basename dropped, slugs and names filled in', () => {
    const env = parseEnvironment({ wordpress: {}, php: {}, server: {}, plugins: [{ basename: 'a/a.php' }, { name: 'no basename' }, 'x'], hooks: { init: 'nope', authenticate: [{ callback: 'f' }, 3] }, dropins: null });
    assert.ok(env);
    assert.deepEqual(env.plugins.map((p) => [p.basename, p.slug, p.name, p.hooks, p.bridge]), [['a/a.php', 'a', 'a', [], false]]);
    assert.deepEqual(env.hooks, { init: [], authenticate: [{ callback: 'f' }] });
    assert.deepEqual([env.dropins, env.muPlugins, env.htaccess], [[], [], []]);
  });

  it('a ledger entry without reachedPhp is no entry; lists inside one are always lists', () => {
    assert.equal(parseLedgerEntry({ probe: 'x' }), null);
    const e = parseLedgerEntry({ reachedPhp: true, hookEvents: 'no', dropped: ['a/a.php', 3], authError: { message: 'no code' } });
    assert.ok(e);
    assert.deepEqual([e.hookEvents, e.dropped, e.cookieNames, e.authError], [[], ['a/a.php'], [], null]);
    assert.deepEqual(parseLedger({ p1: { reachedPhp: false }, p2: null }), { p1: { reachedPhp: false, cookieNames: [], hookEvents: [], dropped: [], authError: null, restError: null }, p2: null });
  });
});
