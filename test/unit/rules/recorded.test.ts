// Every rule on observations recorded from the live test bed
// (test/fixtures/observations, re-recorded by record.ts): each fires on the
// scenarios it is about (positive) and stays quiet on the others (negative).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';
import { EDGE_SCENARIO_NAMES, SCENARIOS as ALL } from '../../../fixtures/testbed/scenarios.js';
import { expectOrKnownGap, gapTitle, knownGap } from '../../support/known-gaps.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;
const expected = (name: string) =>
  JSON.parse(readFileSync(join(REPO, 'fixtures', 'scenarios', `${name}.json`), 'utf8')) as {
    expect: { errors: { layer: string; layerBlackBox?: string; culprit: { kind: string; name: string } | null; culpritBlackBox?: { kind: string; name: string } | null }[] };
  };

// The edge and real-plugin scenarios have no recordings: their scans run live
// (test/integration/scan-*.test.ts, with their known gaps).
const SCENARIOS = ALL.filter((s) => s.name !== 'hostile' && !s.realPlugins && !EDGE_SCENARIO_NAMES.includes(s.name)).map((s) => s.name);

/** error finding id → the scenarios where it must appear; it must not appear as an error anywhere else */
const FIRES: Record<string, string[]> = {
  'server.basic-auth.zone': ['htaccess-admin-zone'],
  'server.basic-auth.site-lock': ['staging-lock', 'staging-lock-rest-basic-plugin'],
  'server.basic-auth.app-password-collision': ['staging-lock', 'php-staging-lock', 'php-staging-lock-rest-open', 'staging-lock-rest-basic-plugin'],
  'plugin.basic-auth.php-lock': ['php-staging-lock', 'php-staging-lock-rest-open'],
  'plugin.rest.refused-for-everyone': ['rest-wall'],
  'plugin.rest.basic-credentials-as-login': ['staging-lock-rest-basic-plugin'],
  'server.basic-auth.error-document': ['errordocument-401-missing'],
  'rest.app-password.authorization-stripped': ['fpm-strips-authorization', 'proxy-strips-authorization'],
  'edge.cookies.not-forwarded': ['proxy-strips-cookies'],
  'plugin.rest.blocked-for-anonymous': ['rest-blocked-by-plugin', 'plugin-pair', 'plugin-independent', 'shared-rest-code'],
  'plugin.app-passwords.disabled': ['app-passwords-disabled-by-plugin'],
  'browser.cookie.domain-mismatch': ['cookie-domain-mismatch'],
  'browser.cookie.secure-over-http': ['https-secure-cookie'],
  'plugin.cache.login-cached': ['cached-login'],
  'plugin.cache.walled-pages-public': ['cache-behind-login-wall'],
  'plugin.login.rate-limited': ['rate-limited'],
};

const judged = new Map<string, Finding[]>();
const findings = (name: string) => {
  let f = judged.get(name);
  if (!f) {
    f = runRules(RULES, load(name));
    judged.set(name, f);
  }
  return f;
};
const errors = (name: string) => findings(name).filter((f) => f.severity === 'error');

describe('rules on recorded test-bed observations', () => {
  for (const name of SCENARIOS) {
    const gap = knownGap(name, 'black-box');
    it(`${name}: the layer and culprit the scenario file names${gapTitle(gap)}`, function () {
      const want = expected(name).expect.errors;
      const got = errors(name);
      expectOrKnownGap(this, gap, () => {
        if (want.length === 0) {
          assert.deepEqual(
            got.map((f) => f.id),
            [],
            `${name} must have no error finding`,
          );
          return;
        }
        for (const w of want) {
          const layer = w.layerBlackBox ?? w.layer;
          const culprit = w.culpritBlackBox !== undefined ? w.culpritBlackBox : w.culprit;
          const match = got.find((f) => f.layer === layer && f.culprit?.kind === culprit?.kind && (culprit?.kind === 'plugin' || f.culprit?.name === culprit?.name));
          assert.ok(match, `${name}: expected an error in layer ${layer} with culprit ${JSON.stringify(culprit)}; got ${JSON.stringify(got.map((f) => [f.id, f.layer, f.culprit]))}`);
        }
      });
    });
  }

  for (const [id, where] of Object.entries(FIRES)) {
    it(`${id}: fires on ${where.join(', ')} and on nothing else (a scenario with a known black-box gap aside)`, () => {
      for (const name of SCENARIOS.filter((n) => knownGap(n, 'black-box') === undefined)) {
        const has = errors(name).some((f) => f.id === id);
        assert.equal(has, where.includes(name), `${id} on ${name}`);
      }
    });
  }

  it('the anonymous /wp-admin/ → login redirect and anonymous users/me 401 are not errors', () => {
    const obs = load('healthy');
    assert.ok(obs.probes.some((p) => p.auth === 'none' && p.url.endsWith('/wp-json/wp/v2/users/me') && p.status === 401));
    assert.ok(obs.probes.some((p) => p.auth === 'none' && p.url.endsWith('/wp-admin/') && p.chain[0]?.status === 302));
    assert.deepEqual(errors('healthy'), []);
  });

  it('every finding follows the contract: dotted id, layer, fixes, no "confirmed" from outside', () => {
    for (const name of SCENARIOS) {
      for (const f of findings(name)) {
        assert.match(f.id, /^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
        assert.ok(f.title && f.explanation, `${f.id} has words`);
        assert.notEqual(f.confidence, 'confirmed', `${f.id} is a black-box guess`);
        if (f.severity === 'error') assert.ok(f.fixes.length > 0, `${f.id} says what to change`);
      }
    }
  });

  it('fixes are specific to what was seen', () => {
    const fpm = errors('fpm-strips-authorization')[0] as Finding;
    assert.ok(fpm.fixes.some((x) => x.includes('CGIPassAuth On')));
    assert.ok(fpm.fixes.some((x) => x.includes('SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1')));
    const proxy = errors('proxy-strips-authorization')[0] as Finding;
    assert.ok(proxy.fixes.some((x) => x.includes('proxy_set_header Authorization $http_authorization;')));
    const zone = errors('htaccess-admin-zone').find((f) => f.id === 'server.basic-auth.zone') as Finding;
    assert.match(zone.title, /realm "Staging Admin Area"/);
    assert.equal(zone.culprit?.file, 'wp-admin/.htaccess');
    const domain = errors('cookie-domain-mismatch')[0] as Finding;
    assert.ok(domain.fixes.some((x) => x.includes("define( 'COOKIE_DOMAIN', 'staging.example.com' )")));
    const https = errors('https-secure-cookie')[0] as Finding;
    assert.ok(https.fixes.some((x) => x.includes("$_SERVER['HTTPS']")));
    const pair = errors('plugin-pair')[0] as Finding;
    assert.match(pair.title, /api_shield_members_only/);
    assert.ok(pair.fixes.some((x) => x.includes('--isolate')), 'unknown plugin: says how to prove it');
    const rest = errors('rest-blocked-by-plugin')[0] as Finding;
    assert.match(rest.explanation, /Disable WP REST API/);
    const rl = errors('rate-limited')[0] as Finding;
    assert.match(rl.explanation, /not a 401/);
    assert.ok(rl.evidence.some((e) => e.kind === 'note' && /once/.test(e.text)));
  });

  it('findings carry no secret: evidence values come from redacted probes', () => {
    for (const name of SCENARIOS) {
      const text = JSON.stringify(findings(name));
      assert.doesNotMatch(text, /Basic [A-Za-z0-9+/=]{12,}/);
    }
  });
});
