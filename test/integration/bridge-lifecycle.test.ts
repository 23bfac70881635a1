// The bridge's life cycle on the live test bed (issue 5, "Must show"):
// deactivation (the real way: an administrator's plugins.php link with its
// nonce) and uninstall (the real way: the Plugins screen's AJAX delete with
// its nonce, which runs uninstall.php) leave no option, transient, must-use
// loader or private store behind; installing from the zip the way a user does
// (Plugins → Add New → Upload, then Activate) works under WP_DEBUG without a
// single notice, warning or deprecation from the bridge's files — on
// WordPress 6.5 over HTTP (healthy-wp65, reset after) and on 6.1 in a
// throwaway copy of `healthy` (own database and docroot, removed after).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormData, fetch } from 'undici';
import { restoreDb, sql } from '../../fixtures/testbed/mariadb.js';
import { FIXTURES, P } from '../../fixtures/testbed/paths.js';
import { signRequest } from '../../src/bridge/sign.js';
import { buildBridgeZip } from '../../src/bridge/zip.js';
import { hits, needlesFor, php } from '../support/hardening.js';
import { Client, login, requireTestbed, resetScenario, scenario, deployBridge } from '../support/testbed.js';

const SITE = 'healthy-wp65';
const PLUGIN = 'wp401-bridge/wp401-bridge.php';
const LOGS = P.logs;


/** WP_DEBUG on, everything logged to `log`, nothing displayed (a notice in a header would break the login). */
function enableDebug(docroot: string, log: string, dbName?: string): void {
  const file = join(docroot, 'wp-config.php');
  let text = readFileSync(file, 'utf8');
  assert.ok(text.includes("define( 'WP_DEBUG', false );"), 'wp-config.php has the expected WP_DEBUG line');
  text = text.replace(
    "define( 'WP_DEBUG', false );",
    `define( 'WP_DEBUG', true );\ndefine( 'WP_DEBUG_LOG', '${log}' );\ndefine( 'WP_DEBUG_DISPLAY', false );\n@ini_set( 'display_errors', '0' );`,
  );
  if (dbName) text = text.replace(/define\( 'DB_NAME', '[^']*' \);/, `define( 'DB_NAME', '${dbName}' );`);
  writeFileSync(file, text);
}

/** Lines of a debug log that come from the bridge (its folder or its must-use loader). */
function bridgeLines(text: string): string[] {
  return text.split('\n').filter((l) => /wp401-bridge|wp401-troubleshoot|WP401_/.test(l));
}

async function body(r: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<string> {
  return Buffer.from(await r.arrayBuffer()).toString('utf8');
}

describe('bridge life cycle on healthy-wp65 (WordPress 6.5, WP_DEBUG on; reset after)', function () {
  this.timeout(180000);
  let base: string;
  let docroot: string;
  let storeDir: string;
  let work: string;
  let debugLog: string;
  let errorLogStart: number;
  let admin: Client;

  const options = async (): Promise<string[]> =>
    (await php(SITE, "global $wpdb; echo implode( ',', $wpdb->get_col( \"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%wp401%' ORDER BY option_name\" ) );"))
      .trim()
      .split(',')
      .filter(Boolean);
  const loader = () => join(docroot, 'wp-content', 'mu-plugins', 'wp401-troubleshoot.php');
  const signedEnv = async (key: string): Promise<number> => {
    const url = new URL('wp-json/wp401/v1/env', base).toString();
    const r = await fetch(url, { headers: signRequest({ key, method: 'GET', url }), signal: AbortSignal.timeout(20000) });
    await r.arrayBuffer();
    return r.status;
  };
  async function adminPage(path: string): Promise<string> {
    const r = await admin.get(new URL(path, base).toString(), {}, true);
    return body(r);
  }

  before(async () => {
    await requireTestbed();
    await resetScenario(SITE);
    deployBridge(SITE);
    const s = scenario(SITE);
    base = s.url;
    docroot = s.docroot;
    work = mkdtempSync(join(tmpdir(), 'wp401-lifecycle-'));
    chmodSync(work, 0o777);
    debugLog = join(work, 'debug.log');
    writeFileSync(debugLog, '');
    chmodSync(debugLog, 0o666);
    enableDebug(docroot, debugLog);
    errorLogStart = statSync(join(LOGS, 'apache-php.error.log')).size;
    // The debug log really receives notices (so an empty bridge section means something).
    await php(SITE, "trigger_error( 'wp401-lifecycle-canary', E_USER_NOTICE );");
    assert.match(readFileSync(debugLog, 'utf8'), /wp401-lifecycle-canary/, 'WP_DEBUG_LOG works');
    storeDir = (await php(SITE, 'echo (string) WP401_File_Store::default_dir();')).trim();
    assert.match(storeDir, /\/wp401-[0-9a-f]{32}$/);
    admin = new Client();
    const r = await login(admin, base, s.adminUser, s.adminPassword);
    assert.equal(r.status, 200, 'administrator login');
  });

  after(async () => {
    await resetScenario(SITE);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('deactivating from the Plugins screen (link + nonce) removes the key, transients, the must-use loader and the private store', async () => {
    // Something to clean up: a signed request spends a nonce in the private store, a probe leaves a ledger entry.
    assert.equal(await signedEnv(scenario(SITE).bridgeKey ?? ''), 200);
    const home = base;
    const probe = await fetch(home, { headers: signRequest({ key: scenario(SITE).bridgeKey ?? '', method: 'GET', url: home, probe: 'lifecycleprobe' }) });
    await probe.arrayBuffer();
    assert.ok(existsSync(storeDir) && readdirSync(storeDir).length > 0, 'the private store holds files before deactivation');
    assert.ok(existsSync(loader()), 'the must-use loader is installed before deactivation');
    assert.ok((await options()).includes('wp401_bridge_key'), 'the key option exists before deactivation');

    const plugins = await adminPage('wp-admin/plugins.php');
    const href = /href="(plugins\.php\?action=deactivate&amp;plugin=wp401-bridge%2Fwp401-bridge\.php[^"]*)"/.exec(plugins)?.[1];
    assert.ok(href, 'the Plugins screen has a Deactivate link for the bridge');
    const r = await admin.get(new URL(`wp-admin/${href.replace(/&amp;/g, '&')}`, base).toString());
    await r.arrayBuffer();
    assert.equal(r.status, 302);
    assert.match(r.headers.get('location') ?? '', /deactivate=true/);

    assert.deepEqual(await options(), [], 'wp401 options or transients left after deactivation');
    assert.equal((await php(SITE, `echo is_plugin_active( '${PLUGIN}' ) ? 'active' : 'inactive';`)).trim(), 'inactive');
    assert.ok(!existsSync(loader()), 'the must-use loader is still there');
    assert.ok(!existsSync(storeDir), 'the private store is still there');
    assert.equal(await signedEnv(scenario(SITE).bridgeKey ?? ''), 404, 'the bridge still answers');
    assert.ok(existsSync(join(docroot, 'wp-content', 'plugins', 'wp401-bridge')), 'deactivation keeps the plugin files');
  });

  it('deleting from the Plugins screen (AJAX + nonce) runs uninstall.php: plugin folder, key, transients, loader and store are gone', async () => {
    // Leftovers uninstall.php must clear even if deactivation had not (e.g. a crash, or an older version).
    // The store files are shaped like the store's own: it never deletes a file it did not write.
    const seed = `add_site_option( 'wp401_bridge_key', bin2hex( random_bytes( 32 ) ) );
      set_site_transient( 'wp401_planted', 1, 600 );
      set_transient( 'wp401_planted_local', 1, 600 );
      copy( WP_PLUGIN_DIR . '/wp401-bridge/mu-loader/wp401-troubleshoot.php', WPMU_PLUGIN_DIR . '/wp401-troubleshoot.php' );
      mkdir( ${JSON.stringify(storeDir)}, 0700 );
      file_put_contents( ${JSON.stringify(`${storeDir}/${'a'.repeat(40)}.n`)}, '' );
      file_put_contents( ${JSON.stringify(`${storeDir}/${'b'.repeat(40)}.v`)}, '{}' );
      touch( ${JSON.stringify(`${storeDir}/.swept`)} );
      echo 'ok';`;
    assert.equal((await php(SITE, seed)).trim(), 'ok');
    execFileSync('chown', ['-R', 'www-data:www-data', storeDir, loader()]);
    assert.ok((await options()).length >= 3, 'leftovers planted');

    const plugins = await adminPage('wp-admin/plugins.php');
    const nonce = /"ajax_nonce":"([0-9a-f]{10})"/.exec(plugins)?.[1];
    assert.ok(nonce, 'the Plugins screen carries the updates nonce');
    const form = new URLSearchParams({ action: 'delete-plugin', _ajax_nonce: nonce, plugin: PLUGIN, slug: 'wp401-bridge' });
    const r = await admin.send('POST', new URL('wp-admin/admin-ajax.php', base).toString(), {}, form.toString());
    const answer = JSON.parse(await body(r)) as { success: boolean; data?: unknown };
    assert.equal(answer.success, true, `delete-plugin: ${JSON.stringify(answer.data).slice(0, 300)}`);

    assert.ok(!existsSync(join(docroot, 'wp-content', 'plugins', 'wp401-bridge')), 'the plugin folder is still there');
    assert.deepEqual(await options(), [], 'wp401 options or transients left after uninstall');
    assert.ok(!existsSync(loader()), 'the must-use loader is still there');
    assert.ok(!existsSync(storeDir), 'the private store is still there');
  });

  it('the zip uploaded through Plugins → Add New → Upload installs and activates cleanly, and the new key works', async () => {
    const zip = await buildBridgeZip(join(work, 'wp401-bridge.zip'));
    const page = await adminPage('wp-admin/plugin-install.php?tab=upload');
    const formHtml = page.slice(page.indexOf('update.php?action=upload-plugin'));
    const nonce = /name="_wpnonce" value="([0-9a-f]{10})"/.exec(formHtml)?.[1];
    assert.ok(nonce, 'the upload form has its nonce');
    const url = new URL('wp-admin/update.php?action=upload-plugin', base).toString();
    const fd = new FormData();
    fd.set('_wpnonce', nonce);
    fd.set('_wp_http_referer', '/wp-admin/plugin-install.php?tab=upload');
    fd.set('pluginzip', new Blob([readFileSync(zip)], { type: 'application/zip' }), 'wp401-bridge.zip');
    fd.set('install-plugin-submit', 'Install Now');
    const cookie = await admin.jar.getCookieString(url);
    const up = await fetch(url, { method: 'POST', headers: { cookie }, body: fd, redirect: 'manual', signal: AbortSignal.timeout(60000) });
    const upHtml = await body(up);
    assert.equal(up.status, 200);
    assert.match(upHtml, /Plugin installed successfully/);
    assert.doesNotMatch(upHtml, /(Notice|Warning|Deprecated|Fatal error)<\/b>:/);
    const activate = /href="([^"]*plugins\.php\?action=activate&amp;plugin=wp401-bridge%2Fwp401-bridge\.php&amp;_wpnonce=[0-9a-f]{10})"/.exec(upHtml)?.[1];
    assert.ok(activate, 'the result page has an Activate link');
    const a = await admin.get(new URL(activate.replace(/&amp;/g, '&'), url).toString());
    await a.arrayBuffer();
    assert.equal(a.status, 302);
    assert.match(a.headers.get('location') ?? '', /activate=true/);
    const after = await adminPage(a.headers.get('location') ?? 'wp-admin/plugins.php');
    assert.match(after, /Plugin activated\./);
    assert.doesNotMatch(after, /unexpected output|generated \d+ characters/i);
    assert.equal((await php(SITE, `echo is_plugin_active( '${PLUGIN}' ) ? 'active' : 'inactive';`)).trim(), 'active');
    assert.ok(existsSync(loader()), 'activation installed the must-use loader');

    // A fresh key was made; the Tools page shows it and it signs requests.
    const key = (await php(SITE, "echo (string) get_site_option( 'wp401_bridge_key', '' );")).trim();
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.notEqual(key, scenario(SITE).bridgeKey, 'uninstall + reinstall made a new key');
    const tools = await adminPage('wp-admin/tools.php?page=wp401-bridge');
    assert.ok(hits(Buffer.from(tools), needlesFor('new key', key)).length > 0, 'the Tools page shows the new key');
    assert.match(tools, /must-use loader is installed/);
    assert.equal(await signedEnv(key), 200, 'the new key signs requests');
    // Protocol v2: a wrong key sees what a site without the bridge shows (core's unknown route).
    assert.equal(await signedEnv(scenario(SITE).bridgeKey ?? ''), 404, 'the old key is refused');
  });

  it('nothing above produced a notice, warning or deprecation from the bridge (WP_DEBUG log and the server error log)', () => {
    const log = readFileSync(debugLog, 'utf8');
    assert.deepEqual(bridgeLines(log), [], 'the bridge appears in the WP_DEBUG log');
    const server = readFileSync(join(LOGS, 'apache-php.error.log')).subarray(errorLogStart).toString('utf8');
    assert.deepEqual(bridgeLines(server).filter((l) => l.includes(docroot)), [], 'the bridge appears in the server error log');
  });
});

describe('bridge activation on WordPress 6.1 under WP_DEBUG (a throwaway copy of healthy)', function () {
  this.timeout(180000);
  const dbName = `wp401_scratch_${randomBytes(4).toString('hex')}`;
  let scratch: string;
  let docroot: string;
  let storeDir = '';

  /** PHP with the copy's WordPress loaded; every error is recorded by a handler installed before WordPress loads. */
  function runScratch(code: string): { out: string; errors: [number, string, string, number][] } {
    const out = execFileSync('php', [join(scratch, 'runner.php'), docroot, scenario('healthy').url], { input: code, encoding: 'utf8', timeout: 60000 });
    const at = out.lastIndexOf('@@ERRORS@@');
    assert.ok(at >= 0, `runner output: ${out.slice(-300)}`);
    return { out: out.slice(0, at), errors: JSON.parse(out.slice(at + 10)) as [number, string, string, number][] };
  }
  const fromBridge = (errors: [number, string, string, number][]) =>
    errors.filter(([, msg, file]) => /wp401-bridge|wp401-troubleshoot/.test(file) || /wp401/i.test(msg)).map(([no, msg, file, line]) => `${no} ${msg} at ${file}:${line}`);

  before(async () => {
    await requireTestbed();
    scratch = mkdtempSync(join(tmpdir(), 'wp401-scratch61-'));
    docroot = join(scratch, 'docroot');
    execFileSync('rsync', ['-a', `${P.snap('healthy')}/docroot/`, `${docroot}/`]);
    sql(`CREATE DATABASE \`${dbName}\``);
    await restoreDb(dbName, join(P.snap('healthy'), 'db.sql'));
    enableDebug(docroot, join(scratch, 'debug.log'), dbName);
    writeFileSync(
      join(scratch, 'runner.php'),
      `<?php
$wp401_errors = array();
set_error_handler( function ( $no, $msg, $file, $line ) use ( &$wp401_errors ) {
	if ( 0 === ( error_reporting() & $no ) ) { return false; } // @-silenced on purpose
	$wp401_errors[] = array( $no, $msg, $file, $line );
	return false;
} );
require ${JSON.stringify(join(FIXTURES, 'php', 'bootstrap.php'))};
wp401tb_fake_request( $argv[1], $argv[2] );
$wp401_code = (string) stream_get_contents( STDIN );
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
eval( $wp401_code );
echo '@@ERRORS@@' . json_encode( $wp401_errors );
`,
    );
  });

  after(() => {
    sql(`DROP DATABASE IF EXISTS \`${dbName}\``);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    if (storeDir.startsWith('/tmp/wp401-') || storeDir.startsWith(`${tmpdir()}/wp401-`)) rmSync(storeDir, { recursive: true, force: true });
  });

  it('deactivate + delete, unzip the release zip, activate, load, report and render the Tools page: no notice from the bridge', async () => {
    const copyOk = runScratch(`trigger_error( 'scratch-canary', E_USER_NOTICE ); echo get_option( 'siteurl' ), '|', is_plugin_active( '${PLUGIN}' ) ? 'active' : 'inactive';`);
    assert.match(copyOk.out, /\|active$/, 'the copy runs WordPress with the bridge active');
    assert.ok(copyOk.errors.some(([, msg]) => msg === 'scratch-canary'), 'the error handler records notices');

    const removed = runScratch(`deactivate_plugins( '${PLUGIN}' ); $r = delete_plugins( array( '${PLUGIN}' ) ); echo true === $r ? 'deleted' : 'failed';`);
    assert.equal(removed.out.trim(), 'deleted');
    assert.deepEqual(fromBridge(removed.errors), [], 'deactivation or uninstall raised errors');
    assert.ok(!existsSync(join(docroot, 'wp-content', 'plugins', 'wp401-bridge')));

    const zip = await buildBridgeZip(join(scratch, 'wp401-bridge.zip'));
    execFileSync('unzip', ['-q', '-o', zip, '-d', join(docroot, 'wp-content', 'plugins')]);
    const activated = runScratch(
      `ob_start(); $r = activate_plugin( '${PLUGIN}' ); $o = ob_get_clean();
       echo is_wp_error( $r ) ? 'error:' . $r->get_error_code() : 'ok', '|', strlen( $o ), '|', strlen( (string) get_site_option( 'wp401_bridge_key', '' ) ), '|', file_exists( WPMU_PLUGIN_DIR . '/wp401-troubleshoot.php' ) ? 'loader' : 'no-loader';`,
    );
    assert.equal(activated.out.trim(), 'ok|0|64|loader', 'activation result | unexpected output bytes | key length | loader');
    assert.deepEqual(fromBridge(activated.errors), [], 'activation raised errors');

    const used = runScratch(
      `$report = WP401_Environment::report();
       require_once ABSPATH . 'wp-admin/includes/template.php';
       require_once WP_PLUGIN_DIR . '/wp401-bridge/includes/class-wp401-admin-page.php';
       wp_set_current_user( 1 );
       ob_start(); WP401_Admin_Page::render(); $html = ob_get_clean();
       echo is_array( $report ) ? 'report' : 'no-report', '|', false !== strpos( $html, 'wp401_regenerate_key' ) ? 'page' : 'no-page', '|', WP401_File_Store::default_dir();`,
    );
    const [report, pageOk, dir] = used.out.trim().split('|');
    storeDir = dir ?? '';
    assert.equal(report, 'report');
    assert.equal(pageOk, 'page');
    assert.deepEqual(fromBridge(used.errors), [], 'loading, reporting or rendering raised errors');
    const log = existsSync(join(scratch, 'debug.log')) ? readFileSync(join(scratch, 'debug.log'), 'utf8') : '';
    assert.deepEqual(bridgeLines(log), [], 'the bridge appears in the WP_DEBUG log');
  });
});
