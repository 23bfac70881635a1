// Pure parts of the browser session: no browser, no network.
import { strict as assert } from 'node:assert';
import { pickAdminLinks } from '../../../src/browser/admin.js';
import { cookieLosses, refusalOf, servedFromCache } from '../../../src/browser/cookie-facts.js';
import { BrowserNotFound, findChrome, isHeadlessShell, requireChrome } from '../../../src/browser/find-chrome.js';
import { CookieHandover } from '../../../src/browser/handover.js';
import { chromeArgs, isLoopbackHost } from '../../../src/browser/launch.js';
import { classifyLogin, classifyLoginError } from '../../../src/browser/login-classify.js';
import { redactUrl, Scrubber } from '../../../src/browser/scrub.js';
import { unneededScript } from '../../../src/browser/session.js';
import type { LoginObservation, SetCookieSeen } from '../../../src/observations/browser.js';

describe('browser: pure parts', () => {
  describe('findChrome', () => {
    const onlyAt = (path: string) => ({ isExecutable: (p: string) => p === path, listDir: () => [] as string[], platform: 'linux' as const, home: '/home/u' });
    it('prefers CHROME_PATH, then the system', () => {
      assert.deepEqual(findChrome({ CHROME_PATH: '/opt/c' }, onlyAt('/opt/c')), { path: '/opt/c', source: 'CHROME_PATH' });
      assert.deepEqual(findChrome({}, onlyAt('/usr/bin/google-chrome')), { path: '/usr/bin/google-chrome', source: 'system' });
    });
    it('finds puppeteer’s cache, newest version first', () => {
      const probe = {
        platform: 'linux' as const,
        home: '/h',
        isExecutable: (p: string) => p.includes('/h/.cache/puppeteer/chrome/'),
        listDir: (p: string) => (p.endsWith('/chrome') ? ['linux-9.0.0', 'linux-120.0.1'] : ['chrome-linux64']),
      };
      assert.equal(findChrome({}, probe)?.path, '/h/.cache/puppeteer/chrome/linux-120.0.1/chrome-linux64/chrome');
    });
    it('Debian’s headless shell before the full browser, as the real binary (the /usr/bin wrapper does not exec)', () => {
      const both = { ...onlyAt(''), isExecutable: (p: string) => ['/usr/bin/chromium', '/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'].includes(p) };
      assert.deepEqual(findChrome({}, both), { path: '/usr/lib/chromium/chromium-headless-shell', source: 'system' });
      const wrapperOnly = { ...onlyAt(''), isExecutable: (p: string) => ['/usr/bin/chromium', '/usr/bin/chromium-headless-shell'].includes(p) };
      assert.equal(findChrome({}, wrapperOnly)?.path, '/usr/bin/chromium');
      assert.equal(findChrome({ CHROME_PATH: '/usr/bin/chromium' }, both)?.path, '/usr/bin/chromium', 'CHROME_PATH still wins');
    });
    it('isHeadlessShell: Debian’s and Chrome for Testing’s shells, not the browsers', () => {
      for (const p of ['/usr/lib/chromium/chromium-headless-shell', '/x/chrome-headless-shell-linux64/chrome-headless-shell', 'C:\\t\\chrome-headless-shell.exe']) assert.equal(isHeadlessShell(p), true, p);
      for (const p of ['/usr/bin/chromium', '/opt/google/chrome/chrome', '/usr/lib/chromium/chromium', '/opt/chromium-headless-shell/chrome', '/x/my-chromium-headless-shell-wrapper']) assert.equal(isHeadlessShell(p), false, p);
    });
    it('puppeteer’s cache: the headless shell before Chrome for Testing', () => {
      const probe = {
        platform: 'linux' as const,
        home: '/h',
        isExecutable: (p: string) => p.startsWith('/h/.cache/puppeteer/'),
        listDir: (p: string) => (p.endsWith('/chrome') || p.endsWith('/chrome-headless-shell') ? ['linux-120.0.1'] : p.includes('/chrome-headless-shell/') ? ['chrome-headless-shell-linux64'] : ['chrome-linux64']),
      };
      assert.equal(findChrome({}, probe)?.path, '/h/.cache/puppeteer/chrome-headless-shell/linux-120.0.1/chrome-headless-shell-linux64/chrome-headless-shell');
    });
    it('macOS and Windows paths', () => {
      assert.equal(findChrome({}, { ...onlyAt('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'), platform: 'darwin' })?.source, 'system');
      const win = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
      assert.equal(findChrome({ PROGRAMFILES: 'C:\\Program Files' }, { ...onlyAt(win), platform: 'win32' })?.path, win);
    });
    it('none found: BrowserNotFound says how to install one', () => {
      assert.throws(() => requireChrome({}, onlyAt('/nothing')), (e: unknown) => e instanceof BrowserNotFound && /apt-get install chromium/.test(e.message) && /CHROME_PATH/.test(e.message));
      assert.throws(() => requireChrome({ CHROME_PATH: '/bad' }, onlyAt('/usr/bin/chromium')), /CHROME_PATH is set to "\/bad"/);
    });
  });

  it('chromeArgs: closed-network flags; DNS rules and certificate errors only when asked', () => {
    const plain = chromeArgs({ root: false });
    assert.ok(plain.includes('--disable-quic') && !plain.includes('--no-sandbox'));
    assert.ok(!plain.some((a) => a.startsWith('--host-resolver-rules') || a === '--ignore-certificate-errors'));
    const all = chromeArgs({ root: true, insecure: true, blockOtherHosts: true });
    assert.ok(all.includes('--no-sandbox') && all.includes('--ignore-certificate-errors'));
    assert.ok(all.includes('--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'));
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('[::1]') && isLoopbackHost('localhost') && !isLoopbackHost('example.com'));
  });

  describe('login classification', () => {
    const base = { url: 'http://h/wp-login.php', title: '', hasLoginForm: true, loginError: null, adminScreen: false, interstitial: null, status: 200, authCookieStored: false };
    it('messages', () => {
      assert.equal(classifyLoginError('Error: The password you entered for the username admin is incorrect.'), 'credentials');
      assert.equal(classifyLoginError('Error: Cookies are blocked or not supported by your browser.'), 'cookies');
      assert.equal(classifyLoginError('Too many attempts, try in 10 minutes'), 'other');
    });
    it('outcomes', () => {
      assert.equal(classifyLogin({ ...base, status: 429 }).outcome, 'blocked');
      assert.equal(classifyLogin({ ...base, loginError: 'Unknown username.' }).outcome, 'wrong-credentials');
      assert.equal(classifyLogin({ ...base, loginError: 'Cookies are blocked' }).outcome, 'loop');
      assert.equal(classifyLogin({ ...base, url: 'http://h/wp-login.php?redirect_to=x&reauth=1' }).outcome, 'loop');
      assert.equal(classifyLogin({ ...base, interstitial: { kind: '2fa', hint: '' } }).outcome, 'interstitial');
      assert.equal(classifyLogin({ ...base, url: 'http://h/wp-admin/', hasLoginForm: false, adminScreen: true, authCookieStored: true }).outcome, 'success');
    });
  });

  it('pickAdminLinks: same origin, no duplicates (index.php is the dashboard it starts from), skips writers and bounds the count', () => {
    const admin = 'http://h/wp-admin/';
    const r = pickAdminLinks(
      ['index.php', 'http://h/wp-admin/edit.php', 'edit.php', 'post-new.php', 'plugin-install.php', 'http://other/wp-admin/x.php', 'users.php', 'tools.php', 'admin.php?page=a&_wpnonce=1'].map((h) => new URL(h, admin).toString()),
      admin,
      2,
    );
    assert.deepEqual(r.urls, ['http://h/wp-admin/edit.php', 'http://h/wp-admin/users.php']);
    assert.equal(r.truncated, true);
    assert.deepEqual(r.skipped.map((s) => s.url.split('/').pop()), ['post-new.php', 'plugin-install.php', 'admin.php?page=a&_wpnonce=1']);
  });

  describe('cookie facts', () => {
    const seen = (over: Partial<SetCookieSeen>): SetCookieSeen => ({
      name: 'wordpress_test_cookie', url: 'http://h/wp-login.php', status: 200, wordpress: 'test', domain: null, path: '/', secure: false, httpOnly: false, sameSite: null, clearing: false, blocked: false, browserReasons: [], reason: null, problems: [], ...over,
    });
    const login = (over: Partial<LoginObservation>) => ({ outcome: 'loop' as const, sentOnSubmit: [] as string[], chain: [], ...over });
    it('maps Chrome reasons', () => {
      assert.equal(refusalOf(['InvalidDomain']), 'domain');
      assert.equal(refusalOf(['SecureOnly']), 'secure');
      assert.equal(refusalOf(['SameSiteLax']), 'samesite');
      assert.equal(refusalOf(['NameValuePairExceedsMaxSize']), 'size');
    });
    it('refused and would-be-refused cookies', () => {
      const lost = cookieLosses({ set: [seen({ blocked: true, browserReasons: ['InvalidDomain'], reason: 'domain' }), seen({ name: 'b', secure: true, problems: ['secure-over-http'] })], notSent: [], stored: [], login: login({ outcome: 'success' }) });
      assert.deepEqual(lost.map((l) => [l.name, l.kind, l.reason]), [['wordpress_test_cookie', 'refused', 'domain'], ['b', 'would-be-refused', 'secure-over-http']]);
    });
    it('a login page from the cache, and a cookie lost on the way', () => {
      const chain = [{ method: 'GET', url: 'http://h/wp-login.php', status: 200, setCookies: [], sentCookies: [], headers: { 'x-cache': 'HIT' } }];
      assert.equal(servedFromCache(chain[0]), 'x-cache: HIT');
      const cached = cookieLosses({ set: [], notSent: [], stored: [], login: login({ chain, messageKind: 'cookies' }) });
      assert.ok(cached.some((l) => l.name === 'wordpress_test_cookie' && l.reason === 'served-from-cache'));
      const stripped = cookieLosses({ set: [], notSent: [], stored: [], login: login({ messageKind: 'cookies', sentOnSubmit: ['wordpress_test_cookie'] }) });
      assert.ok(stripped.some((l) => l.kind === 'not-received'));
      assert.deepEqual(cookieLosses({ set: [], notSent: [], stored: [], login: login({ outcome: 'wrong-credentials', chain }) }), []);
    });
  });

  it('secrets: URLs, texts and the hand-over', () => {
    assert.equal(redactUrl('http://u:p@h/x?_wpnonce=abc&redirect_to=%2F&reauth=1'), 'http://[redacted]@h/x?_wpnonce=[redacted]&redirect_to=%2F&reauth=1');
    const s = new Scrubber();
    s.add('hunter2-secret');
    assert.equal(s.text('pw hunter2-secret here'), 'pw [redacted] here');
    assert.deepEqual(s.deep({ a: ['x hunter2-secret'] }), { a: ['x [redacted]'] });
    const h = new CookieHandover([{ name: 'wordpress_logged_in_x', value: 'VERY-SECRET-VALUE', domain: 'h', path: '/', secure: false, httpOnly: true }]);
    assert.ok(!JSON.stringify({ h }).includes('VERY-SECRET-VALUE'));
    assert.equal(h.cookies()[0]?.value, 'VERY-SECRET-VALUE');
  });
  it("unneededScript: core's password-strength library only, wherever WordPress lives", () => {
    for (const u of ['https://s.example/wp-includes/js/zxcvbn.min.js', 'https://s.example/blog/wp-includes/js/zxcvbn.min.js?ver=4.4.2']) assert.equal(unneededScript(u), true, u);
    for (const u of ['https://s.example/wp-includes/js/zxcvbn-async.min.js', 'https://s.example/wp-includes/js/jquery/jquery.min.js', 'https://s.example/wp-content/plugins/x/zxcvbn.min.js', 'https://s.example/?f=/wp-includes/js/zxcvbn.min.js', 'not a url']) assert.equal(unneededScript(u), false, u);
  });
});
