// The companion plugin's status for a scan (environment.bridge): what each
// way of failing becomes, and that the JSON result, the terminal and the top
// of the HTML report all carry it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeStatusOf } from '../../../src/facts/bridge-status.js';
import type { BridgeObservation, Observations } from '../../../src/observations/index.js';
import { renderHtml } from '../../../src/report/html/index.js';
import { renderSummary } from '../../../src/report/terminal.js';
import { RULES, runRules } from '../../../src/rules/index.js';
import { ISOLATE_HINT } from '../../../src/rules/util.js';
import { judge } from '../../../src/scan.js';

const OBS = join(process.cwd(), 'test', 'fixtures', 'observations');
const load = (file: string) => JSON.parse(readFileSync(join(OBS, file), 'utf8')) as Observations;
const key = { bridgeKey: true };

describe('bridge status: one word and one sentence for every way the companion plugin took part or not', () => {
  const cases: [string, BridgeObservation | null, { bridgeKey: boolean; siteBasic?: boolean }, string, string | undefined][] = [
    ['no key given', null, { bridgeKey: false }, 'not-used', undefined],
    ['answered', { status: 'ok', doors: { env: 'early' } }, key, 'ok', undefined],
    ['a signed refusal of the clock', { status: 'wrong-key', reason: 'expired' }, key, 'key-refused', 'expired'],
    ['its rate limit', { status: 'rate-limited' }, key, 'key-refused', 'rate-limited'],
    ['no door answered, its loader is on the site', { status: 'not-installed', files: { readme: true, loader: true } }, key, 'key-refused', 'wrong-key'],
    ['no door answered, only its files are there', { status: 'not-installed', files: { readme: true, loader: false } }, key, 'not-installed', 'inactive'],
    ['no door answered, no files', { status: 'not-installed', files: { readme: false, loader: false } }, key, 'not-installed', 'absent'],
    ['a Basic lock', { status: 'blocked', reason: 'server-lock' }, key, 'unreachable', 'server-lock'],
    ['REST refused, no early door', { status: 'blocked', reason: 'rest-blocked' }, key, 'unreachable', 'rest-blocked'],
    ['TLS', { status: 'unreachable', reason: 'tls' }, key, 'unreachable', 'tls'],
    ['an old plugin', { status: 'unusable' }, key, 'unreachable', 'outdated'],
  ];
  for (const [what, bridge, credentials, status, reason] of cases) {
    it(`${what} → ${status}${reason ? ` (${reason})` : ''}`, () => {
      const s = bridgeStatusOf({ bridge, credentials });
      assert.equal(s.status, status);
      assert.equal(s.reason, reason);
      assert.ok(s.message.length > 20, s.message);
    });
  }

  it('a Basic lock that refused the lock credentials given says so, not "give them"', () => {
    const s = bridgeStatusOf({ bridge: { status: 'blocked', reason: 'server-lock' }, credentials: { bridgeKey: true, siteBasic: true } });
    assert.match(s.message, /refused the WP401_HTTP_USER/);
  });
});

describe('bridge status in the result, on the terminal and at the top of the report', () => {
  it('without the plugin: environment.bridge.status not-used; the report\'s first section says so', () => {
    const obs = { ...load('healthy.json'), bridge: null };
    const result = judge(obs);
    assert.equal((result.environment?.bridge as { status?: string } | undefined)?.status, 'not-used');
    const html = renderHtml(result);
    const start = html.indexOf('id="verdict"');
    const verdict = html.slice(start, html.indexOf('</section>', start));
    assert.match(verdict, /Companion plugin: not-used/);
  });

  it('refused key: the terminal says it; the report says it in the verdict section; the advice is not "install it"', () => {
    const obs: Observations = { ...load('rest-blocked-by-plugin.json'), credentials: { ...load('rest-blocked-by-plugin.json').credentials, bridgeKey: true }, bridge: { status: 'not-installed', files: { readme: true, loader: true } } };
    const result = judge(obs);
    const b = result.environment?.bridge as { status: string; message: string };
    assert.equal(b.status, 'key-refused');
    assert.match(renderSummary(result, []), /! Companion plugin is active on the site .* refused the key/);
    assert.match(renderHtml(result), /id="bridge-status"><strong>Companion plugin: key-refused \(wrong-key\)/);
    const fixes = runRules(RULES, obs).flatMap((f) => f.fixes);
    assert.ok(!fixes.includes(ISOLATE_HINT), fixes.join('\n'));
    assert.ok(fixes.some((f) => f.includes('once the companion plugin can answer')), fixes.join('\n'));
  });

  it('answered: environment keeps what the plugin reported, with the status on its bridge part', () => {
    const result = judge(load('bridge/healthy.json'));
    const env = result.environment as { bridge: { status: string; version?: string }; wordpress?: unknown };
    assert.equal(env.bridge.status, 'ok');
    assert.ok(env.bridge.version && env.wordpress, 'the plugin\'s own report is still there');
  });
});
