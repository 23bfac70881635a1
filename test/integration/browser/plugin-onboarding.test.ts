// The companion plugin as a site owner meets it, in real Chromium on the live
// test bed (issue 17): the Settings link and the one-time notice after
// activation, the Tools page's masked key with its reveal and copy buttons and
// a scan command that keeps secrets off the command line, and the bridge's
// Site Health tests on the healthy site and on broken ones. Each scenario is
// reset before and after; this checkout's bridge is deployed over the copy.
//
// Logins are made by handing the browser a session WordPress itself issued
// (wp_set_auth_cookie's values), not through the form: on the broken sites
// the form login is exactly what does not work.
import { strict as assert } from 'node:assert';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { scenarioByName } from '../../../fixtures/testbed/scenarios.js';
import { chromeArgs } from '../../../src/browser/launch.js';
import { php } from '../../support/hardening.js';
import { deployBridge, requireTestbed, resetScenario, scenario } from '../../support/testbed.js';

interface HealthResult {
  test: string;
  status: 'good' | 'recommended' | 'critical';
  label: string;
  description: string;
  actions: string;
}

/** Session cookies for the administrator, made by WordPress for this site (values never printed). */
async function adminCookies(site: string): Promise<{ name: string; value: string; path: string }[]> {
  const out = await php(
    site,
    `$user = get_user_by( 'login', ${JSON.stringify(scenario(site).adminUser)} );
     $exp = time() + HOUR_IN_SECONDS;
     $token = WP_Session_Tokens::get_instance( $user->ID )->create( $exp );
     echo json_encode( array(
       array( 'name' => AUTH_COOKIE, 'value' => wp_generate_auth_cookie( $user->ID, $exp, 'auth', $token ), 'path' => '/' ),
       array( 'name' => LOGGED_IN_COOKIE, 'value' => wp_generate_auth_cookie( $user->ID, $exp, 'logged_in', $token ), 'path' => '/' ),
     ) );`,
  );
  return JSON.parse(out.trim()) as { name: string; value: string; path: string }[];
}

/** Where the administrator's browser opens wp-admin: the origin server when a proxy in front drops cookies. */
function adminBase(site: string): string {
  const front = scenarioByName(site).front;
  return front.kind === 'nginx' ? `http://127.0.0.1:${front.backendPort}/` : scenario(site).url;
}

describe('companion plugin onboarding and Site Health in Chromium (live test bed)', function () {
  this.timeout(180000);
  let browser: Browser;

  async function openAs(site: string, base: string): Promise<Page> {
    const context = await browser.createBrowserContext();
    const origin = new URL(base).origin;
    await context.overridePermissions(origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    const page = await context.newPage();
    const host = new URL(base).hostname;
    for (const c of await adminCookies(site)) await context.setCookie({ ...c, domain: host });
    page.setDefaultTimeout(30000);
    return page;
  }

  async function healthResults(site: string): Promise<Map<string, HealthResult>> {
    await resetScenario(site);
    deployBridge(site);
    const base = adminBase(site);
    const page = await openAs(site, base);
    try {
      const r = await page.goto(new URL('wp-admin/site-health.php', base).toString(), { waitUntil: 'domcontentloaded' });
      assert.equal(r?.status(), 200, `${site}: the Site Health screen opens for the administrator`);
      const direct = (await page.evaluate(
        () => (window as unknown as { SiteHealth: { site_status: { direct: unknown[] } } }).SiteHealth.site_status.direct,
      )) as HealthResult[];
      const ours = new Map(direct.filter((t) => t.test.startsWith('wp401_')).map((t) => [t.test, t]));
      assert.equal(ours.size, 4, `${site}: the four wp401 tests ran (${[...ours.keys()].join(', ')})`);
      // The owner sees them on the screen, not only in a script variable.
      for (const t of ours.values()) {
        await page.waitForFunction((label: string) => (document.body.textContent ?? '').includes(label), {}, t.label);
      }
      return ours;
    } finally {
      await page.browserContext().close();
      await resetScenario(site);
    }
  }

  const statusOf = (m: Map<string, HealthResult>) => Object.fromEntries([...m].map(([k, v]) => [k, v.status]));

  before(async () => {
    await requireTestbed();
    browser = await puppeteer.launch({
      executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: chromeArgs({ blockOtherHosts: true }),
    });
  });
  after(async () => {
    await browser?.close();
  });

  it('healthy: Settings link, the activation notice shown once, masked key with reveal and copy, a scan command without secrets', async () => {
    const site = 'healthy';
    await resetScenario(site);
    deployBridge(site);
    const s = scenario(site);
    const page = await openAs(site, s.url);
    try {
      // Deactivate and activate from the Plugins screen, as a user does.
      await page.goto(new URL('wp-admin/plugins.php', s.url).toString());
      const row = 'tr[data-plugin="wp401-bridge/wp401-bridge.php"]';
      const settings = await page.$eval(`${row} .row-actions a[href*="page=wp401-bridge"]`, (a) => (a as HTMLAnchorElement).textContent);
      assert.equal(settings, 'Settings');
      await Promise.all([page.waitForNavigation(), page.click(`${row} .deactivate a`)]);
      await Promise.all([page.waitForNavigation(), page.click(`${row} .activate a`)]);
      const notice = await page.$eval('.wp401-activation-notice', (n) => ({ text: n.textContent ?? '', href: n.querySelector('a')?.getAttribute('href') }));
      assert.match(notice.text, /key and the command to scan this site are on Tools > wp401/);
      assert.match(notice.href ?? '', /tools\.php\?page=wp401-bridge$/);
      await page.reload();
      assert.equal(await page.$('.wp401-activation-notice'), null, 'the notice is shown once');
      assert.equal((await php(site, "var_export( get_site_option( 'wp401_bridge_activation_notice', 'gone' ) );")).trim(), "'gone'");

      await page.goto(new URL('wp-admin/tools.php?page=wp401-bridge', s.url).toString());
      const key = (await php(site, "echo (string) get_site_option( 'wp401_bridge_key', '' );")).trim();
      assert.match(key, /^[0-9a-f]{64}$/, 'the reactivated plugin has a key');
      assert.equal(await page.$eval('#wp401-key', (i) => (i as HTMLInputElement).type), 'password', 'the key is masked');
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what is rendered, which is the point here
      assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(key), 'the key is not visible on the page');
      await page.click('[data-wp401-reveal="wp401-key"]');
      assert.equal(await page.$eval('#wp401-key', (i) => (i as HTMLInputElement).type), 'text', 'Show reveals it');
      assert.equal(await page.$eval('[data-wp401-reveal="wp401-key"]', (b) => b.textContent), 'Hide');
      await page.click('[data-wp401-reveal="wp401-key"]');
      assert.equal(await page.$eval('#wp401-key', (i) => (i as HTMLInputElement).type), 'password', 'Hide masks it again');

      await page.click('[data-wp401-copy="wp401-key"]');
      await page.waitForFunction(() => document.getElementById('wp401-key-status')?.textContent === 'Copied');
      assert.ok((await page.evaluate(() => navigator.clipboard.readText())) === key, 'Copy put the key on the clipboard');

      const command = await page.$eval('#wp401-command', (t) => (t as HTMLTextAreaElement).value);
      assert.ok(!command.includes(key), 'the command does not carry the key');
      assert.doesNotMatch(command, /npx/);
      assert.deepEqual(command.split('\n'), [
        'read -rs WP401_BRIDGE_KEY && export WP401_BRIDGE_KEY',
        'read -rs WP401_PASSWORD && export WP401_PASSWORD',
        `wp401 scan ${s.url.endsWith('/') ? s.url : `${s.url}/`} --user ${s.adminUser} --isolate`,
      ]);
      await page.click('[data-wp401-copy="wp401-command"]');
      await page.waitForFunction(() => document.getElementById('wp401-command-status')?.textContent === 'Copied');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), command);
    } finally {
      await page.browserContext().close();
      await resetScenario(site);
    }
  });

  it('healthy: all four Site Health tests pass', async () => {
    const r = await healthResults('healthy');
    assert.deepEqual(statusOf(r), {
      wp401_authorization_header: 'good',
      wp401_application_passwords: 'good',
      wp401_rest_logged_in: 'good',
      wp401_login_cookies: 'good',
    });
  });

  it('fpm-strips-authorization: "the Authorization header does not reach PHP", with the CGIPassAuth fix', async () => {
    const r = await healthResults('fpm-strips-authorization');
    const t = r.get('wp401_authorization_header');
    assert.equal(t?.status, 'critical');
    assert.equal(t?.label, 'The Authorization header does not reach PHP');
    assert.match(t?.actions ?? '', /<code>CGIPassAuth On<\/code>/);
    assert.equal(r.get('wp401_rest_logged_in')?.status, 'good', 'cookie logins still work there');
  });

  it('app-passwords-disabled-by-plugin: "a plugin has switched application passwords off", with the callbacks on the filter', async () => {
    const r = await healthResults('app-passwords-disabled-by-plugin');
    const t = r.get('wp401_application_passwords');
    assert.equal(t?.status, 'recommended');
    assert.equal(t?.label, 'A plugin has switched application passwords off');
    assert.match(t?.description ?? '', /Callbacks on that filter: __return_false/);
    assert.match(t?.actions ?? '', /grep -rn wp_is_application_passwords_available wp-content\//);
    assert.equal(r.get('wp401_authorization_header')?.status, 'good');
  });

  // Through the proxy the login cookie is gone, so the nonce (made for the administrator) does not match user 0: core's rest_cookie_check_errors answers 403 rest_cookie_invalid_nonce.
  it('proxy-strips-cookies: "the REST API does not answer logged-in requests" (403 rest_cookie_invalid_nonce through the proxy), with the proxy fix', async () => {
    const r = await healthResults('proxy-strips-cookies');
    const t = r.get('wp401_rest_logged_in');
    assert.equal(t?.status, 'critical');
    assert.match(t?.description ?? '', /answered HTTP 403 \(REST error code: rest_cookie_invalid_nonce\)/);
    assert.match(t?.actions ?? '', /remove <code>proxy_set_header Cookie &quot;&quot;;<\/code>/);
    assert.equal(r.get('wp401_authorization_header')?.status, 'good', 'the proxy passes Authorization');
  });

  it('cookie-domain-mismatch: "login cookies do not match the site\'s domain", naming COOKIE_DOMAIN and the fix', async () => {
    const r = await healthResults('cookie-domain-mismatch');
    const t = r.get('wp401_login_cookies');
    assert.equal(t?.status, 'critical');
    assert.match(t?.description ?? '', /COOKIE_DOMAIN is staging\.example\.com, but the site answers on 127\.0\.0\.1/);
    assert.match(t?.actions ?? '', /Remove <code>define\( &#039;COOKIE_DOMAIN&#039;, &#039;staging\.example\.com&#039; \);<\/code>/);
  });
});
