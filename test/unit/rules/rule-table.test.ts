// Every rule, by id: its file is named after the id, and a test proves it
// fires. A rule added to RULES without a row here — or whose row names no
// test that asserts its finding — fails this file. About 0.2 s.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../fixtures/testbed/paths.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';
import { UNEXPLAINED_REFUSAL_ID } from '../../../src/rules/auth.refused.unexplained.js';

/** rule id → the test file (under test/unit) that asserts the finding(s) it emits. */
const RULE_TESTS: Record<string, string> = {
  'network.wrong-origin': 'rules/variants.test.ts',
  'server.basic-auth': 'rules/recorded.test.ts',
  'server.basic-auth.app-password-collision': 'rules/recorded.test.ts',
  'plugin.basic-auth.php-lock': 'rules/recorded.test.ts',
  'plugin.rest.refused-for-everyone': 'rules/recorded.test.ts',
  'plugin.rest.basic-credentials-as-login': 'rules/recorded.test.ts',
  'server.basic-auth.error-document': 'rules/recorded.test.ts',
  'edge.auth.public-path': 'rules/variants.test.ts',
  'edge.headers.too-large': 'rules/variants.test.ts',
  'rest.app-password.authorization-stripped': 'rules/recorded.test.ts',
  'wordpress.app-password.refused': 'rules/credentials.test.ts',
  'plugin.rest.rejects-app-passwords': 'rules/credentials.test.ts',
  'edge.cookies.not-forwarded': 'rules/recorded.test.ts',
  'plugin.cache.login-cached': 'rules/recorded.test.ts',
  'plugin.cache.walled-pages-public': 'rules/recorded.test.ts',
  'browser.cookie.domain-mismatch': 'rules/recorded.test.ts',
  'browser.cookie.secure-over-http': 'rules/recorded.test.ts',
  'browser.cookie.samesite': 'rules/variants.test.ts',
  'plugin.rest.blocked-for-anonymous': 'rules/recorded.test.ts',
  'wordpress.app-passwords.unavailable': 'rules/variants.test.ts',
  'plugin.nonce.short-life': 'rules/bridge-recorded.test.ts',
  'plugin.login.rate-limited': 'rules/recorded.test.ts',
  'plugin.login.not-completed': 'rules/login-not-completed.test.ts',
  'plugin.rest.redirected-to-login': 'rules/login-not-completed.test.ts',
  'wordpress.login': 'rules/variants.test.ts',
  'wordpress.rest.forbidden': 'rules/variants.test.ts',
  'wordpress.rest.not-found': 'rules/variants.test.ts',
  'wordpress.clock.skew': 'rules/variants.test.ts',
  'plugin.fingerprint': 'rules/rule-table.test.ts',
  'scan.credentials.missing': 'rules/variants.test.ts',
  'browser.login.cookie-lost': 'rules/browser-rules.test.ts',
  'browser.login': 'rules/browser-rules.test.ts',
  'browser.admin': 'rules/rule-table.test.ts',
  'wordpress.rest.nonce': 'rules/browser-rules.test.ts',
  'wordpress.nonce.short-life': 'rules/rest-nonce-age.test.ts',
  // edge software (issue 16, helper edge)
  'browser.cookie.admin-path': 'rules/edge-software.test.ts',
  'edge.cookies.stripped': 'rules/edge-software.test.ts',
  'edge.waf.content-filter': 'rules/edge-software.test.ts',
  // the runner's last step, after every rule: a refusal no finding explains
  [UNEXPLAINED_REFUSAL_ID]: 'rules/unexplained-refusal.test.ts',
};

/** Every id a rule file is named after: the rules, and the runner's own last check. */
const IDS = [...RULES.map((r) => r.meta.id), UNEXPLAINED_REFUSAL_ID].sort();

const load = (file: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', file), 'utf8')) as Observations;

describe('the rule table: every rule id, its file and its test', () => {
  it("names every rule of RULES (and the runner's unexplained-refusal check), nothing else", () => {
    assert.deepEqual(Object.keys(RULE_TESTS).sort(), IDS);
  });

  it('each rule lives in src/rules/<its id>.ts', () => {
    const files = readdirSync(join(REPO, 'src', 'rules')).filter((f) => /^[a-z0-9-]+\.[a-z0-9.-]+\.ts$/.test(f));
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), IDS);
    for (const rule of RULES) {
      const text = readFileSync(join(REPO, 'src', 'rules', `${rule.meta.id}.ts`), 'utf8');
      assert.ok(text.includes(`id: '${rule.meta.id}'`), `${rule.meta.id}.ts declares another rule`);
    }
  });

  it('each row names a test file that asserts a finding of that rule', () => {
    for (const [id, file] of Object.entries(RULE_TESTS)) {
      const path = join(REPO, 'test', 'unit', file);
      assert.ok(existsSync(path), `${id}: ${file} does not exist`);
      assert.ok(readFileSync(path, 'utf8').includes(id), `${file} never names a finding of ${id}`);
    }
  });
});

describe('rules without a scenario of their own', () => {
  it("plugin.fingerprint: rate-limited's recorded pages show the login limiter's plugin (an info, never an error)", () => {
    const f = runRules(RULES, load('rate-limited.json')).find((x) => x.id === 'plugin.fingerprint');
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.equal(f.culprit, null);
    assert.match(f.title, /^Plugins seen from outside: /);
  });

  it('plugin.fingerprint: a plugin seen only through catalog hints (a proxy header, a hinted page text) "may be installed"; one seen by a verified mark does not say so', () => {
    const obs = load('rate-limited.json');
    const first = obs.probes[0];
    assert.ok(first);
    first.headers['cf-ray'] = ['8a1b2c3d4e5f-FRA'];
    first.body = { ...(first.body ?? { bytes: 0, truncated: false }), facts: { ...(first.body?.facts ?? {}), pluginHints: ['better-wp-security'] } };
    const f = runRules(RULES, obs).find((x) => x.id === 'plugin.fingerprint');
    assert.ok(f);
    assert.match(f.explanation, /Cloudflare \(cdn; header cf-ray; may be installed: unverified hints only\)/);
    assert.match(f.explanation, /Solid Security \(formerly iThemes Security\) \(security; a hint in page HTML; may be installed: unverified hints only\)/);
    assert.match(f.explanation, /Limit Login Attempts Reloaded \(login-lock; its mark in page HTML\)/);
    assert.equal(f.culprit, null);
  });

  it("browser.admin: a logged-in browser sent back to the login, and a page that says \"not allowed\"", () => {
    const obs = load('browser/healthy.json');
    const b = obs.browser;
    assert.ok(b?.admin && b.login.outcome === 'success' && b.admin.pages.length >= 2);
    assert.deepEqual(runRules(RULES, obs).filter((x) => x.id.startsWith('browser.admin') || x.id === 'wordpress.admin.not-allowed'), [], 'healthy: no admin finding');
    const [first, second] = b.admin.pages;
    b.admin.pages = [
      { ...(first as NonNullable<typeof first>), bouncedToLogin: true, finalUrl: `${obs.target}wp-login.php?reauth=1` },
      { ...(second as NonNullable<typeof second>), bouncedToLogin: false, notAllowed: true, status: 403 },
    ];
    const found = runRules(RULES, obs);
    const bounced = found.find((x) => x.id === 'browser.admin.bounced-to-login');
    assert.ok(bounced);
    assert.deepEqual([bounced.severity, bounced.layer], ['error', 'wordpress']);
    const refused = found.find((x) => x.id === 'wordpress.admin.not-allowed');
    assert.ok(refused);
    assert.deepEqual([refused.severity, refused.culprit], ['warning', { kind: 'credential', name: 'capability' }]);
  });
});
