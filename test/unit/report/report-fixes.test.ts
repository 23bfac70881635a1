// The report as a site owner reads it (issue 17), rendered from observations
// recorded on the test bed with the companion plugin
// (test/fixtures/observations/bridge): the "Who hooks authentication" table
// names the plugin behind each callback — closures included — from the
// bridge's owner object; WordPress core's own REST refusals to anonymous
// visitors are shown apart, in grey, from refusals that are problems; fix
// text fits what the scan already did (companion plugin, --isolate); must-use
// plugins and drop-ins get fixes that fit them.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observations } from '../../../src/observations/index.js';
import { renderHtml } from '../../../src/report/html/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';
import { ISOLATE_AGAIN_HINT, ISOLATE_HINT } from '../../../src/rules/util.js';
import { judge } from '../../../src/scan.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', 'bridge', `${name}.json`), 'utf8')) as Observations;

/** The rows of the "Who hooks authentication" table as [hook, callback, owner text]. */
function hookRows(page: string): string[][] {
  const table = page.slice(page.indexOf('<h3>Who hooks authentication</h3>'));
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, '').trim()),
  );
}

describe('report: who hooks authentication (recorded bridge answers)', () => {
  it('rest-blocked-by-plugin: the guard function and a plugin closure are named with their plugin; core callbacks as core', () => {
    const page = renderHtml(judge(load('rest-blocked-by-plugin')));
    const rows = hookRows(page);
    assert.ok(rows.length > 5, `rows: ${rows.length}`);
    const row = (callback: RegExp) => rows.find((r) => r[0] === 'rest_authentication_errors' && callback.test(r[2] ?? ''));
    assert.deepEqual(row(/^fixture_rest_guard_check$/)?.slice(3, 5), ['plugin fixture-rest-guard', 'fixture-rest-guard/fixture-rest-guard.php:18']);
    assert.equal(row(/^Closure@fixture-editor-tweaks/)?.[3], 'plugin fixture-editor-tweaks', 'a closure is named with its plugin');
    const core = rows.filter((r) => r[3] === 'WordPress core');
    assert.ok(core.length > 0, 'core callbacks are marked as core');
    assert.ok(!rows.some((r) => r[3] === 'core / unknown'), 'no row falls back to "core / unknown"');
  });
});

describe('report: refusals WordPress gives by design are apart from problems', () => {
  const zonesSection = (page: string) => page.slice(page.indexOf('id="zones"'), page.indexOf('</section>', page.indexOf('id="zones"')));

  it('healthy: every anonymous REST refusal is core\'s own permission answer — grey, under "Refused by design", no red 401 meters', () => {
    const result = judge(load('healthy'));
    const rest = result.zones.filter((z) => z.demand.kind === 'rest-auth');
    assert.ok(rest.length > 5);
    assert.deepEqual(rest.filter((z) => !z.expected).map((z) => z.prefix), []);
    const html = zonesSection(renderHtml(result));
    assert.match(html, /Refused by design \(\d+\)/);
    const main = html.slice(0, html.indexOf('Refused by design'));
    assert.doesNotMatch(main, /<code>\/wp-json\//, 'no REST route in the table of problems');
    assert.ok(!/<meter[^>]*value="1\.000"/.test(main), 'no full 401 meter for an expected refusal');
    assert.match(html.slice(html.indexOf('Refused by design')), /<tr class="expected"><td><code>\/wp-json\/wp\/v2\/users\/me<\/code>/);
  });

  it('fpm-strips-authorization: users/me also refused the application password — a problem, not by design; the others stay expected', () => {
    const result = judge(load('fpm-strips-authorization'));
    const me = result.zones.find((z) => z.prefix === '/wp-json/wp/v2/users/me');
    assert.equal(me?.expected, undefined);
    const html = zonesSection(renderHtml(result));
    const main = html.slice(0, html.indexOf('Refused by design'));
    assert.match(main, /<code>\/wp-json\/wp\/v2\/users\/me<\/code>/);
    assert.ok(result.zones.some((z) => z.expected && z.prefix === '/wp-json/wp/v2/settings'));
  });

  it('rest-blocked-by-plugin: a plugin\'s own code (rest_login_required) on every route is never "by design"', () => {
    const result = judge(load('rest-blocked-by-plugin'));
    assert.deepEqual(result.zones.filter((z) => z.expected), []);
    assert.doesNotMatch(renderHtml(result), /Refused by design/);
  });
});

describe('fix text fits what the scan already did with the companion plugin', () => {
  const restBlocked = (obs: Observations) => runRules(RULES, obs).find((f) => f.id === 'plugin.rest.blocked-for-anonymous');
  const withoutBridge = (obs: Observations): Observations => ({ ...obs, bridge: null, probes: obs.probes.map(({ ledger: _l, ...p }) => p) });

  it('without the plugin: install it and run with --isolate', () => {
    const fixes = restBlocked(withoutBridge(load('rest-blocked-by-plugin')))?.fixes ?? [];
    assert.ok(fixes.includes(ISOLATE_HINT), fixes.join('\n'));
    assert.match(ISOLATE_HINT, /`wp401 bridge zip`/);
  });

  it('the plugin answered but no isolation ran: only "run again with --isolate", never "install the companion plugin"', () => {
    const fixes = restBlocked(load('rest-blocked-by-plugin'))?.fixes ?? [];
    assert.ok(fixes.includes(ISOLATE_AGAIN_HINT), fixes.join('\n'));
    assert.ok(!fixes.some((f) => /install the companion plugin/i.test(f)), fixes.join('\n'));
  });

  it('isolation experiments ran: no advice to run what already ran', () => {
    const obs = load('rest-blocked-by-plugin');
    const refused = obs.probes.find((p) => p.auth === 'none' && p.status === 401 && p.body?.restError?.code === 'rest_login_required');
    assert.ok(refused, 'a refused anonymous REST probe in the recording');
    const ran: Observations = { ...obs, experiments: [{ id: 'x1', probe: refused.id, pluginsOff: ['fixture-rest-guard'], status: 200 }] };
    const fixes = runRules(RULES, ran).flatMap((f) => f.fixes);
    assert.ok(!fixes.some((f) => f.includes('--isolate')), fixes.filter((f) => f.includes('--isolate')).join('\n'));
  });
});

describe('fixes that fit must-use plugins and drop-ins', () => {
  /** The rest-blocked-by-plugin recording, with the guard reported the way the bridge reports it when it lives elsewhere. */
  function guardAs(owner: { type: string; slug: string; file: string }): Observations {
    const obs = structuredClone(load('rest-blocked-by-plugin'));
    const swap = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(swap);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.type === 'plugin' && o.slug === 'fixture-rest-guard') return { ...owner, plugin: null };
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, swap(x)]));
      }
      return v;
    };
    const bridge = obs.bridge as NonNullable<Observations['bridge']>;
    bridge.ledger = swap(bridge.ledger) as typeof bridge.ledger;
    const env = swap(bridge.environment) as Record<string, unknown>;
    env.plugins = (env.plugins as { slug: string }[]).filter((p) => p.slug !== 'fixture-rest-guard');
    bridge.environment = env as unknown as typeof bridge.environment;
    return obs;
  }
  const fixesOf = (obs: Observations) => runRules(RULES, obs).find((f) => f.id === 'plugin.rest.blocked-for-anonymous');

  it('a plugin: deactivate it to confirm', () => {
    const f = fixesOf(load('rest-blocked-by-plugin'));
    assert.equal(f?.culprit?.kind, 'plugin');
    assert.ok(f?.fixes.some((x) => x.includes('deactivate fixture-rest-guard to confirm')), f?.fixes.join('\n'));
  });

  it('a must-use plugin: never "deactivate" — move its file out of wp-content/mu-plugins/', () => {
    const f = fixesOf(guardAs({ type: 'mu-plugin', slug: 'fixture-rest-guard', file: 'fixture-rest-guard.php' }));
    assert.equal(f?.culprit?.kind, 'mu-plugin');
    const text = f?.fixes.join('\n') ?? '';
    assert.match(text, /move wp-content\/mu-plugins\/fixture-rest-guard\.php out of that folder/);
    assert.doesNotMatch(text, /deactivate fixture-rest-guard/);
  });

  it('a drop-in: the plugin that installed it, or rename the file — never "deactivate"', () => {
    const f = fixesOf(guardAs({ type: 'drop-in', slug: 'object-cache.php', file: 'object-cache.php' }));
    assert.equal(f?.culprit?.kind, 'drop-in');
    const text = f?.fixes.join('\n') ?? '';
    assert.match(text, /wp-content\/object-cache\.php/);
    assert.doesNotMatch(text, /deactivate object-cache/);
  });
});
