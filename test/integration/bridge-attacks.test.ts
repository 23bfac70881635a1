// The attacks of issue 15, replayed against the live test bed: every way a
// key-holder or an anonymous visitor bent the companion plugin, each as a
// test that failed on the bridge of 0.1.0 and must pass now.
//
// Mutating attacks run on `plugin-dependencies` (a base plugin, an add-on that
// deactivates itself without it, an add-on that fails fatally without it) and
// on `object-cache` (Redis); both are reset before and after. Read-only
// checks run on `healthy`. No secret is ever printed.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FormData, fetch } from 'undici';
import { BridgeClient } from '../../src/bridge/client.js';
import { type SignRequestInput, signRequest } from '../../src/bridge/sign.js';
import { php } from '../support/hardening.js';
import { Client, deployBridge, login, requireTestbed, resetScenario, scenario } from '../support/testbed.js';

const SITE = 'plugin-dependencies';
const CACHED = 'object-cache';
const READ_ONLY = 'healthy';
const BRIDGE = 'wp401-bridge/wp401-bridge.php';
const BASE_PLUGIN = 'fixture-toolkit/fixture-toolkit.php';
const ADDON = 'fixture-toolkit-addon/fixture-toolkit-addon.php';
const HARMLESS_ONE = 'fixture-seo-meta/fixture-seo-meta.php';

interface Answer {
  status: number;
  body: Buffer;
  headers: Map<string, string>;
}

const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | FormData | ReadableStream } = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(30000),
    ...(init.body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
  });
  const headers = new Map<string, string>();
  for (const [k, v] of res.headers) headers.set(k.toLowerCase(), v);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers };
}

const headerNames = (a: Answer) => [...a.headers.keys()].filter((k) => !VOLATILE.has(k)).sort();

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 4));
      controller.enqueue(bytes.subarray(4));
      controller.close();
    },
  });
}

async function activePlugins(site: string): Promise<string[]> {
  const out = (await php(site, "echo wp_json_encode( array_values( (array) get_option( 'active_plugins', array() ) ) );")).trim();
  return (JSON.parse(out) as string[]).sort();
}

async function option(site: string, name: string): Promise<string> {
  return (await php(site, `global $wpdb; echo (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", '${name}' ) );`)).trim();
}

describe('bridge attacks (issue 15): troubleshooting cannot persist or be abused (plugin-dependencies, reset before and after)', function () {
  this.timeout(180000);
  let base: string;
  let key: string;
  let before0: string[];
  const sign = (input: Omit<SignRequestInput, 'key'>) => signRequest({ key, ...input });

  async function admin(): Promise<Client> {
    const s = scenario(SITE);
    const c = new Client();
    const r = await login(c, base, s.adminUser, s.adminPassword);
    await r.arrayBuffer();
    assert.equal(r.status, 200, 'administrator login');
    return c;
  }

  before(async () => {
    await requireTestbed();
    await resetScenario(SITE);
    deployBridge(SITE);
    base = scenario(SITE).url;
    key = scenario(SITE).bridgeKey ?? '';
    assert.ok(key.length >= 32);
    before0 = await activePlugins(SITE);
    assert.ok(before0.includes(BASE_PLUGIN) && before0.includes(ADDON) && before0.includes(BRIDGE), 'the site starts with the base plugin, its add-on and the bridge active');
  });

  afterEach(async function () {
    // Each attack starts from the installed state.
    if (this.currentTest?.state === 'failed' || (await activePlugins(SITE)).join() !== before0.join()) {
      await resetScenario(SITE);
      deployBridge(SITE);
    }
  });

  after(async () => {
    await resetScenario(SITE);
  });

  it('1a (HIGH): an administrator\'s ordinary "deactivate another plugin" action under troubleshooting does not save the troubleshot list', async () => {
    const c = await admin();
    const page = await c.get(new URL('wp-admin/plugins.php', base).toString(), {}, true);
    const html = Buffer.from(await page.arrayBuffer()).toString('utf8');
    const href = /href="(plugins\.php\?action=deactivate&amp;plugin=fixture-seo-meta%2Ffixture-seo-meta\.php[^"]*)"/.exec(html)?.[1];
    assert.ok(href, 'the Plugins screen has a Deactivate link for fixture-seo-meta');
    const url = new URL(`wp-admin/${href.replace(/&amp;/g, '&')}`, base).toString();
    const r = await c.get(url, sign({ method: 'GET', url, troubleshoot: [BASE_PLUGIN] }));
    await r.arrayBuffer();
    assert.equal(r.headers.get('x-wp401-troubleshoot-refused'), 'action', 'troubleshooting was not refused for a state-changing action');
    const after = await activePlugins(SITE);
    assert.ok(after.includes(BASE_PLUGIN), 'the troubleshot base plugin was deactivated for good');
    assert.ok(after.includes(ADDON), 'the add-on was deactivated for good');
    assert.deepEqual(after, before0.filter((p) => p !== HARMLESS_ONE), "only the administrator's own action took effect");
  });

  it('1b (HIGH): a signed anonymous admin-ajax.php request plus the add-on pattern changes no plugin', async () => {
    const url = new URL('wp-admin/admin-ajax.php?action=wp401_attack', base).toString();
    const r = await send(url, { headers: sign({ method: 'GET', url, troubleshoot: [BASE_PLUGIN] }) });
    assert.equal(r.headers.get('x-wp401-troubleshoot-refused'), 'endpoint');
    assert.equal(r.headers.get('x-wp401-dropped'), undefined, 'plugins were dropped on admin-ajax.php');
    assert.deepEqual(await activePlugins(SITE), before0, 'active plugins changed');
  });

  it('1c (HIGH): an administrator\'s plain wp-admin page under troubleshooting stops before an add-on deactivates itself; nothing is saved', async () => {
    const c = await admin();
    const recently = await option(SITE, 'recently_activated');
    const url = new URL('wp-admin/index.php', base).toString();
    const r = await c.get(url, sign({ method: 'GET', url, troubleshoot: [BASE_PLUGIN] }));
    const text = Buffer.from(await r.arrayBuffer()).toString('utf8');
    assert.equal(r.status, 409, `status ${r.status}: ${text.slice(0, 120)}`);
    assert.equal(r.headers.get('x-wp401-troubleshoot-refused'), 'plugin-change');
    assert.equal(r.headers.get('x-wp401-dropped'), BASE_PLUGIN);
    assert.deepEqual(await activePlugins(SITE), before0, 'active plugins changed');
    assert.equal(await option(SITE, 'recently_activated'), recently, 'recently_activated was written');
  });

  it('2 (MEDIUM): a chunked or multipart body is not covered by a signature for another body; a chunked body that was signed is', async () => {
    const client = new BridgeClient({ siteUrl: base, key });
    const url = new URL('?p=1', base).toString();
    const probe = (tag: string) => `atk${tag}${randomBytes(4).toString('hex')}`;
    const substituted = probe('chunk');
    await send(url, { method: 'POST', headers: { ...sign({ method: 'POST', url, probe: substituted }), 'content-type': 'application/x-www-form-urlencoded' }, body: chunked('comment=substituted') });
    const multipart = probe('multi');
    const fd = new FormData();
    fd.set('comment', 'substituted');
    await send(url, { method: 'POST', headers: sign({ method: 'POST', url, probe: multipart }), body: fd });
    const signedChunked = probe('ok');
    await send(url, { method: 'POST', headers: { ...sign({ method: 'POST', url, probe: signedChunked, body: 'comment=signed' }), 'content-type': 'application/x-www-form-urlencoded' }, body: chunked('comment=signed') });
    const entries = await client.ledger([substituted, multipart, signedChunked]);
    assert.equal(entries[substituted], null, 'a chunked body signed as empty was accepted');
    assert.equal(entries[multipart], null, 'a multipart body signed as empty was accepted');
    assert.ok(entries[signedChunked], 'a chunked body signed with its own hash was refused');
  });

  it('3 (MEDIUM/LOW): troubleshooting is refused for POST, wp-login.php and xmlrpc.php; a plain GET gets it', async () => {
    const post = new URL('?p=1', base).toString();
    const p = await send(post, { method: 'POST', headers: { ...sign({ method: 'POST', url: post, body: 'x=1', troubleshoot: [HARMLESS_ONE] }), 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    assert.equal(p.headers.get('x-wp401-troubleshoot-refused'), 'method');
    assert.equal(p.headers.get('x-wp401-dropped'), undefined, 'plugins were dropped for a POST');
    for (const path of ['wp-login.php', 'xmlrpc.php']) {
      const url = new URL(path, base).toString();
      const r = await send(url, { headers: sign({ method: 'GET', url, troubleshoot: [HARMLESS_ONE] }) });
      assert.equal(r.headers.get('x-wp401-troubleshoot-refused'), 'endpoint', path);
      assert.equal(r.headers.get('x-wp401-dropped'), undefined, `plugins were dropped on ${path}`);
    }
    const home = base;
    const g = await send(home, { headers: sign({ method: 'GET', url: home, troubleshoot: [HARMLESS_ONE] }) });
    assert.equal(g.status, 200);
    assert.equal(g.headers.get('x-wp401-dropped'), HARMLESS_ONE, 'a plain GET is still troubleshot');
    assert.deepEqual(await activePlugins(SITE), before0);
  });

  it('3 (MEDIUM/LOW): a fatal error caused by a dropped dependency, on a protected endpoint (wp-admin), writes nothing: no recovery keys, no mail stamp', async () => {
    // Recovery mode acts on protected endpoints only (is_protected_endpoint(): wp-admin, the login): the attack's ground.
    const names = ['recovery_keys', 'recovery_mode_email_last_sent', '_paused_plugins'];
    const before = await Promise.all(names.map((n) => option(SITE, n)));
    const c = await admin();
    const url = new URL('wp-admin/index.php', base).toString();
    // The add-on that would switch itself off is dropped too, so the widgets add-on reaches its fatal call.
    const r = await c.get(url, sign({ method: 'GET', url, troubleshoot: [BASE_PLUGIN, ADDON] }));
    await r.arrayBuffer();
    assert.equal(r.status, 500, 'dropping the base plugin makes its widgets add-on fail fatally in wp-admin');
    assert.deepEqual(await Promise.all(names.map((n) => option(SITE, n))), before, 'recovery mode wrote to the options table');
    const front = await send(base, { headers: sign({ method: 'GET', url: base, troubleshoot: [BASE_PLUGIN] }) });
    assert.equal(front.status, 500, 'and on the front end');
    assert.deepEqual(await Promise.all(names.map((n) => option(SITE, n))), before);
    assert.deepEqual(await activePlugins(SITE), before0);
  });

  it('5 (LOW): troubleshooting responses are never cacheable: no-store, private and Vary on the header', async () => {
    const url = base;
    const r = await send(url, { headers: sign({ method: 'GET', url, troubleshoot: [HARMLESS_ONE] }) });
    assert.equal(r.status, 200);
    const cc = r.headers.get('cache-control') ?? '';
    assert.match(cc, /no-store/);
    assert.match(cc, /private/);
    assert.match(r.headers.get('vary') ?? '', /X-WP401-Troubleshoot/i);
    const rest = new URL('wp-json/wp/v2/posts', base).toString();
    const q = await send(rest, { headers: sign({ method: 'GET', url: rest, troubleshoot: [HARMLESS_ONE] }) });
    assert.equal(q.headers.get('x-wp401-dropped'), HARMLESS_ONE);
    assert.match(q.headers.get('cache-control') ?? '', /no-store/);
  });

  it('10: a signed request over the per-key rate gets a clear 429 with Retry-After; a fresh key is let in at once', async () => {
    const config = join(scenario(SITE).docroot, 'wp-config.php');
    const text = readFileSync(config, 'utf8');
    writeFileSync(config, text.replace("/* That's all, stop editing! */", "define( 'WP401_BRIDGE_RATE_LIMIT', 4 );\n/* That's all, stop editing! */"));
    try {
      // A key of its own: the requests of the tests above count against the site's key in this window.
      key = (await php(SITE, 'echo WP401_Key::regenerate();')).trim();
      const client = new BridgeClient({ siteUrl: base, key });
      let answered = 0;
      let limited: Error | null = null;
      for (let i = 0; i < 8 && limited === null; i++) {
        try {
          await client.ledger(['x1']);
          answered++;
        } catch (e) {
          limited = e as Error;
        }
      }
      assert.ok(limited, 'no request was refused');
      assert.equal((limited as { kind?: string }).kind, 'rate-limited', String(limited));
      assert.ok(answered >= 1 && answered <= 4, `answered ${answered} before the limit`);
      const url = new URL('?wp401_bridge=time', base).toString();
      const raw = await send(url, { headers: sign({ method: 'GET', url }) });
      assert.equal(raw.status, 429);
      assert.equal(raw.headers.get('retry-after'), '60');
      assert.match(raw.body.toString(), /"code":"wp401_rate_limited"/);
      // The owner regenerates the key (Tools → wp401): the new key starts a new count.
      const fresh = (await php(SITE, 'echo WP401_Key::regenerate();')).trim();
      const again = new BridgeClient({ siteUrl: base, key: fresh });
      assert.ok((await again.ledger(['x2'])).x2 === null, 'the fresh key is answered');
    } finally {
      writeFileSync(config, text);
    }
  });
});

describe('bridge attacks (issue 15): signatures cover what the server acts on (healthy, read-only)', function () {
  this.timeout(120000);
  let base: string;
  let key: string;

  before(async () => {
    await requireTestbed();
    deployBridge(READ_ONLY);
    base = scenario(READ_ONLY).url;
    key = scenario(READ_ONLY).bridgeKey ?? '';
  });

  it('4 (LOW): a signature for a repeated query key in one order does not serve the other order (/time signed, /env asked)', async () => {
    const signedUrl = new URL('?rest_route=/wp401/v1/time&rest_route=/wp401/v1/env', base).toString();
    const headers = signRequest({ key, method: 'GET', url: signedUrl });
    const swapped = new URL('?rest_route=/wp401/v1/env&rest_route=/wp401/v1/time', base).toString();
    const r = await send(swapped, { headers });
    assert.notEqual(r.status, 200, 'the reordered query was served');
    assert.ok(!r.body.toString().includes('"bridge"'), 'the environment report was served');
    const ok = await send(signedUrl, { headers: signRequest({ key, method: 'GET', url: signedUrl }) });
    assert.equal(ok.status, 200, 'the query as signed is served');
  });

  it('9 (LOW): the host is signed: a signature made for another host name of the same server is refused', async () => {
    const url = new URL('wp-json/wp401/v1/time', base).toString();
    const other = new URL(url);
    other.hostname = 'localhost';
    const r = await send(url, { headers: signRequest({ key, method: 'GET', url: other }) });
    assert.equal(r.status, 404, `a signature for ${other.host} was accepted at ${new URL(url).host}`);
    assert.equal((await send(url, { headers: signRequest({ key, method: 'GET', url }) })).status, 200);
  });

  it('8 (LOW): the scanner never adopts a far-off clock: a 30-day skew is capped at 10 minutes with a warning; 400 s is corrected', async () => {
    const ahead = new BridgeClient({ siteUrl: base, key, now: () => Date.now() + 30 * 86400_000 });
    await assert.rejects(ahead.env());
    assert.equal(ahead.clockOffsetSeconds, -600);
    assert.equal(ahead.warnings.length, 1);
    const near = new BridgeClient({ siteUrl: base, key, now: () => Date.now() - 400_000 });
    const env = await near.env();
    assert.equal(env.bridge.version.length > 0, true);
    assert.ok(Math.abs(near.clockOffsetSeconds - 400) <= 3, `offset ${near.clockOffsetSeconds}`);
    assert.deepEqual(near.warnings, []);
  });
});

describe('bridge attacks (issue 15): unsigned requests see exactly core (healthy, read-only)', function () {
  this.timeout(120000);
  let base: string;

  before(async () => {
    await requireTestbed();
    deployBridge(READ_ONLY);
    base = scenario(READ_ONLY).url;
  });

  async function same(ours: string, theirs: string, init: Parameters<typeof send>[1], label: string): Promise<void> {
    const a = await send(new URL(ours, base).toString(), init);
    const b = await send(new URL(theirs, base).toString(), init);
    assert.equal(a.status, b.status, `${label}: status ${a.status} where core answers ${b.status}`);
    assert.ok(a.body.equals(b.body), `${label}: body differs from core's: ${a.body.toString().slice(0, 160)}`);
    assert.deepEqual(headerNames(a), headerNames(b), `${label}: header names differ from core's`);
  }

  it('7 (LOW): every bridge route and the namespace answer like an unknown route, for GET, POST and OPTIONS, anonymous and logged in', async () => {
    const unknown = `nope${randomBytes(4).toString('hex')}/v1`;
    const pairs: [string, string][] = [
      ['wp-json/wp401/v1/env', `wp-json/${unknown}/env`],
      ['wp-json/wp401/v1/time', `wp-json/${unknown}/time`],
      ['wp-json/wp401/v1', `wp-json/${unknown}`],
      ['?rest_route=/wp401/v1/ledger', `?rest_route=/${unknown}/ledger`],
    ];
    const s = scenario(READ_ONLY);
    const c = new Client();
    await (await login(c, base, s.adminUser, s.adminPassword)).arrayBuffer();
    const nonce = (await (await c.get(new URL('wp-admin/admin-ajax.php?action=rest-nonce', base).toString())).text()).trim();
    const cookie = await c.jar.getCookieString(base);
    assert.match(nonce, /^[0-9a-f]{10}$/);
    for (const [ours, theirs] of pairs) {
      await same(ours, theirs, {}, `GET ${ours}`);
      await same(ours, theirs, { method: 'OPTIONS' }, `OPTIONS ${ours}`);
      await same(ours, theirs, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, `POST ${ours}`);
      await same(ours, theirs, { headers: { cookie, 'x-wp-nonce': nonce } }, `logged-in GET ${ours}`);
    }
    // The early door means nothing to anyone without the key: the home page, as for any query.
    const home = await send(new URL('?wp401_bridge=env', base).toString());
    const plain = await send(new URL('?wp401_other=env', base).toString());
    assert.equal(home.status, plain.status);
    assert.ok(!home.body.toString().includes('"bridge"'));
  });
});

describe('bridge attacks (issue 15): the life cycle writes no file for visitors and cleans up however it ends (object-cache, Redis; reset before and after)', function () {
  this.timeout(180000);
  let docroot: string;
  const loader = () => join(docroot, 'wp-content', 'mu-plugins', 'wp401-troubleshoot.php');

  before(async () => {
    await requireTestbed();
    await resetScenario(CACHED);
    deployBridge(CACHED);
    docroot = scenario(CACHED).docroot;
  });

  after(async () => {
    await resetScenario(CACHED);
  });

  it('6 (LOW): an anonymous admin-ajax.php request (admin_init) does not write the must-use loader back', async () => {
    assert.ok(existsSync(loader()), 'the loader is installed');
    const saved = readFileSync(loader());
    rmSync(loader());
    try {
      const base = scenario(CACHED).url;
      await send(new URL('wp-admin/admin-ajax.php?action=anything', base).toString());
      await send(new URL('wp-admin/admin-post.php', base).toString());
      assert.ok(!existsSync(loader()), 'an anonymous request wrote the must-use loader');
    } finally {
      writeFileSync(loader(), saved);
      execFileSync('chown', ['www-data:www-data', loader()]);
    }
  });

  it("10: deactivation (normal or silent) flushes no other plugin's site transients; silent deactivation cleans up; reactivation makes a fresh key", async () => {
    const planted = (await php(CACHED, "set_site_transient( 'fixture_other_plugin_state', 'keep-me', 3600 ); echo wp_using_ext_object_cache() ? 'ext' : 'db';")).trim();
    assert.equal(planted, 'ext', 'the site runs on the persistent object cache');
    const keyBefore = (await php(CACHED, "echo hash( 'sha256', (string) get_site_option( 'wp401_bridge_key', '' ) );")).trim();

    await php(CACHED, `deactivate_plugins( '${BRIDGE}' );`);
    assert.equal((await php(CACHED, "echo (string) get_site_transient( 'fixture_other_plugin_state' );")).trim(), 'keep-me', 'deactivation flushed another plugin\'s site transient');
    await php(CACHED, `activate_plugin( '${BRIDGE}' );`);
    const keyAfter = (await php(CACHED, "echo hash( 'sha256', (string) get_site_option( 'wp401_bridge_key', '' ) );")).trim();
    assert.notEqual(keyAfter, keyBefore, 'reactivation reused the old key');

    await php(CACHED, `deactivate_plugins( '${BRIDGE}', true );`);
    assert.equal((await php(CACHED, "echo (string) get_site_option( 'wp401_bridge_key', '' );")).trim(), '', 'silent deactivation kept the key');
    assert.ok(!existsSync(loader()), 'silent deactivation kept the must-use loader');
    assert.equal((await php(CACHED, "echo (string) get_site_transient( 'fixture_other_plugin_state' );")).trim(), 'keep-me');
    await php(CACHED, `activate_plugin( '${BRIDGE}' );`);
    const keyThird = (await php(CACHED, "echo hash( 'sha256', (string) get_site_option( 'wp401_bridge_key', '' ) );")).trim();
    assert.ok(keyThird !== keyAfter && keyThird !== keyBefore, 'a fresh key on every activation');
    assert.ok(existsSync(loader()), 'activation installed the loader again');
    execFileSync('chown', ['www-data:www-data', loader()]);
  });

  it('signed requests on a persistent object cache leave the database alone and still work', async () => {
    cpSync(join(docroot, 'wp-content', 'plugins', 'wp401-bridge', 'mu-loader', 'wp401-troubleshoot.php'), loader());
    execFileSync('chown', ['www-data:www-data', loader()]);
    const key = (await php(CACHED, "echo (string) get_site_option( 'wp401_bridge_key', '' );")).trim();
    const count = async () => (await php(CACHED, "global $wpdb; echo (int) $wpdb->get_var( \"SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE '%wp401%'\" );")).trim();
    const before = await count();
    const client = new BridgeClient({ siteUrl: scenario(CACHED).url, key });
    await client.env();
    await client.ledger(['nothere']);
    assert.equal(client.doors.ledger, 'early');
    assert.equal(await count(), before, 'signed requests wrote wp401 rows to the options table');
    const transients = (await php(CACHED, "global $wpdb; echo (int) $wpdb->get_var( \"SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE '%transient%wp401%'\" );")).trim();
    assert.equal(transients, '0', 'wp401 transients in the options table');
  });
});
