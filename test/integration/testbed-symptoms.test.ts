// Every scenario's symptom is real: checked with plain HTTP against the live
// test bed, from the symptoms listed in fixtures/scenarios/<name>.json.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'undici';
import { REPO } from '../../fixtures/testbed/paths.js';
import { port, SCENARIOS } from '../../fixtures/testbed/scenarios.js';
import { basic, Client, login, notBuilt, prepareScenario, requireTestbed, resetScenario, scenario, scenarioFile, skipWith, type Symptom } from '../support/testbed.js';

async function request(name: string, sy: Symptom): Promise<{ res: Response; body: string; client: Client }> {
  const s = scenario(name);
  const base = new URL(s.url);
  if (sy.port) base.port = String(port(sy.port));
  if (sy.scheme) base.protocol = `${sy.scheme}:`;
  const url = new URL(sy.path, base).toString();
  const c = new Client();
  const site: Record<string, string> = s.httpUser ? { authorization: basic(s.httpUser, s.httpPassword ?? '') } : {};
  const accept: Record<string, string> = sy.accept ? { accept: sy.accept } : {};
  let res: Response;
  switch (sy.auth) {
    case 'none':
      for (let i = 1; i < (sy.repeat ?? 1); i++) await (await c.get(url, accept)).arrayBuffer();
      res = sy.method && sy.method !== 'GET' ? await c.send(sy.method, url, accept) : await c.get(url, accept);
      break;
    case 'oauth-partial':
      // An OAuth 1.0a header with only some of its parameters.
      res = await c.get(url, { authorization: 'OAuth oauth_consumer_key="wp401", oauth_nonce="1"' });
      break;
    case 'app-password':
      res = await c.get(url, { authorization: basic(s.adminUser, s.appPassword) });
      break;
    case 'basic-site':
      res = await c.get(url, site);
      break;
    case 'login':
      res = await login(c, base.toString(), s.adminUser, s.adminPassword, site);
      break;
    case 'after-failed-logins': {
      for (let i = 0; i < 3; i++) {
        const r = await login(new Client(), base.toString(), s.adminUser, 'not-the-password');
        await r.arrayBuffer();
      }
      res = await c.get(url);
      break;
    }
    case 'cookie+stale-nonce': {
      await (await login(c, base.toString(), s.adminUser, s.adminPassword)).arrayBuffer();
      const nonceRes = await c.get(new URL('wp-admin/admin-ajax.php?action=rest-nonce', base).toString());
      const nonce = (await nonceRes.text()).trim();
      assert.match(nonce, /^[0-9a-f]{10}$/, 'a REST nonce from admin-ajax');
      await sleep(2500);
      res = await c.get(url, { 'x-wp-nonce': nonce });
      break;
    }
  }
  return { res, body: await res.text(), client: c };
}

describe('test bed: every scenario shows its symptom over HTTP', function () {
  this.timeout(60000);
  before(requireTestbed);

  it('has a scenario file for every scenario and no stray files', () => {
    const files = readdirSync(join(REPO, 'fixtures', 'scenarios'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    assert.deepEqual(files.sort(), SCENARIOS.map((s) => s.name).sort());
  });

  for (const spec of SCENARIOS) {
    describe(spec.name, () => {
      const file = scenarioFile(spec.name);
      const resets = file.prepare || file.symptoms.some((s) => s.auth === 'after-failed-logins' || s.auth === 'login');
      if (resets) {
        before(async () => {
          if (notBuilt(spec.name)) return;
          await resetScenario(spec.name);
          await prepareScenario(spec.name);
        });
        after(() => (notBuilt(spec.name) ? undefined : resetScenario(spec.name)));
      }
      for (const sy of file.symptoms) {
        it(sy.name, async function () {
          const missing = notBuilt(spec.name);
          if (missing) skipWith(this, missing);
          const { res, body, client } = await request(spec.name, sy);
          assert.equal(res.status, sy.status, `${sy.path}: status (body: ${body.slice(0, 200)})`);
          if (sy.restCode) assert.equal((JSON.parse(body) as { code?: string }).code, sy.restCode);
          for (const [h, re] of Object.entries(sy.headers ?? {})) {
            const v = res.headers.get(h);
            if (re === null) assert.equal(v, null, `${h} must be absent`);
            else assert.match(v ?? '', new RegExp(re, 'i'), `header ${h}`);
          }
          // Scenario files name base ports; a shifted test bed (WP401_PORT_OFFSET) answers on shifted ones.
          if (sy.location) assert.match(res.headers.get('location') ?? '', new RegExp(sy.location.replace(/:(8\d{3})\b/g, (_m, p: string) => `:${port(Number(p))}`)));
          if (sy.setCookie === null) assert.deepEqual(client.setCookies, [], 'no Set-Cookie');
          else if (sy.setCookie) assert.ok(client.setCookies.some((l) => new RegExp(sy.setCookie as string, 'i').test(l)), 'Set-Cookie');
          if (sy.bodyContains) assert.ok(body.includes(sy.bodyContains), `body contains ${sy.bodyContains}`);
          if (sy.bodyNotContains) assert.ok(!body.includes(sy.bodyNotContains), `body lacks ${sy.bodyNotContains}`);
          if (sy.bodyEquals !== undefined) assert.equal(body, sy.bodyEquals, 'the whole body');
        });
      }
    });
  }
});
