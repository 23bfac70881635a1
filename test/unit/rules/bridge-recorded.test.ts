// Rules on observations recorded from the live test bed WITH the companion
// plugin (test/fixtures/observations/bridge, re-recorded by
// `record.ts --bridge`): the layer and culprit each scenario file names with
// the bridge, decided by the ledger; and the same recordings with the bridge
// taken away fall back to the black-box verdict.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evidence, Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';
import { EDGE_SCENARIO_NAMES, SCENARIOS as ALL } from '../../../fixtures/testbed/scenarios.js';
import { expectOrKnownGap, gapTitle, knownGap } from '../../support/known-gaps.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const DIR = join(REPO, 'test', 'fixtures', 'observations', 'bridge');
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Observations;
const expected = (name: string) =>
  JSON.parse(readFileSync(join(REPO, 'fixtures', 'scenarios', `${name}.json`), 'utf8')) as {
    expect: { errors: { layer: string; layerBlackBox?: string; culprit: { kind: string; name: string; file?: string } | null; culpritBlackBox?: { kind: string; name: string } | null }[] };
  };

// The edge and real-plugin scenarios have no recordings: their scans run live
// (test/integration/scan-bridge.test.ts, scan-real-plugins.test.ts, with their known gaps).
const SCENARIOS = ALL.filter((s) => !s.realPlugins && !EDGE_SCENARIO_NAMES.includes(s.name)).map((s) => s.name);

/** The bridge sees only core's __return_false on the filter: the plugin that added it takes --isolate. */
const NAMED_ONLY_BY_ISOLATION = new Set(['app-passwords-disabled-by-plugin']);

const errorsOf = (obs: Observations) => runRules(RULES, obs).filter((f) => f.severity === 'error');
const bridgeEv = (f: Finding, fact: string) => f.evidence.find((e): e is Extract<Evidence, { kind: 'bridge' }> => e.kind === 'bridge' && e.fact === fact);
const probe = (obs: Observations, path: string, auth: Probe['auth']) => obs.probes.find((p) => p.auth === auth && new URL(p.url).pathname + new URL(p.url).search === path) as Probe;
const withoutBridge = (obs: Observations): Observations => ({ ...obs, bridge: null, probes: obs.probes.map(({ ledger: _l, ...p }) => p) });
const clone = (obs: Observations) => structuredClone(obs);
const ledgerOf = (obs: Observations) => obs.bridge?.ledger as Record<string, Record<string, unknown> | null>;
const envOf = (obs: Observations) => obs.bridge?.environment as unknown as { [k: string]: Record<string, unknown>; server: Record<string, unknown>; php: Record<string, unknown>; htaccess: Record<string, unknown>; applicationPasswords: Record<string, unknown> };

describe('rules on recorded test-bed observations with the companion plugin', () => {
  it('every recording has the bridge report and ledger', () => {
    for (const name of SCENARIOS) {
      const obs = load(name);
      assert.equal(obs.bridge?.status, 'ok', name);
      assert.ok(obs.bridge?.environment && obs.bridge.ledger, `${name} has environment and ledger`);
    }
  });

  for (const name of SCENARIOS) {
    const gap = knownGap(name, 'bridge');
    it(`${name}: the layer and culprit the scenario file names with the bridge${gapTitle(gap)}`, function () {
      const want = expected(name).expect.errors;
      const got = errorsOf(load(name));
      expectOrKnownGap(this, gap, () => {
        if (want.length === 0) {
          assert.deepEqual(
            got.map((f) => f.id),
            [],
          );
          return;
        }
        for (const w of want) {
          const match = got.find(
            (f) => f.layer === w.layer && f.culprit?.kind === w.culprit?.kind && (NAMED_ONLY_BY_ISOLATION.has(name) || f.culprit?.name === w.culprit?.name) && (!w.culprit?.file || NAMED_ONLY_BY_ISOLATION.has(name) || f.culprit?.file === w.culprit.file),
          );
          assert.ok(match, `${name}: expected layer ${w.layer} culprit ${JSON.stringify(w.culprit)}; got ${JSON.stringify(got.map((f) => [f.id, f.layer, f.culprit]))}`);
        }
      });
    });

    const blackGap = knownGap(name, 'black-box');
    it(`${name}: without the bridge the same observations give the black-box verdict${gapTitle(blackGap)}`, function () {
      const want = expected(name).expect.errors;
      const got = errorsOf(withoutBridge(load(name)));
      expectOrKnownGap(this, blackGap, () => {
        if (want.length === 0) {
          assert.deepEqual(
            got.map((f) => f.id),
            [],
          );
          return;
        }
        for (const w of want) {
          const layer = w.layerBlackBox ?? w.layer;
          const culprit = w.culpritBlackBox !== undefined ? w.culpritBlackBox : w.culprit;
          assert.ok(
            got.some((f) => f.layer === layer && f.culprit?.kind === culprit?.kind && (culprit?.kind === 'plugin' || f.culprit?.name === culprit?.name)),
            `${name} (black box): ${JSON.stringify(got.map((f) => [f.id, f.layer, f.culprit]))}`,
          );
        }
      });
    });
  }

  describe('fpm-strips-authorization: the header was lost before PHP', () => {
    const obs = load('fpm-strips-authorization');
    const me = probe(obs, '/wp-json/wp/v2/users/me', 'app-password');

    it('cites the ledger: the application-password probe reached PHP without Authorization', () => {
      const f = errorsOf(obs).find((x) => x.id === 'rest.app-password.authorization-stripped') as Finding;
      assert.deepEqual(bridgeEv(f, `ledger.${me.id}`)?.value, { reachedPhp: true, authorizationHeader: false });
      assert.equal(bridgeEv(f, 'php.sapi')?.value, 'fpm-fcgi');
      assert.equal(f.layer, 'server');
      assert.ok(f.fixes.some((x) => x.includes('CGIPassAuth On')));
      assert.ok(!f.fixes.some((x) => /wrong or was revoked/.test(x)), 'the ledger rules out a wrong password');
    });

    it('the header arriving at PHP: no stripped-header finding (a wrong password is not this)', () => {
      const o = clone(obs);
      (ledgerOf(o)[me.id] as Record<string, unknown>).authorizationHeader = true;
      assert.ok(!errorsOf(o).some((f) => f.id === 'rest.app-password.authorization-stripped'));
    });

    it('the probe never reaching PHP: not this finding either', () => {
      const o = clone(obs);
      ledgerOf(o)[me.id] = null;
      assert.ok(!errorsOf(o).some((f) => f.id === 'rest.app-password.authorization-stripped'));
    });

    it('X-Forwarded-Proto arriving at PHP: a proxy in front, so the edge', () => {
      const o = clone(obs);
      envOf(o).server.forwardedProto = 'https';
      const f = errorsOf(o).find((x) => x.id === 'rest.app-password.authorization-stripped') as Finding;
      assert.equal(f.layer, 'edge');
      assert.deepEqual(f.culprit, { kind: 'proxy', name: 'Authorization' });
    });

    it('mod_php and no proxy: the server, but not CGIPassAuth', () => {
      const o = clone(obs);
      envOf(o).php.sapi = 'apache2handler';
      const f = errorsOf(o).find((x) => x.id === 'rest.app-password.authorization-stripped') as Finding;
      assert.equal(f.layer, 'server');
      assert.notEqual(f.culprit?.name, 'CGIPassAuth');
    });
  });

  it('proxy-strips-authorization: PHP runs under Apache while nginx answers — the edge, from inside', () => {
    const obs = load('proxy-strips-authorization');
    const f = errorsOf(obs).find((x) => x.id === 'rest.app-password.authorization-stripped') as Finding;
    assert.equal(f.layer, 'edge');
    assert.ok(f.evidence.some((e) => e.kind === 'note' && /a proxy in front/.test(e.text)));
  });

  describe('htaccess-admin-zone: the challenged probes never reached PHP', () => {
    const obs = load('htaccess-admin-zone');
    const admin = probe(obs, '/wp-admin/', 'none');

    it('the 401 probe has no ledger entry, other probes do, and the finding says so', () => {
      assert.equal(admin.ledger, null);
      assert.ok(obs.probes.some((p) => p.ledger?.reachedPhp));
      const f = errorsOf(obs).find((x) => x.id === 'server.basic-auth.zone') as Finding;
      assert.deepEqual(bridgeEv(f, `ledger.${admin.id}`)?.value, { reachedPhp: false });
      assert.ok(f.evidence.some((e) => e.kind === 'note' && /never reached PHP/.test(e.text)));
      const lines = bridgeEv(f, 'htaccess.wp-admin/.htaccess')?.value as string[];
      assert.ok(lines.some((l) => /AuthType Basic/.test(l)) && lines.some((l) => /Require valid-user/.test(l)), JSON.stringify(lines));
      assert.match(f.explanation, /never reached PHP/);
    });

    it('no Auth directives in any .htaccess: the vhost, still the server', () => {
      const o = clone(obs);
      for (const h of envOf(o).htaccess as unknown as { directives: unknown[] }[]) h.directives = [];
      const f = errorsOf(o).find((x) => x.id === 'server.basic-auth.zone') as Finding;
      assert.equal(f.layer, 'server');
      assert.equal(f.culprit?.kind, 'server-config');
    });

    it('a Basic challenge that reached PHP came from WordPress: the plugin layer', () => {
      const o = clone(obs);
      const some = Object.values(ledgerOf(o)).find((e) => e !== null) as Record<string, unknown>;
      for (const p of o.probes.filter((x) => x.status === 401 && x.auth === 'none' && x.headers['www-authenticate'])) ledgerOf(o)[p.id] = { ...some, status: 401 };
      const f = errorsOf(o).find((x) => x.id === 'plugin.basic-auth.php-lock') as Finding;
      assert.equal(f.layer, 'plugin');
      assert.ok(!errorsOf(o).some((x) => x.id === 'server.basic-auth.zone'), 'not the server zone as well');
    });
  });

  it('rest-blocked-by-plugin and plugin-pair: the ledger names the callback that returned the error', () => {
    const rest = errorsOf(load('rest-blocked-by-plugin')).find((x) => x.id === 'plugin.rest.blocked-for-anonymous') as Finding;
    assert.deepEqual(rest.culprit, { kind: 'plugin', name: 'fixture-rest-guard', file: 'fixture-rest-guard/fixture-rest-guard.php' });
    assert.ok(rest.evidence.some((e) => e.kind === 'bridge' && /authError$/.test(e.fact)));
    assert.equal(rest.confidence, 'likely');
    const pair = errorsOf(load('plugin-pair')).find((x) => x.id === 'plugin.rest.blocked-for-anonymous') as Finding;
    assert.equal(pair.culprit?.name, 'fixture-api-shield');
    assert.ok(pair.evidence.some((e) => e.kind === 'probe'), 'keeps the probe evidence isolation confirms from');
  });

  it('app-passwords-disabled-by-plugin: disabled by a filter, so the plugin layer; core __return_false is not blamed', () => {
    const f = errorsOf(load('app-passwords-disabled-by-plugin')).find((x) => x.id === 'plugin.app-passwords.disabled') as Finding;
    assert.equal(f.layer, 'plugin');
    assert.equal((bridgeEv(f, 'applicationPasswords')?.value as { reason?: string } | undefined)?.reason, 'disabled-by-filter');
    assert.match(f.explanation, /__return_false/);
  });

  it('app passwords turned off by a plugin callback of its own: that plugin is named', () => {
    const o = clone(load('app-passwords-disabled-by-plugin'));
    const ap = envOf(o).applicationPasswords as { changedBy: { owner: Record<string, unknown> }[] };
    (ap.changedBy[0] as { owner: Record<string, unknown> }).owner = { type: 'plugin', slug: 'fixture-hardening', file: 'fixture-hardening/fixture-hardening.php', plugin: 'fixture-hardening/fixture-hardening.php' };
    const f = errorsOf(o).find((x) => x.id === 'plugin.app-passwords.disabled') as Finding;
    assert.deepEqual(f.culprit, { kind: 'plugin', name: 'fixture-hardening', file: 'fixture-hardening/fixture-hardening.php' });
  });

  it('rate-limited: the ledger says who set the 429', () => {
    const f = errorsOf(load('rate-limited')).find((x) => x.id === 'plugin.login.rate-limited') as Finding;
    assert.equal(f.culprit?.name, 'fixture-login-limiter');
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && /statusSetBy$/.test(e.fact)));
  });

  it('cached-login: the active advanced-cache.php drop-in, and cached answers the bridge never saw', () => {
    const f = errorsOf(load('cached-login')).find((x) => x.id === 'plugin.cache.login-cached') as Finding;
    assert.deepEqual(bridgeEv(f, 'dropins.advanced-cache.php')?.value, { active: true, name: 'advanced-cache.php', wpCache: true });
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && (e.value as { reachedPhp?: boolean }).reachedPhp === false));
  });

  it('cookie-domain-mismatch and https-secure-cookie: the constants behind them', () => {
    const d = errorsOf(load('cookie-domain-mismatch')).find((x) => x.id === 'browser.cookie.domain-mismatch') as Finding;
    assert.equal(bridgeEv(d, 'cookies.domain')?.value, 'staging.example.com');
    const s = errorsOf(load('https-secure-cookie')).find((x) => x.id === 'browser.cookie.secure-over-http') as Finding;
    assert.equal(bridgeEv(s, 'wordpress.isSsl')?.value, true);
  });

  it('proxy-strips-cookies: PHP received none of the cookies sent', () => {
    const f = errorsOf(load('proxy-strips-cookies')).find((x) => x.id === 'edge.cookies.not-forwarded') as Finding;
    assert.ok(f.evidence.some((e) => e.kind === 'bridge' && Array.isArray((e.value as { cookieNames?: unknown }).cookieNames)));
  });

  describe('plugin.nonce.short-life', () => {
    it('expired-nonce: a 2 s nonce_life from fixture-short-nonce', () => {
      const f = errorsOf(load('expired-nonce')).find((x) => x.id === 'plugin.nonce.short-life') as Finding;
      assert.equal(bridgeEv(f, 'wordpress.nonceLife')?.value, 2);
      assert.equal(f.culprit?.name, 'fixture-short-nonce');
    });
    it('is quiet on a normal nonce life, and leaves a browser-proven refusal to browser-nonce', () => {
      assert.ok(!runRules(RULES, load('healthy')).some((f) => f.id === 'plugin.nonce.short-life'));
      const o = clone(load('expired-nonce'));
      o.browser = { login: { outcome: 'success' }, rest: { attempts: [{ nonce: 'aged', url: '/wp-json/wp/v2/users/me', status: 403, code: 'rest_cookie_invalid_nonce' }] } } as unknown as Observations['browser'];
      assert.ok(!runRules(RULES, o).some((f) => f.id === 'plugin.nonce.short-life'));
    });
  });

  it('a bridge that did not answer (or a failed ledger) changes nothing', () => {
    const obs = load('fpm-strips-authorization');
    const blocked = { ...obs, bridge: { status: 'blocked' as const } };
    const noLedger = { ...obs, bridge: { ...obs.bridge, status: 'ok' as const, ledger: undefined } };
    const ids = (o: Observations) => errorsOf(o).map((f) => [f.id, f.layer, f.culprit?.name]);
    assert.deepEqual(ids(blocked), ids(withoutBridge(obs)));
    assert.deepEqual(ids(noLedger).map((x) => x[1]), ['server']);
  });

  it('no secret in the recordings and no "confirmed" without an experiment or a ledger entry', () => {
    for (const name of SCENARIOS) {
      const text = readFileSync(join(DIR, `${name}.json`), 'utf8');
      assert.doesNotMatch(text, /"Basic (?!\[redacted\])[A-Za-z0-9+/]+={0,2}"/, name);
      assert.doesNotMatch(text, /"x-wp401-(signature|nonce)":\s*\["(?!\[redacted\])/, name);
      // confirmed = an experiment or the bridge's ledger proves it (issue 16): no experiment ran in these recordings
      for (const f of runRules(RULES, load(name))) if (f.confidence === 'confirmed') assert.ok(f.evidence.some((e) => e.kind === 'bridge' && /^ledger\./.test(e.fact)), `${name} ${f.id}: confirmed without a ledger entry`);
    }
  });
});
