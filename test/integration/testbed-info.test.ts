// `npm run testbed -- info --json` lists every scenario with what tests and
// users need: name, url, docroot and its throwaway credentials.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { P, REPO } from '../../fixtures/testbed/paths.js';
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

  it("the PHP servers read the test bed's opcode-cache settings after Debian's: every site's WordPress stays compiled", () => {
    // opcache keys a script by its path and every site is its own copy of
    // WordPress: with PHP's defaults the cache was full after a few sites and
    // the others compiled WordPress on every request.
    const scanDir = `:${join(P.conf, 'php.d')}`;
    // mod_php's Apache keeps its environment (php-fpm's master rewrites that
    // memory with its process title, so the FPM binary is asked below).
    const pid = readFileSync(join(P.run, 'apache-php.pid'), 'utf8').trim();
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    assert.ok(env.includes(`PHP_INI_SCAN_DIR=${scanDir}`), `mod_php's Apache was started with PHP_INI_SCAN_DIR=${scanDir} (a test bed started before this setting: testbed down, then up)`);
    for (const [cmd, args] of [
      ['php', ['-i']],
      ['php-fpm8.2', ['-i']],
    ] as const) {
      const r = spawnSync(cmd, [...args], { encoding: 'utf8', env: { ...process.env, PHP_INI_SCAN_DIR: scanDir }, maxBuffer: 16 * 1024 * 1024 });
      assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
      const value = (name: string) => Number(new RegExp(`^${name.replace('.', '\\.')} => (\\d+)`, 'm').exec(r.stdout)?.[1] ?? 0);
      assert.ok(value('opcache.memory_consumption') >= 1024, `${cmd}: opcache.memory_consumption ${value('opcache.memory_consumption')}`);
      assert.ok(value('opcache.max_accelerated_files') >= 100000, `${cmd}: opcache.max_accelerated_files ${value('opcache.max_accelerated_files')}`);
    }
  });
});
