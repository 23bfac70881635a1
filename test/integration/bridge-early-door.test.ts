// The early door (issue 15, "Must show"): on a site whose REST API is walled
// off by a plugin (403 wp_die at rest_api_init) and on one locked from PHP by
// a Basic-auth plugin at init, the scanner's bridge client reaches the bridge
// through the must-use loader's early door, and the ledger shows which plugin
// refused each probe. Read-only on `rest-wall` and `php-staging-lock`.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import { BridgeClient } from '../../src/bridge/client.js';
import type { BridgeLedgerEntry } from '../../src/observations/bridge.js';
import { runScan, scenarioEnv } from '../support/cli.js';
import { deployBridge, requireTestbed, scenario } from '../support/testbed.js';

interface Blame {
  status?: number;
  hook: string;
  owner: { type: string; slug: string | null } | null;
}

/** A probe signed with the bridge key, as the scanner sends them; returns its status. */
async function probe(client: BridgeClient, url: string, id: string, authorization?: string): Promise<number> {
  const headers: Record<string, string> = { ...client.signHeaders('GET', url, '', { probe: id }) };
  if (authorization) headers.authorization = authorization;
  const r = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(20000) });
  await r.arrayBuffer();
  return r.status;
}

describe('the early door answers where REST cannot (live test bed, read-only)', function () {
  this.timeout(120000);

  before(async () => {
    await requireTestbed();
    deployBridge('rest-wall');
    deployBridge('php-staging-lock');
  });

  it('rest-wall: the bridge REST routes are walled off, the early door answers, and the ledger names fixture-rest-wall', async () => {
    const s = scenario('rest-wall');
    const client = new BridgeClient({ siteUrl: s.url, key: s.bridgeKey ?? '' });
    // The second door really is shut: a signed request for the bridge's own REST route dies in the wall.
    const rest = client.routeUrl('/time');
    const walled = await fetch(rest, { headers: client.signHeaders('GET', rest), redirect: 'manual' });
    assert.equal(walled.status, 403, 'the REST wall lets the bridge route through');
    await walled.arrayBuffer();

    const env = await client.env();
    assert.equal(client.doors.env, 'early');
    assert.equal((env.bridge as { door?: string }).door, 'early');
    assert.ok(env.plugins.some((p) => p.slug === 'fixture-rest-wall'), 'the early report lists the wall plugin');

    const id = `wall${randomBytes(5).toString('hex')}`;
    const auth = `Basic ${Buffer.from(`${s.adminUser}:${s.appPassword}`).toString('base64')}`;
    assert.equal(await probe(client, new URL('wp-json/wp/v2/users/me', s.url).toString(), id, auth), 403);
    const entry = (await client.ledger([id]))[id] as (BridgeLedgerEntry & { died?: Blame | null; statusSetBy?: Blame | null }) | null;
    assert.equal(client.doors.ledger, 'early');
    assert.ok(entry, 'the probe has a ledger entry');
    assert.equal(entry.reachedPhp, true);
    assert.equal(entry.died?.owner?.slug, 'fixture-rest-wall', 'the ledger names the plugin that called wp_die()');
    assert.equal(entry.statusSetBy?.status, 403);
    assert.equal(entry.statusSetBy?.owner?.slug, 'fixture-rest-wall', 'the ledger names the plugin that set 403');
  });

  it('php-staging-lock: the lock refuses everything without its credentials, the early door answers, and the ledger names fixture-staging-lock', async () => {
    const s = scenario('php-staging-lock');
    const client = new BridgeClient({ siteUrl: s.url, key: s.bridgeKey ?? '' });
    const rest = client.routeUrl('/time');
    const locked = await fetch(rest, { headers: client.signHeaders('GET', rest), redirect: 'manual' });
    assert.equal(locked.status, 401, 'the PHP lock lets the bridge REST route through');
    assert.match(locked.headers.get('www-authenticate') ?? '', /^Basic /);
    await locked.arrayBuffer();

    const env = await client.env();
    assert.equal(client.doors.env, 'early');
    assert.ok(env.plugins.some((p) => p.slug === 'fixture-staging-lock'));
    const authDirectives = env.htaccess.flatMap((f) => f.directives).filter((d) => /^Auth/i.test(d.directive));
    assert.deepEqual(authDirectives, [], 'no .htaccess lock is involved');

    const id = `lock${randomBytes(5).toString('hex')}`;
    assert.equal(await probe(client, s.url, id), 401);
    const entry = (await client.ledger([id]))[id] as (BridgeLedgerEntry & { died?: Blame | null; statusSetBy?: Blame | null }) | null;
    assert.equal(client.doors.ledger, 'early');
    assert.ok(entry, 'the probe has a ledger entry: the 401 came from PHP');
    assert.equal(entry.died?.owner?.slug, 'fixture-staging-lock');
    assert.equal(entry.statusSetBy?.status, 401);
    assert.equal(entry.statusSetBy?.owner?.slug, 'fixture-staging-lock', 'the ledger names the plugin that set 401');
  });

  it('php-staging-lock: a scan with the bridge records that the early door answered and names the plugin, not .htaccess', async function () {
    this.timeout(200000);
    const s = scenario('php-staging-lock');
    const { env, args } = scenarioEnv('php-staging-lock', { bridge: true });
    const run = await runScan(s.url, env, args, 170_000);
    assert.ok(run.result, `no wp401.json (exit ${run.code}): ${run.stderr.slice(0, 300)}`);
    const errors = run.result.findings.filter((f) => f.severity === 'error');
    assert.ok(
      errors.some((f) => f.layer === 'plugin' && f.culprit?.name === 'fixture-staging-lock'),
      `got ${JSON.stringify(errors.map((f) => [f.id, f.layer, f.culprit]))}`,
    );
    assert.ok(!errors.some((f) => f.culprit?.kind === 'htaccess'), 'a PHP lock was blamed on .htaccess');
  });
});
