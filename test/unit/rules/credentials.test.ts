// A refused application password (issue 16, class 6), application passwords
// off on plain http (class 7) and a plugin refusing logged-in REST (class 11),
// judged on recorded observations changed in one place each: what each
// discriminating probe rules out, and the confidence that is left.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { RULES, runRules } from '../../../src/rules/index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;
const findings = (obs: Observations) => runRules(RULES, obs).filter((f) => f.severity === 'error');
const one = (obs: Observations, id: string) => runRules(RULES, obs).find((f) => f.id === id) as Finding;

/** The fpm-strips-authorization recording without any discriminating probe, plus the ones given. */
function fpm(extra: Partial<Probe>[] = [], login: Observations['login'] = null): Observations {
  const obs = load('fpm-strips-authorization');
  obs.probes = obs.probes.filter((p) => p.source !== 'discriminate');
  const me = obs.probes.find((p) => p.auth === 'app-password' && p.url.endsWith('/wp-json/wp/v2/users/me')) as Probe;
  extra.forEach((x, i) => {
    obs.probes.push({ ...structuredClone(me), id: `d${i}`, source: 'discriminate', ...x } as Probe);
  });
  obs.login = login;
  return obs;
}
const sameAsReal = [{ auth: 'bad-app-password' as const }, { auth: 'unknown-user' as const }];
const xmlrpc = (facts: Record<string, number | boolean>): Partial<Probe> => ({
  auth: 'app-password-xmlrpc',
  method: 'POST',
  url: 'http://127.0.0.1:8405/xmlrpc.php',
  status: 200,
  body: { bytes: 300, truncated: false, contentType: 'text/xml', pageKind: 'xml', facts },
});
const loginOk: Observations['login'] = { probe: 'p001', outcome: 'success', authCookiesSet: [], authCookiesKept: [] };
const loginUnknown: Observations['login'] = {
  probe: 'p001',
  outcome: 'wrong-credentials',
  message: 'Error: The username staging-admin is not registered on this site. If you are unsure of your username, try your email address instead.',
  authCookiesSet: [],
  authCookiesKept: [],
};

describe('class 6: a refused application password — lost header or wrong credentials', () => {
  it('nothing discriminating was sent (XML-RPC off, no login): the lost header is only possible, and the other candidates are named', () => {
    const f = one(fpm([...sameAsReal, xmlrpc({ xmlrpcFault: 405 })]), 'rest.app-password.authorization-stripped');
    assert.equal(f.confidence, 'possible');
    assert.match(f.explanation, /application password is wrong or revoked/);
    assert.match(f.explanation, /user name is not a WordPress login/);
    assert.match(f.explanation, /cannot tell the cases apart/);
    assert.match(f.explanation, /XML-RPC is switched off/);
  });

  it('XML-RPC accepts the same credentials in the body: the header is lost (credential mistakes ruled out); where, still possible without the bridge', () => {
    const errs = findings(fpm([...sameAsReal, xmlrpc({ xmlrpcOk: true })]));
    const f = errs.find((x) => x.id === 'rest.app-password.authorization-stripped') as Finding;
    assert.deepEqual([f.layer, f.culprit?.name], ['server', 'CGIPassAuth']);
    assert.match(f.explanation, /are accepted: they are right/);
    assert.match(f.explanation, /PHP-FPM or CGI under Apache.*nginx.*proxy/);
    assert.ok(!f.fixes.some((x) => /application password itself is wrong/.test(x)), 'no advice to replace a password proven right');
    assert.ok(f.evidence.some((e) => e.kind === 'probe' && e.probe === 'd2'), 'the XML-RPC probe is evidence');
    assert.ok(!errs.some((x) => x.id.startsWith('wordpress.app-password')));
  });

  it('XML-RPC refuses them and the password login of the same user worked: the application password is wrong (likely), not the server', () => {
    const errs = findings(fpm([...sameAsReal, xmlrpc({ xmlrpcFault: 403 })], loginOk));
    assert.deepEqual(
      errs.map((x) => [x.id, x.layer, x.culprit?.name, x.confidence]),
      [['wordpress.app-password.wrong', 'wordpress', 'application-password', 'likely']],
    );
  });

  it('the login page says the user name is not registered: an unknown user (likely), whatever XML-RPC says', () => {
    const f = one(fpm([...sameAsReal, xmlrpc({ xmlrpcFault: 403 })], loginUnknown), 'wordpress.app-password.unknown-user');
    assert.deepEqual([f.culprit?.name, f.confidence], ['user', 'likely']);
    assert.match(f.explanation, /application password's name .* used as the user name/);
    const off = one(fpm([...sameAsReal, xmlrpc({ xmlrpcFault: 405 })], loginUnknown), 'wordpress.app-password.unknown-user');
    assert.equal(off.culprit?.name, 'user');
  });

  it('XML-RPC refuses them and nothing says which is wrong: possible, both named, and how to tell', () => {
    const f = one(fpm([...sameAsReal, xmlrpc({ xmlrpcFault: 403 })]), 'wordpress.app-password.refused');
    assert.deepEqual([f.culprit?.name, f.confidence], ['user or application password', 'possible']);
    assert.match(f.explanation, /log in at wp-login\.php with that user name/);
    assert.equal(one(fpm([...sameAsReal, xmlrpc({ xmlrpcFault: 403 })]), 'rest.app-password.authorization-stripped'), undefined);
  });

  it('this site answers a wrong password with incorrect_password, yours with rest_not_logged_in: the header never arrived', () => {
    const wrong: Partial<Probe> = { auth: 'bad-app-password', body: { bytes: 90, truncated: false, pageKind: 'rest-json', restError: { code: 'incorrect_password', message: 'The provided password is an invalid application password.', status: 401 } } };
    const f = one(fpm([wrong, { auth: 'unknown-user' }]), 'rest.app-password.authorization-stripped');
    assert.match(f.explanation, /never reached WordPress/);
  });

  it('the ledger records core\'s incorrect_password with the header present: wrong application password, confirmed', () => {
    const obs = load('bridge/fpm-strips-authorization');
    const me = obs.probes.find((p) => p.auth === 'app-password' && p.url.endsWith('/wp-json/wp/v2/users/me')) as Probe;
    const entry = obs.bridge?.ledger?.[me.id];
    assert.ok(entry, 'a ledger entry for users/me');
    entry.authorizationHeader = true;
    entry.appPasswordError = { code: 'incorrect_password', message: 'The provided password is an invalid application password.' };
    const errs = findings(obs);
    const f = errs.find((x) => x.id === 'wordpress.app-password.wrong') as Finding;
    assert.deepEqual([f?.culprit?.name, f?.confidence], ['application-password', 'confirmed']);
    assert.ok(!errs.some((x) => x.id === 'rest.app-password.authorization-stripped'));
    entry.appPasswordError = { code: 'invalid_username', message: 'Unknown username.' };
    assert.equal(one(obs, 'wordpress.app-password.unknown-user').confidence, 'confirmed');
  });
});

describe('class 7: application passwords off on plain http', () => {
  /** The app-passwords-disabled-by-plugin recording (http, 127.0.0.1), black box, with or without the profile page read. */
  function http(section?: 'unsupported' | 'hidden'): Observations {
    const obs = load('app-passwords-disabled-by-plugin');
    obs.probes = obs.probes.filter((p) => !p.url.endsWith('/wp-admin/profile.php'));
    if (section) {
      const admin = obs.probes.find((p) => p.url.endsWith('/wp-admin/')) as Probe;
      obs.probes.push({ ...structuredClone(admin), id: 'profile', source: 'cookie', auth: 'cookie', url: admin.url.replace(/wp-admin\/$/, 'wp-admin/profile.php'), finalUrl: admin.url.replace(/wp-admin\/$/, 'wp-admin/profile.php'), status: 200, chain: [], body: { bytes: 9000, truncated: false, pageKind: 'wp-admin', facts: { appPasswordsSection: section } } });
    }
    return obs;
  }

  it('from outside: never "a local site" from 127.0.0.1, never a plugin alone — WP_ENVIRONMENT_TYPE possible, the plugin filter named too', () => {
    const f = one(http(), 'wordpress.app-passwords.unavailable');
    assert.deepEqual([f.layer, f.culprit?.name, f.confidence], ['wordpress', 'WP_ENVIRONMENT_TYPE', 'possible']);
    assert.match(f.explanation, /says nothing about that setting/);
    assert.match(f.explanation, /a security plugin filtering wp_is_application_passwords_available/);
    assert.ok(!runRules(RULES, http()).some((x) => /a local site/.test(x.explanation)));
  });

  it('logged in, the profile page shows core\'s "requires HTTPS" notice: WP_ENVIRONMENT_TYPE, likely', () => {
    const f = one(http('unsupported'), 'wordpress.app-passwords.unavailable');
    assert.deepEqual([f.culprit?.name, f.confidence], ['WP_ENVIRONMENT_TYPE', 'likely']);
  });

  it('logged in, the profile page hides the section: supported, so a filter turned them off — a plugin', () => {
    const f = one(http('hidden'), 'plugin.app-passwords.disabled');
    assert.equal(f.layer, 'plugin');
    assert.match(f.explanation, /hides the whole section/);
  });
});

describe('class 11: a plugin refuses REST requests made with an application password', () => {
  function refusedWith(code: string, name: string): Observations {
    const obs = load(name);
    for (const p of obs.probes.filter((x) => x.auth === 'app-password' && x.url.endsWith('/wp-json/wp/v2/users/me'))) {
      p.status = 401;
      p.body = { bytes: 120, truncated: false, pageKind: 'rest-json', restError: { code, message: 'Application passwords are not accepted here.', status: 401 } };
    }
    return obs;
  }

  it('its own code on a credentialed request is an error naming a plugin (possible from outside), never an expected refusal', () => {
    const f = one(refusedWith('fixture_api_key_required', 'healthy'), 'plugin.rest.rejects-app-passwords');
    assert.deepEqual([f.severity, f.layer, f.culprit?.kind, f.confidence], ['error', 'plugin', 'plugin', 'possible']);
    assert.match(f.explanation, /fixture_api_key_required/);
  });

  it("core's own codes are other rules' business", () => {
    assert.equal(one(refusedWith('rest_not_logged_in', 'healthy'), 'plugin.rest.rejects-app-passwords'), undefined);
    assert.equal(one(refusedWith('rest_forbidden', 'healthy'), 'plugin.rest.rejects-app-passwords'), undefined);
  });
});
