// The bridge's own authentication against the live test bed (issue 5, "Must
// show"; protocol v2 of issue 15): unsigned, wrong-key and tampered requests
// get exactly what core gives a route that does not exist (the bridge's
// routes exist only for a request signed with the key) and nothing else;
// expired and replayed requests — signed with the right key — get a signed
// refusal that says why and holds no data; the key never shows up in the
// REST index, in pages an administrator sees (other than the bridge's own
// Tools page), in the server logs or in a scan's reports; only administrators
// reach the Tools page; regenerating the key needs the nonce.
//
// Signature tests run read-only on `healthy` (WordPress 6.1). Everything that
// logs in, creates users or regenerates the key runs on `healthy-wp65`, which
// is reset afterwards. No secret is ever printed: messages name needles only.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch } from 'undici';
import { P } from '../../fixtures/testbed/paths.js';
import { HEADER_NONCE, HEADER_PROBE, HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_TROUBLESHOOT, type SignRequestInput, signRequest, verifyAnswer } from '../../src/bridge/sign.js';
import { hits, type Needle, needlesFor, php, phpString, runCli, searchTree } from '../support/hardening.js';
import { Client, login, requireTestbed, resetScenario, scenario, deployBridge } from '../support/testbed.js';

const READ_ONLY = 'healthy';
const MUTABLE = 'healthy-wp65';
const LOGS = P.logs;

interface Answer {
  status: number;
  body: Buffer;
  headers: Map<string, string>;
}

/** Response headers that differ between any two requests and say nothing about the route. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const res = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body, redirect: 'manual', signal: AbortSignal.timeout(20000) });
  const headers = new Map<string, string>();
  for (const [k, v] of res.headers) headers.set(k.toLowerCase(), v);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers };
}

function headerNames(a: Answer): string[] {
  return [...a.headers.keys()].filter((k) => !VOLATILE.has(k)).sort();
}


describe('bridge security: signed access (live test bed, healthy, read-only)', function () {
  this.timeout(120000);
  let base: string;
  let key: string;
  let otherKey: string;
  let envUrl: string;
  let generic: Answer;
  /** The same for a form POST that asks for GET through X-HTTP-Method-Override (core adds no-cache headers to POSTs). */
  let genericPost: Answer;
  let needles: Needle[];

  const sign = (input: Omit<SignRequestInput, 'key'> & { key?: string }): Record<string, string> => signRequest({ key, ...input });

  /** Exactly core's answer to a request for a route that does not exist, no X-WP401-* header, no data. */
  function assertGeneric(a: Answer, label: string, ref = generic): void {
    assert.equal(a.status, 404, `${label}: status`);
    assert.ok(a.body.equals(ref.body), `${label}: body differs from core's unknown-route answer: ${a.body.toString('utf8').slice(0, 200)}`);
    assert.equal(a.headers.get('content-type'), ref.headers.get('content-type'), `${label}: content-type`);
    assert.deepEqual(headerNames(a), headerNames(ref), `${label}: header names differ from core's unknown-route answer`);
    assert.deepEqual(
      [...a.headers.keys()].filter((k) => k.startsWith('x-wp401')),
      [],
      `${label}: an X-WP401-* header was sent`,
    );
    assert.deepEqual(hits(a.body, needles), [], `${label}: the key is in the body`);
  }

  before(async () => {
    await requireTestbed();
    deployBridge(READ_ONLY);
    const s = scenario(READ_ONLY);
    base = s.url;
    key = s.bridgeKey ?? '';
    otherKey = scenario(MUTABLE).bridgeKey ?? '';
    assert.ok(key.length >= 32 && otherKey.length >= 32, 'the test bed reports a bridge key for both sites');
    needles = needlesFor('bridge key', key);
    envUrl = new URL('wp-json/wp401/v1/env', base).toString();
    // The reference: core's own answer to a request for a route that does not exist.
    const unknown = new URL(`wp-json/nope${randomBytes(4).toString('hex')}/v1/env`, base).toString();
    generic = await send(unknown);
    assert.equal(generic.status, 404);
    assert.match(generic.body.toString(), /"code":"rest_no_route"/);
    genericPost = await send(unknown, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-http-method-override': 'GET' },
      body: 'note=hello',
    });
    assert.equal(genericPost.status, 404);
    assert.ok(genericPost.body.equals(generic.body));
  });

  it('a correctly signed request gets 200 with data, at /wp-json/ and at ?rest_route=', async () => {
    const a = await send(envUrl, { headers: sign({ method: 'GET', url: envUrl }) });
    assert.equal(a.status, 200);
    assert.ok(a.body.length > 200, 'the environment report has content');
    const t = new URL('?rest_route=/wp401/v1/time', base).toString();
    const b = await send(t, { headers: sign({ method: 'GET', url: t }) });
    assert.equal(b.status, 200);
    assert.match(b.body.toString(), /"unix":\d+/);
  });

  it('a signed POST (method override to GET) with the signed body gets 200: the body control for the tamper tests', async () => {
    const body = 'note=hello';
    const a = await send(envUrl, {
      method: 'POST',
      headers: { ...sign({ method: 'POST', url: envUrl, body }), 'content-type': 'application/x-www-form-urlencoded', 'x-http-method-override': 'GET' },
      body,
    });
    assert.equal(a.status, 200);
  });

  it("unsigned requests to every bridge route get core's unknown-route answer, byte for byte", async () => {
    for (const route of ['env', 'time', 'ledger?probe=abc']) {
      assertGeneric(await send(new URL(`wp-json/wp401/v1/${route}`, base).toString()), `unsigned /wp-json/ ${route}`);
      assertGeneric(await send(new URL(`?rest_route=/wp401/v1/${route.replace('?', '&')}`, base).toString()), `unsigned ?rest_route= ${route}`);
    }
    // Core matches routes case-insensitively: so does the refusal.
    assertGeneric(await send(new URL('wp-json/WP401/V1/env', base).toString()), 'unsigned upper-case route');
  });

  it("wrong, near-miss and other-site keys get core's unknown-route answer", async () => {
    const nearMiss = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    for (const [label, k] of [
      ['random key', randomBytes(32).toString('hex')],
      ['key with its last character changed', nearMiss],
      ["another site's key", otherKey],
      ['the key upper-cased', key.toUpperCase()],
    ] as const) {
      assertGeneric(await send(envUrl, { headers: sign({ key: k, method: 'GET', url: envUrl }) }), label);
    }
  });

  /**
   * Signed with the right key but refused (clock, replay): a refusal signed by
   * the bridge that names the reason and carries no data at all.
   */
  function assertRefused(a: Answer, nonce: string, reason: string, label: string): void {
    assert.equal(a.status, 401, `${label}: status`);
    assert.equal(
      a.body.toString('utf8'),
      JSON.stringify({ code: 'wp401_signature_refused', message: 'The signature was refused.', data: { status: 401, reason } }),
      `${label}: the refusal holds something else`,
    );
    assert.ok(verifyAnswer(key, nonce, 401, a.body, a.headers.get('x-wp401-answer') ?? null), `${label}: the refusal is not signed by the bridge`);
    assert.deepEqual([...a.headers.keys()].filter((k) => k.startsWith('x-wp401') && k !== 'x-wp401-answer'), [], `${label}: another X-WP401-* header was sent`);
    assert.match(a.headers.get('cache-control') ?? '', /no-store/);
    assert.deepEqual(hits(a.body, needles), [], `${label}: the key is in the body`);
  }

  it('timestamps outside the 300 s window are refused with a signed "expired" and no data', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [label, ts] of [
      ['301 s old', now - 310],
      ['an hour old', now - 3600],
      ['310 s in the future', now + 310],
      ['zero', 0],
    ] as const) {
      const headers = sign({ method: 'GET', url: envUrl, timestamp: ts });
      assertRefused(await send(envUrl, { headers }), headers[HEADER_NONCE] ?? '', 'expired', label);
    }
    // Inside the window it still works (the clock is shared with the server).
    assert.equal((await send(envUrl, { headers: sign({ method: 'GET', url: envUrl, timestamp: now - 200 }) })).status, 200);
  });

  it('a replayed request is refused with a signed "replayed" and no data (first use 200)', async () => {
    const headers = sign({ method: 'GET', url: envUrl });
    assert.equal((await send(envUrl, { headers })).status, 200);
    assertRefused(await send(envUrl, { headers }), headers[HEADER_NONCE] ?? '', 'replayed', 'replay at the same URL');
    const viaQuery = new URL('?rest_route=/wp401/v1/env', base).toString();
    const h2 = sign({ method: 'GET', url: viaQuery });
    assert.equal((await send(viaQuery, { headers: h2 })).status, 200);
    assertRefused(await send(viaQuery, { headers: h2 }), h2[HEADER_NONCE] ?? '', 'replayed', 'replay via ?rest_route=');
  });

  it("tampered path, query, body, method, probe and troubleshoot headers get core's unknown-route answer", async () => {
    const time = new URL('wp-json/wp401/v1/time', base).toString();
    const ledgerA = new URL('wp-json/wp401/v1/ledger?probe=aaaaaaaa', base).toString();
    const ledgerB = new URL('wp-json/wp401/v1/ledger?probe=bbbbbbbb', base).toString();
    const routeTime = new URL('?rest_route=/wp401/v1/time', base).toString();
    const routeEnv = new URL('?rest_route=/wp401/v1/env', base).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded', 'x-http-method-override': 'GET' };
    const cases: [string, string, Record<string, string>, { method?: string; body?: string }][] = [
      ['path: signed /time, sent to /env', envUrl, sign({ method: 'GET', url: time }), {}],
      ['path via rest_route: signed time, sent env', routeEnv, sign({ method: 'GET', url: routeTime }), {}],
      ['path: signed /wp-json/…, sent as ?rest_route=', routeEnv, sign({ method: 'GET', url: envUrl }), {}],
      ['query: value changed', ledgerB, sign({ method: 'GET', url: ledgerA }), {}],
      ['query: parameter added', `${envUrl}?x=1`, sign({ method: 'GET', url: envUrl }), {}],
      ['query: parameter removed', envUrl, sign({ method: 'GET', url: `${envUrl}?x=1` }), {}],
      ['body changed', envUrl, { ...sign({ method: 'POST', url: envUrl, body: 'note=hello' }), ...form }, { method: 'POST', body: 'note=hellp' }],
      ['body added', envUrl, { ...sign({ method: 'POST', url: envUrl }), ...form }, { method: 'POST', body: 'note=hello' }],
      ['body removed', envUrl, { ...sign({ method: 'POST', url: envUrl, body: 'note=hello' }), ...form }, { method: 'POST' }],
      ['method: signed GET, sent POST', envUrl, { ...sign({ method: 'GET', url: envUrl }), ...form }, { method: 'POST' }],
      ['method: signed POST, sent GET', envUrl, sign({ method: 'POST', url: envUrl }), {}],
      ['probe changed', envUrl, { ...sign({ method: 'GET', url: envUrl, probe: 'tamperprobe1' }), [HEADER_PROBE]: 'tamperprobe2' }, {}],
      ['probe added', envUrl, { ...sign({ method: 'GET', url: envUrl }), [HEADER_PROBE]: 'tamperprobe3' }, {}],
      ['troubleshoot added', envUrl, { ...sign({ method: 'GET', url: envUrl }), [HEADER_TROUBLESHOOT]: 'hello.php' }, {}],
      ['troubleshoot changed', envUrl, { ...sign({ method: 'GET', url: envUrl, troubleshoot: 'hello.php' }), [HEADER_TROUBLESHOOT]: 'akismet/akismet.php' }, {}],
    ];
    for (const [label, url, headers, init] of cases) assertGeneric(await send(url, { ...init, headers }), label, init.method === 'POST' ? genericPost : generic);
    // Removing the signed probe header also breaks the signature.
    const withProbe = sign({ method: 'GET', url: envUrl, probe: 'tamperprobe4' });
    const { [HEADER_PROBE]: _dropped, ...withoutProbe } = withProbe;
    assertGeneric(await send(envUrl, { headers: withoutProbe }), 'probe removed');
  });

  it("missing, malformed and garbage signature headers get core's unknown-route answer", async () => {
    const good = sign({ method: 'GET', url: envUrl });
    const hex = (good[HEADER_SIGNATURE] ?? '').slice(3);
    const without = (name: string) => Object.fromEntries(Object.entries(sign({ method: 'GET', url: envUrl })).filter(([k]) => k !== name));
    const cases: [string, Record<string, string>][] = [
      ['no signature header', without(HEADER_SIGNATURE)],
      ['no nonce header', without(HEADER_NONCE)],
      ['no timestamp header', without(HEADER_TIMESTAMP)],
      ['signature only', { [HEADER_SIGNATURE]: good[HEADER_SIGNATURE] ?? '' }],
      ['garbage signature', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: 'garbage' }],
      ['non-hex signature', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: `v1=${'g'.repeat(64)}` }],
      ['all-zero signature', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: `v1=${'0'.repeat(64)}` }],
      ['upper-case hex', { ...good, [HEADER_SIGNATURE]: `v1=${hex.toUpperCase()}` }],
      ['v1 tag (the old protocol)', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: `v1=${hex}` }],
      ['no version tag', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: hex }],
      ['truncated signature', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: `v1=${hex.slice(0, 40)}` }],
      ['short nonce, correctly signed', sign({ method: 'GET', url: envUrl, nonce: 'short' })],
      ['nonce with bad characters, correctly signed', sign({ method: 'GET', url: envUrl, nonce: `${'a'.repeat(22)}.$` })],
      ['non-numeric timestamp, correctly signed', sign({ method: 'GET', url: envUrl, timestamp: Number.NaN })],
      ['huge header', { ...sign({ method: 'GET', url: envUrl }), [HEADER_SIGNATURE]: `v1=${'a'.repeat(5000)}` }],
    ];
    for (const [label, headers] of cases) assertGeneric(await send(envUrl, { headers }), label);
  });

  it('a rejected probe header leaves no ledger entry; a valid one does', async () => {
    const rejected = `rejected${randomBytes(6).toString('hex')}`;
    const accepted = `accepted${randomBytes(6).toString('hex')}`;
    const home = base;
    // Wrong key, and a valid signature with the probe header swapped in afterwards.
    await send(home, { headers: sign({ key: randomBytes(32).toString('hex'), method: 'GET', url: home, probe: rejected }) });
    await send(home, { headers: { ...sign({ method: 'GET', url: home, probe: 'someotherprobe' }), [HEADER_PROBE]: rejected } });
    const ok = await send(home, { headers: sign({ method: 'GET', url: home, probe: accepted }) });
    assert.equal(ok.status, 200);
    const ledger = new URL(`wp-json/wp401/v1/ledger?probe=${rejected},${accepted}`, base).toString();
    const a = await send(ledger, { headers: sign({ method: 'GET', url: ledger }) });
    assert.equal(a.status, 200);
    const entries = (JSON.parse(a.body.toString()) as { entries: Record<string, unknown> }).entries;
    assert.equal(entries[rejected], null, 'a badly signed probe got a ledger entry');
    assert.ok(entries[accepted] && typeof entries[accepted] === 'object', 'a validly signed probe has a ledger entry');
  });

  it('the REST index shows no wp401 namespace or route to unsigned requests; the namespace index looks like an unknown namespace', async () => {
    deployBridge(READ_ONLY); // another session may have reset the site to its snapshot meanwhile
    for (const path of ['wp-json/', '?rest_route=/']) {
      const a = await send(new URL(path, base).toString());
      assert.equal(a.status, 200, path);
      const index = JSON.parse(a.body.toString()) as { namespaces: string[]; routes: Record<string, unknown> };
      assert.deepEqual(index.namespaces.filter((n) => /wp401/i.test(n)), [], `${path}: the REST index lists a wp401 namespace`);
      assert.deepEqual(Object.keys(index.routes).filter((r) => /wp401/i.test(r)), [], `${path}: the REST index lists a wp401 route`);
      assert.ok(!/wp401(\\?\/|-bridge)/i.test(a.body.toString()), `${path}: the REST index mentions the bridge`);
      assert.deepEqual(hits(a.body, needles), [], `${path}: key in the REST index`);
    }
    const unknown = `nope${randomBytes(4).toString('hex')}/v1`;
    for (const [ours, theirs] of [
      ['wp-json/wp401/v1', `wp-json/${unknown}`],
      ['wp-json/wp401/v1/', `wp-json/${unknown}/`],
      ['?rest_route=/wp401/v1', `?rest_route=/${unknown}`],
    ] as const) {
      const a = await send(new URL(ours, base).toString());
      const b = await send(new URL(theirs, base).toString());
      assert.equal(a.status, 404, ours);
      assert.ok(a.body.equals(b.body), `${ours}: body differs from an unknown namespace's`);
      assert.deepEqual(headerNames(a), headerNames(b), `${ours}: headers differ from an unknown namespace's`);
      const bad = await send(new URL(ours, base).toString(), { headers: sign({ key: otherKey, method: 'GET', url: new URL(ours, base).toString() }) });
      assert.ok(bad.body.equals(b.body) && bad.status === 404, `${ours}: badly signed request sees the namespace`);
    }
    // Signed, the namespace index answers.
    const nsUrl = new URL('wp-json/wp401/v1', base).toString();
    assert.equal((await send(nsUrl, { headers: sign({ method: 'GET', url: nsUrl }) })).status, 200);
  });
});

describe('bridge security: the key stays on its Tools page (live test bed, healthy-wp65, reset after)', function () {
  this.timeout(180000);
  let base: string;
  let key: string;
  let needles: Needle[];
  const created: string[] = [];

  const keyHash = async (): Promise<string> => (await php(MUTABLE, "echo hash( 'sha256', (string) get_site_option( 'wp401_bridge_key', '' ) );")).trim();

  async function adminClient(): Promise<Client> {
    const s = scenario(MUTABLE);
    const c = new Client();
    const r = await login(c, base, s.adminUser, s.adminPassword);
    assert.equal(r.status, 200, 'administrator login');
    return c;
  }

  async function page(c: Client, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
    const r = await c.get(new URL(path, base).toString(), headers, true);
    return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
  }

  before(async () => {
    await requireTestbed();
    await resetScenario(MUTABLE);
    deployBridge(MUTABLE);
    base = scenario(MUTABLE).url;
    key = scenario(MUTABLE).bridgeKey ?? '';
    assert.ok(key.length >= 32);
    needles = needlesFor('bridge key', key);
  });

  after(async () => {
    await resetScenario(MUTABLE);
  });

  it('the administrator sees the key, the scan command and a nonce-protected regenerate form on Tools → wp401', async () => {
    const c = await adminClient();
    const p = await page(c, 'wp-admin/tools.php?page=wp401-bridge');
    assert.equal(p.status, 200);
    const html = p.body.toString();
    assert.ok(hits(p.body, needles).length > 0, 'the key is on the Tools page (the needle search works)');
    assert.match(html, /wp401 scan http\S+ --user \S+ --isolate/);
    assert.match(html, /<form[^>]+action="[^"]*admin-post\.php"/);
    assert.match(html, /name="action" value="wp401_regenerate_key"/);
    assert.match(html, /name="_wpnonce" value="[0-9a-f]{10}"/);
  });

  it('no other page the administrator sees contains the key: front end, dashboard, plugins, profile, settings, site health, REST index', async () => {
    const c = await adminClient();
    const paths = [
      '',
      '?p=1',
      'wp-admin/',
      'wp-admin/plugins.php',
      'wp-admin/plugins.php?plugin_status=mustuse',
      'wp-admin/profile.php',
      'wp-admin/users.php',
      'wp-admin/tools.php',
      'wp-admin/options-general.php',
      'wp-admin/site-health.php',
      'wp-admin/site-health.php?tab=debug',
      'wp-admin/plugin-editor.php?plugin=wp401-bridge%2Fwp401-bridge.php',
    ];
    for (const path of paths) {
      const p = await page(c, path);
      assert.ok(p.status < 500, `${path || '/'}: status ${p.status}`);
      assert.deepEqual(hits(p.body, needles), [], `${path || '/'}: the key is in the page`);
    }
    // The REST index as the logged-in administrator (cookie + REST nonce), both forms.
    const nonce = (await page(c, 'wp-admin/admin-ajax.php?action=rest-nonce')).body.toString().trim();
    assert.match(nonce, /^[0-9a-f]{10}$/, 'REST nonce for the administrator');
    for (const path of ['wp-json/', '?rest_route=/', 'wp-json/wp/v2/settings', 'wp-json/wp/v2/users/me?context=edit', 'wp-json/wp/v2/plugins']) {
      const p = await page(c, path, { 'x-wp-nonce': nonce });
      assert.equal(p.status, 200, `${path} as administrator`);
      assert.deepEqual(hits(p.body, needles), [], `${path}: the key is in the REST answer`);
      if (path === 'wp-json/' || path === '?rest_route=/') assert.ok(!/wp401\\?\/v1/.test(p.body.toString()), `${path}: the index lists wp401/v1 for an administrator`);
    }
  });

  it('editor, author, contributor and subscriber get "not allowed" (403) on the Tools page and cannot regenerate', async () => {
    const s = scenario(MUTABLE);
    const users: [string, string, string][] = [[s.editorUser, s.editorPassword, 'editor']];
    for (const role of ['author', 'contributor', 'subscriber']) {
      const login_ = `wp401sec${role}${randomBytes(3).toString('hex')}`;
      const password = randomBytes(18).toString('base64url');
      const id = (
        await php(
          MUTABLE,
          `$id = wp_insert_user( array( 'user_login' => ${phpString(login_)}, 'user_pass' => ${phpString(password)}, 'user_email' => ${phpString(`${login_}@example.invalid`)}, 'role' => ${phpString(role)} ) ); echo is_wp_error( $id ) ? 'error' : (string) $id;`,
        )
      ).trim();
      assert.match(id, /^\d+$/, `creating a ${role}`);
      created.push(id);
      users.push([login_, password, role]);
    }
    const before = await keyHash();
    for (const [user, password, role] of users) {
      const c = new Client();
      const r = await login(c, base, user, password);
      await r.arrayBuffer();
      const p = await page(c, 'wp-admin/tools.php?page=wp401-bridge');
      assert.equal(p.status, 403, `${role}: Tools → wp401 status`);
      assert.match(p.body.toString(), /not allowed/i, `${role}: "not allowed"`);
      assert.deepEqual(hits(p.body, needles), [], `${role}: the key is in the refusal`);
      for (const path of ['wp-admin/', 'wp-admin/profile.php', '']) {
        const q = await page(c, path);
        assert.deepEqual(hits(q.body, needles), [], `${role}: the key is in ${path || '/'}`);
      }
      const post = await c.send('POST', new URL('wp-admin/admin-post.php', base).toString(), {}, 'action=wp401_regenerate_key');
      assert.ok(post.status === 403 || post.status === 302, `${role}: regenerate answered ${post.status}`);
      assert.deepEqual(hits(Buffer.from(await post.arrayBuffer()), needles), [], `${role}: key in the regenerate answer`);
      assert.equal(await keyHash(), before, `${role}: the key changed`);
    }
    await php(MUTABLE, `require_once ABSPATH . 'wp-admin/includes/user.php'; foreach ( array( ${created.join(', ')} ) as $id ) { wp_delete_user( (int) $id ); }`);
    const left = (await php(MUTABLE, `echo count( array_filter( array( ${created.join(', ')} ), function ( $id ) { return false !== get_userdata( (int) $id ); } ) );`)).trim();
    assert.equal(left, '0', 'the test users were removed');
  });

  it('regenerating needs the nonce: without it or with a wrong one nothing changes; with it the old key stops working', async () => {
    const c = await adminClient();
    const before = await keyHash();
    const url = new URL('wp-admin/admin-post.php', base).toString();
    for (const body of ['action=wp401_regenerate_key', 'action=wp401_regenerate_key&_wpnonce=0123456789', 'action=wp401_regenerate_key&_wpnonce=']) {
      const r = await c.send('POST', url, {}, body);
      assert.equal(r.status, 403, 'regenerate without a valid nonce');
      assert.deepEqual(hits(Buffer.from(await r.arrayBuffer()), needles), []);
      assert.equal(await keyHash(), before, 'the key changed without a valid nonce');
    }
    // The real way: the form's nonce.
    const html = (await page(c, 'wp-admin/tools.php?page=wp401-bridge')).body.toString();
    const nonce = /name="_wpnonce" value="([0-9a-f]{10})"/.exec(html)?.[1] ?? '';
    const r = await c.send('POST', url, {}, `action=wp401_regenerate_key&_wpnonce=${nonce}&_wp_http_referer=${encodeURIComponent('/wp-admin/tools.php?page=wp401-bridge')}`);
    assert.equal(r.status, 302);
    assert.match(r.headers.get('location') ?? '', /tools\.php\?page=wp401-bridge&wp401-regenerated=1$/);
    assert.notEqual(await keyHash(), before, 'the key did not change');
    const env = new URL('wp-json/wp401/v1/env', base).toString();
    const old = await send(env, { headers: signRequest({ key, method: 'GET', url: env }) });
    assert.equal(old.status, 404, 'the old key still works');
    const fresh = (await php(MUTABLE, "echo (string) get_site_option( 'wp401_bridge_key', '' );")).trim();
    assert.equal((await send(env, { headers: signRequest({ key: fresh, method: 'GET', url: env }) })).status, 200, 'the new key works');
    needles.push(...needlesFor('new bridge key', fresh));
  });

  it('a scan with the bridge writes the key into no report, and no server or PHP log holds any site key', async function () {
    this.timeout(200000);
    const out = mkdtempSync(join(tmpdir(), 'wp401-bridge-sec-'));
    try {
      const s = scenario(READ_ONLY);
      const run = await runCli(['scan', s.url, '--no-browser', '--format', 'html,json,har', '--out', join(out, 'report')], { env: { WP401_BRIDGE_KEY: s.bridgeKey ?? '' }, killAfterMs: 180000 });
      assert.ok(run.code === 0 || run.code === 1, `scan exit code ${run.code}`);
      const reportFiles = readdirSync(join(out, 'report'));
      assert.ok(reportFiles.length >= 3, 'reports were written');
      const siteNeedles = needlesFor('scanned site key', s.bridgeKey ?? '');
      assert.deepEqual(searchTree(join(out, 'report'), siteNeedles, 'report'), [], 'the key is in a report');
      assert.deepEqual(hits(Buffer.from(run.stdout + run.stderr), siteNeedles), [], 'the key is in the CLI output');
      assert.deepEqual(searchTree(run.tmp, siteNeedles, 'cli-tmp'), [], 'the key is in the CLI temp folder');
      rmSync(run.tmp, { recursive: true, force: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // Every site's key (and the one just regenerated) against every log the test bed keeps.
    const all = [...needles];
    for (const name of ['healthy', 'healthy-wp65', 'fpm-strips-authorization', 'rest-blocked-by-plugin', 'hostile']) all.push(...needlesFor(`${name} key`, scenario(name).bridgeKey ?? ''));
    assert.deepEqual(searchTree(LOGS, all, 'logs'), [], 'a key is in a log');
  });
});
