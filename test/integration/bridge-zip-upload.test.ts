// `wp401 bridge zip` without the system `zip` program (issue 17): the built
// CLI runs with a PATH that holds no `zip`, and the zip it writes installs the
// way a user installs it — Plugins → Add New → Upload Plugin, then Activate —
// on every WordPress version the test bed runs (one healthy site per version,
// plain http where there is one, else https with the test bed's CA; the
// newest included by construction). Each site is reset
// before and after. Cost: about 3 s per WordPress version.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { FormData, fetch } from 'undici';
import { SCENARIOS } from '../../fixtures/testbed/scenarios.js';
import { php, runCli } from '../support/hardening.js';
import { Client, dispatcherFor, login, requireTestbed, resetScenario, scenario } from '../support/testbed.js';

const PLUGIN = 'wp401-bridge/wp401-bridge.php';

/** One healthy site per WordPress version in the test bed: plain http first, else https with the test bed's CA. */
function sitesByVersion(): Map<string, string> {
  const out = new Map<string, string>();
  const healthy = SCENARIOS.filter((s) => s.name.startsWith('healthy') && s.front.kind === 'apache-php' && !s.siteUrl && !s.httpsPort);
  const tls = (s: (typeof healthy)[number]) => ('tls' in s && s.tls ? 1 : 0);
  for (const s of [...healthy].sort((a, b) => tls(a) - tls(b))) if (!out.has(s.core)) out.set(s.core, s.name);
  return out;
}

const newest = [...new Set(SCENARIOS.map((s) => s.core))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);

async function text(r: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<string> {
  return Buffer.from(await r.arrayBuffer()).toString('utf8');
}

/** Is `name` an executable anywhere on this PATH? */
function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

describe('wp401 bridge zip without the system zip, installed through Plugins → Add New → Upload', function () {
  this.timeout(120000);
  let work: string;
  let zip: string;

  before(async () => {
    await requireTestbed();
    work = mkdtempSync(join(tmpdir(), 'wp401-zipup-'));
    const emptyBin = join(work, 'bin');
    execFileSync('mkdir', ['-p', emptyBin]);
    assert.ok(!onPath('zip', emptyBin), 'the PATH given to the CLI holds no zip program');
    zip = join(work, 'out', 'wp401-bridge.zip');
    const r = await runCli(['bridge', 'zip', '--out', zip], { env: { PATH: emptyBin } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), zip, 'the CLI prints where the zip is');
    const list = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(list.includes('wp401-bridge/wp401-bridge.php'));
    assert.ok(list.includes('wp401-bridge/includes/class-wp401-site-health.php'));
    assert.ok(list.every((n) => n.startsWith('wp401-bridge/') && !n.includes('/tests/')), list.join('\n'));
    execFileSync('unzip', ['-tq', zip]);
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`covers every WordPress version in the test bed, the newest (${newest}) included`, () => {
    const versions = sitesByVersion();
    assert.ok(newest && versions.has(newest), `a healthy plain-http site runs WordPress ${newest}`);
    assert.deepEqual([...versions.keys()].sort(), [...new Set(SCENARIOS.map((s) => s.core))].sort());
  });

  for (const [version, site] of sitesByVersion()) {
    it(`WordPress ${version} (${site}): upload, "Plugin installed successfully", activate: a new key, the must-use loader, the Tools page`, async () => {
      await resetScenario(site);
      try {
        const s = scenario(site);
        const removed = await php(site, `deactivate_plugins( '${PLUGIN}' ); require_once ABSPATH . 'wp-admin/includes/file.php'; $r = delete_plugins( array( '${PLUGIN}' ) ); echo true === $r ? 'deleted' : 'failed';`);
        assert.equal(removed.trim(), 'deleted', 'the bridge the site was built with is removed first');
        const admin = new Client();
        assert.equal((await login(admin, s.url, s.adminUser, s.adminPassword)).status, 200, 'administrator login');

        const page = await text(await admin.get(new URL('wp-admin/plugin-install.php?tab=upload', s.url).toString(), {}, true));
        const form = page.slice(page.indexOf('update.php?action=upload-plugin'));
        const nonce = /name="_wpnonce" value="([0-9a-f]{10})"/.exec(form)?.[1];
        assert.ok(nonce, 'the upload form has its nonce');
        const url = new URL('wp-admin/update.php?action=upload-plugin', s.url).toString();
        const fd = new FormData();
        fd.set('_wpnonce', nonce);
        fd.set('_wp_http_referer', '/wp-admin/plugin-install.php?tab=upload');
        fd.set('pluginzip', new Blob([readFileSync(zip)], { type: 'application/zip' }), 'wp401-bridge.zip');
        fd.set('install-plugin-submit', 'Install Now');
        const up = await fetch(url, { method: 'POST', headers: { cookie: await admin.jar.getCookieString(url) }, body: fd, redirect: 'manual', dispatcher: dispatcherFor(url), signal: AbortSignal.timeout(60000) });
        const html = await text(up);
        assert.equal(up.status, 200);
        assert.match(html, /Plugin installed successfully/);
        const activate = /href="([^"]*plugins\.php\?action=activate&amp;plugin=wp401-bridge%2Fwp401-bridge\.php&amp;_wpnonce=[0-9a-f]{10})"/.exec(html)?.[1];
        assert.ok(activate, 'the result page has an Activate link');
        const a = await admin.get(new URL(activate.replace(/&amp;/g, '&'), url).toString());
        await a.arrayBuffer();
        assert.equal(a.status, 302);
        assert.match(a.headers.get('location') ?? '', /activate=true/);
        const plugins = await text(await admin.get(new URL(a.headers.get('location') ?? 'plugins.php', url).toString()));
        assert.match(plugins, /Plugin activated\./);
        assert.match(plugins, /wp401-activation-notice/, 'the onboarding notice follows the activation');

        const state = await php(site, `echo is_plugin_active( '${PLUGIN}' ) ? 'active' : 'inactive', '|', strlen( (string) get_site_option( 'wp401_bridge_key', '' ) ), '|', file_exists( WPMU_PLUGIN_DIR . '/wp401-troubleshoot.php' ) ? 'loader' : 'no-loader';`);
        assert.equal(state.trim(), 'active|64|loader', 'active | key length | must-use loader');
        const tools = await admin.get(new URL('wp-admin/tools.php?page=wp401-bridge', s.url).toString());
        assert.equal(tools.status, 200);
        assert.match(await text(tools), /id="wp401-key"/);
      } finally {
        await resetScenario(site);
      }
    });
  }
});
