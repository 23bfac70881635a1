// `npm run testbed -- info --json` lists every scenario with what tests and
// users need: name, url, docroot and its throwaway credentials.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import { SCENARIOS } from '../../fixtures/testbed/scenarios.js';
import { requireTestbed } from '../support/testbed.js';

describe('test bed: info --json', function () {
  this.timeout(60000);
  before(requireTestbed);

  it('lists every scenario with url (https where it has TLS), docroot and credentials', () => {
    const r = spawnSync('npm', ['run', '-s', 'testbed', '--', 'info', '--json'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const data = JSON.parse(r.stdout) as { caFile: string; scenarios: Record<string, string | undefined>[] };
    assert.ok(existsSync(data.caFile), 'the test bed CA file exists');
    assert.deepEqual(data.scenarios.map((s) => s.name).sort(), SCENARIOS.map((s) => s.name).sort());
    for (const s of data.scenarios) {
      const spec = SCENARIOS.find((x) => x.name === s.name);
      // A network's scenario targets one of its sites, e.g. /second/.
      const path = spec?.multisite?.scanPath ?? '/';
      if (spec?.tls) {
        assert.match(s.url ?? '', new RegExp(`^https://127\\.0\\.0\\.1:\\d+${path}$`), `${s.name} url`);
        assert.equal(s.httpsUrl, s.url, `${s.name} httpsUrl`);
        assert.equal(s.caFile, data.caFile, `${s.name} names the CA of its certificate`);
      } else {
        assert.match(s.url ?? '', new RegExp(`^http://127\\.0\\.0\\.1:\\d+${path}$`), `${s.name} url`);
      }
      if (s.notBuilt) {
        // a real plugin missing from the local mirror: listed, with the reason, and nothing else
        assert.ok(spec?.realPlugins?.length, `${s.name}: only real-plugin scenarios may be left unbuilt`);
        continue;
      }
      assert.ok(s.docroot && existsSync(join(s.docroot, 'wp-config.php')), `${s.name} docroot`);
      for (const k of ['adminUser', 'adminPassword', 'appPassword', 'bridgeKey']) assert.ok(s[k], `${s.name} ${k}`);
      if (spec?.basicAuth) {
        assert.ok(s.httpUser && s.httpPassword, `${s.name} has basic-auth credentials`);
      } else {
        assert.equal(s.httpUser, undefined, `${s.name} has no basic auth`);
      }
    }
  });
});
