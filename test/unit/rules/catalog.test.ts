import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_MIRROR } from '../../../fixtures/testbed/real-plugins.js';
import { allHints, allMarks, type CatalogPlugin, catalogProblems, isVerified, PLUGINS, pluginsByCookies, pluginsByHeaders, pluginsByRestCode, pluginsBySlugs, pluginsByText } from '../../../src/catalog/index.js';
import { cacheHits } from '../../../src/facts/marks.js';
import { summarizeBody } from '../../../src/parse/body.js';
import { catalogVerdict } from '../../../src/rules/util.js';

/** The words a mark leaves, to look for in its source line. */
function needles(kind: string, mark: Record<string, unknown>): string[] {
  if (typeof mark.sourceText === 'string') return [mark.sourceText];
  if (kind === 'restCodes') return [String(mark.code)];
  if (kind === 'headers') return [String(mark.value ?? mark.name)];
  if (kind === 'cookies') return [String(mark.prefix)];
  if (kind === 'redirects') return [String(mark.to)];
  return [String(mark.text)];
}

/** The version in a plugin folder's main file header. */
function mirrorVersion(dir: string): string | null {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.php'))) {
    const m = /^[\s*#@]*Version:\s*(\S+)/im.exec(readFileSync(join(dir, f), 'utf8').slice(0, 8192));
    if (m?.[1]) return m[1];
  }
  return null;
}

/**
 * Where the library's bare clones of GitHub repositories live on a helper's
 * machine (owner+name/repo); CI has none, so the GitHub re-reading is skipped there.
 */
const GITHUB_MIRRORS = process.env.WP401_GITHUB_MIRRORS ?? '/work/.mirror';
const githubRead = (read: string) => /^github:([\w.-]+)\/([\w.-]+)@([0-9a-f]{40})$/.exec(read);
const cloneOf = (read: string) => {
  const m = githubRead(read);
  return m ? join(GITHUB_MIRRORS, `${m[1]}+${m[2]}`, 'repo') : null;
};
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
const hasPath = (dir: string, commit: string, path: string) => {
  try {
    git(dir, 'cat-file', '-e', `${commit}:${path}`);
    return true;
  } catch {
    return false;
  }
};

/** A catalog with one plugin whose marks and hints are these (for the checks' own failures). */
const catalogWith = (marks: CatalogPlugin['marks'], hints?: CatalogPlugin['hints']): CatalogPlugin[] => [
  { slug: 'some-lock', name: 'Some Lock', category: 'rest-restriction', marks, ...(hints ? { hints } : {}), settings: 'Settings → Some Lock' },
];
const SOURCE = { plugin: 'some-lock', version: '1.2.3', file: 'some-lock.php', line: 42, read: 'mirror' };

describe('known-plugin catalog', () => {
  it('has unique slugs, a category and settings for every plugin; no fixture plugin', () => {
    const slugs = PLUGINS.map((p) => p.slug);
    assert.equal(new Set(slugs).size, slugs.length);
    for (const p of PLUGINS) {
      assert.ok(p.category && p.settings && p.name, p.slug);
      assert.ok(!p.slug.startsWith('fixture-'), p.slug);
    }
    for (const s of ['wordfence', 'better-wp-security', 'all-in-one-wp-security-and-firewall', 'sucuri-scanner', 'limit-login-attempts-reloaded', 'loginizer', 'wp-cerber', 'disable-json-api', 'disable-wp-rest-api', 'wp-force-login', 'wp-rocket', 'w3-total-cache', 'wp-super-cache', 'litespeed-cache', 'wp-fastest-cache', 'cloudflare', 'jetpack', 'two-factor', 'jwt-authentication-for-wp-rest-api']) {
      assert.ok(slugs.includes(s), s);
    }
  });

  it('every mark has a verified source (plugin, version, file, line, where read); what could not be verified is a hint, with its reason', () => {
    assert.deepEqual(catalogProblems(PLUGINS), []);
    const marks = allMarks();
    assert.ok(marks.length > 20);
    for (const { plugin, kind, mark } of marks) {
      const id = `${plugin.slug} ${kind} ${needles(kind, mark as never)[0]}`;
      assert.ok(isVerified(mark), `${id}: a mark without a verified source`);
      assert.equal(mark.unverified, undefined, id);
    }
    for (const { plugin, kind, mark } of allHints()) assert.ok((mark.unverified ?? '').trim().length > 10 && mark.source === undefined, `${plugin.slug} ${kind}: a hint says why it is not verified`);
  });

  it('the check fails on a mark without a source, an incomplete or foreign source, and a hint without its reason', () => {
    assert.deepEqual(catalogProblems(catalogWith({ restCodes: [{ code: 'some_lock_denied', source: SOURCE }] })), [], 'a sourced mark passes');
    const unsourced = catalogProblems(catalogWith({ restCodes: [{ code: 'some_lock_denied' }] }));
    assert.deepEqual(unsourced, ['some-lock restCodes some_lock_denied: a mark without a source']);
    // the old form: a mark that only says why it is unverified is still a mark without a source
    assert.ok(catalogProblems(catalogWith({ html: [{ text: 'Locked by Some Lock', unverified: 'no source of the plugin stored to check' }] })).some((p) => p.includes('a mark without a source')));
    assert.ok(catalogProblems(catalogWith({ cookies: [{ prefix: 'some_lock_', source: { ...SOURCE, line: 0 } }] }))[0]?.includes('an incomplete source'));
    assert.ok(catalogProblems(catalogWith({ cookies: [{ prefix: 'some_lock_', source: { ...SOURCE, plugin: 'other-lock' } }] }))[0]?.includes("another plugin's code"));
    assert.ok(catalogProblems(catalogWith({ cookies: [{ prefix: 'some_lock_', source: { ...SOURCE, read: 'a blog post' } }] }))[0]?.includes('neither the plugin mirror nor a GitHub commit'));
    assert.ok(catalogProblems(catalogWith({}, { headers: [{ name: 'x-some-lock' }] }))[0]?.includes('a hint without its reason'));
    assert.ok(catalogProblems(catalogWith({}, { headers: [{ name: 'x-some-lock', unverified: 'a header of a proxy service', source: SOURCE }] }))[0]?.includes('a verified mark belongs in marks'));
  });

  it('a hint is looked up as unverified; only a mark carries its source', () => {
    const cf = pluginsByHeaders({ 'cf-ray': ['8a1b2c3d4e5f-FRA'] });
    assert.deepEqual(
      cf.map((m) => [m.plugin.slug, m.confidence, m.source]),
      [['cloudflare', 'unverified', undefined]],
    );
    const aiowps = pluginsByCookies(['aiowps_cookie_test_x1y2z3']);
    assert.deepEqual([aiowps[0]?.plugin.slug, aiowps[0]?.confidence, aiowps[0]?.source?.version], ['all-in-one-wp-security-and-firewall', 'verified', '3.9.9']);
  });

  it('a verified mark read in the plugin mirror is on its stated line of that version', function () {
    const fromMirror = allMarks().filter(({ mark }) => mark.source?.read === 'mirror');
    assert.ok(fromMirror.length > 0);
    const here = fromMirror.filter(({ mark }) => existsSync(join(PLUGIN_MIRROR, mark.source?.plugin ?? '')));
    if (here.length === 0) this.skip(); // reason: the plugin mirror (WP401_PLUGIN_MIRROR) is not on this machine; the form of every source is still checked above
    for (const { kind, mark } of here) {
      const s = mark.source as NonNullable<typeof mark.source>;
      const dir = join(PLUGIN_MIRROR, s.plugin);
      assert.equal(mirrorVersion(dir), s.version, `${s.plugin}: the mirror holds another version than the mark was verified in`);
      const lines = readFileSync(join(dir, s.file), 'utf8').split('\n');
      // the mark's words on its line (a REST code's own line may sit a few lines below its message)
      const near = lines.slice(Math.max(0, s.line - 1), s.line + 4).join('\n');
      for (const n of needles(kind, mark as never)) assert.ok(lines[s.line - 1]?.includes(n) || (kind === 'restCodes' && near.includes(n)), `${s.plugin} ${s.file}:${s.line} does not hold "${n}"`);
      if (kind === 'restCodes' && 'message' in mark && mark.message) assert.ok(near.includes(mark.message), `${s.plugin} ${s.file}:${s.line} does not hold its message`);
    }
  });

  it('a page keeps what a verified mark shows (pluginMarks) apart from what a hint suggests (pluginHints)', () => {
    const html = '<html><head><title>Log In</title><script id="itsec-wt-block-tabnapping-js" src="/x.js"></script></head><body><div id="login_error"><strong>ERROR</strong>: Too many failed login attempts.</div></body></html>';
    const facts = summarizeBody(html, 'text/html; charset=UTF-8', 'http://127.0.0.1/wp-login.php', 200).facts ?? {};
    assert.deepEqual([facts.pluginMarks, facts.pluginHints], [['limit-login-attempts-reloaded'], ['better-wp-security']]);
  });

  it('a GitHub-read mark is on its stated line of that commit, in that version (checked only where the repository\'s clone is under WP401_GITHUB_MIRRORS, default /work/.mirror)', function () {
    const fromGithub = allMarks().filter(({ mark }) => mark.source?.read.startsWith('github:'));
    assert.ok(fromGithub.length > 0);
    const here = fromGithub.filter(({ mark }) => {
      const dir = cloneOf(mark.source?.read ?? '');
      return dir !== null && existsSync(dir);
    });
    if (here.length === 0) this.skip(); // reason: no clone of the repositories these marks were read in is on this machine (CI); the form of every source is still checked above
    for (const { kind, mark } of here) {
      const s = mark.source as NonNullable<typeof mark.source>;
      const dir = cloneOf(s.read) as string;
      const commit = githubRead(s.read)?.[3] as string;
      // the plugin's folder may sit at the repository's root or below it (litespeed-cache/ in older commits)
      const path = hasPath(dir, commit, s.file)
        ? s.file
        : git(dir, 'ls-tree', '-r', '--name-only', commit)
            .split('\n')
            .find((p) => p.endsWith(`/${s.file}`));
      assert.ok(path, `${s.read}: no ${s.file}`);
      const root = path.slice(0, path.length - s.file.length);
      // the plugin's main file: the PHP file in its folder whose header names the plugin
      const main = git(dir, 'grep', '-l', '-I', '-E', '-e', '^[[:space:]*#]*Plugin Name:', commit, '--', `${root}*.php`)
        .split('\n')
        .map((p) => p.slice(commit.length + 1))
        .find((p) => p.startsWith(root) && p.length > root.length && !p.slice(root.length).includes('/'));
      const header = main ? git(dir, 'show', `${commit}:${main}`).slice(0, 8192) : '';
      assert.equal(/^[\s*#@]*Version:\s*(\S+)/im.exec(header ?? '')?.[1], s.version, `${s.plugin}: ${s.read} holds another version than the mark was verified in`);
      const lines = git(dir, 'show', `${commit}:${path}`).split('\n');
      const near = lines.slice(Math.max(0, s.line - 1), s.line + 4).join('\n');
      for (const n of needles(kind, mark as never)) assert.ok(lines[s.line - 1]?.includes(n) || (kind === 'restCodes' && near.includes(n)), `${s.plugin} ${s.file}:${s.line} at ${commit} does not hold "${n}"`);
      if (kind === 'restCodes' && 'message' in mark && mark.message) assert.ok(near.includes(mark.message), `${s.plugin} ${s.file}:${s.line} at ${commit} does not hold its message`);
    }
  });

  it('All In One WP Security is not listed with rest_cannot_access (its REST lock is a wp_die page, no REST code)', () => {
    assert.ok(!pluginsByRestCode('rest_cannot_access').some((m) => m.plugin.slug === 'all-in-one-wp-security-and-firewall'));
  });

  it('marks the plugins\' code showed wrong are gone or corrected (Jetpack\'s code; WP Super Cache\'s header, the old name a hint)', () => {
    // Jetpack returns invalid_user_permission_jetpack_<action> on its own routes, never the bare prefix
    assert.deepEqual(pluginsByRestCode('invalid_user_permission_jetpack'), []);
    // WP Super Cache sends X-WP-Super-Cache; WP-Super-Cache (old versions) is only a hint
    assert.deepEqual(
      pluginsByHeaders({ 'wp-super-cache': ['Served supercache file from PHP'] }).map((m) => [m.plugin.slug, m.confidence]),
      [['wp-super-cache', 'unverified']],
    );
    const wpsc = pluginsByHeaders({ 'x-wp-super-cache': ['Served supercache file from PHP'] });
    assert.deepEqual([wpsc[0]?.plugin.slug, wpsc[0]?.confidence], ['wp-super-cache', 'verified']);
    // and the cache facts read a page PHP served from WP Super Cache's cache under both names
    const h = (name: string) => (n: string) => (n === name ? 'Served supercache file from PHP' : undefined);
    assert.deepEqual(cacheHits(h('x-wp-super-cache')), ['x-wp-super-cache: Served supercache file from PHP']);
    assert.deepEqual(cacheHits(h('wp-super-cache')), ['wp-super-cache: Served supercache file from PHP']);
  });

  it('looks plugins up by REST code (own message first), header, page text and asset slug', () => {
    assert.equal(pluginsByRestCode('rest_login_required', 'REST API restricted to authenticated users.')[0]?.plugin.slug, 'disable-wp-rest-api');
    assert.equal(pluginsByRestCode('rest_login_required', 'REST API restricted to authenticated users.')[0]?.sameMessage, true);
    assert.deepEqual(pluginsByRestCode('api_shield_members_only'), []);
    assert.equal(pluginsByHeaders({ 'x-litespeed-cache': ['hit'] })[0]?.plugin.slug, 'litespeed-cache');
    assert.deepEqual(pluginsByHeaders({ 'x-powered-by': ['PHP/8.2'] }), []);
    assert.equal(pluginsByText('<strong>ERROR</strong>: Too many failed login attempts.')[0]?.plugin.slug, 'limit-login-attempts-reloaded');
    assert.deepEqual(pluginsBySlugs(['fixture-gallery']), []);
    assert.equal(pluginsBySlugs(['wordfence'])[0]?.plugin.name, 'Wordfence Security');
  });
});

describe('naming a plugin from the catalog (catalogVerdict)', () => {
  const none = new Set<string>();
  it('an unverified mark never names a culprit: it is a hint', () => {
    const v = catalogVerdict(pluginsByHeaders({ 'x-litespeed-cache': ['hit'] }), new Set(['litespeed-cache']), 'caches the page');
    assert.equal(v.culprit.name, 'unknown');
    assert.equal(v.confidence, 'possible');
    assert.equal(v.hints[0]?.plugin.slug, 'litespeed-cache');
    assert.match(v.words, /Unverified hints/);
  });
  it('a verified mark unique to one plugin: likely only when the plugin is seen installed', () => {
    const matches = pluginsByText('You have exceeded maximum login retries<br /> Please try after 15 minutes');
    assert.deepEqual(
      [catalogVerdict(matches, new Set(['loginizer']), 'x').confidence, catalogVerdict(matches, none, 'x').confidence],
      ['likely', 'possible'],
    );
    assert.equal(catalogVerdict(matches, none, 'x').culprit.name, 'loginizer');
    assert.match(catalogVerdict(matches, none, 'x').words, /loginizer 2\.0\.6, init\.php line 875/);
  });
  it('a shared code: the plugin whose own message the answer carries; another message names no one for sure', () => {
    const dra = catalogVerdict(pluginsByRestCode('rest_cannot_access', 'DRA: Only authenticated users can access the REST API.'), new Set(['disable-json-api']), 'x');
    assert.deepEqual([dra.culprit.name, dra.confidence], ['disable-json-api', 'likely']);
    // the same code from another plugin (Under Construction, Password Protected… answer it with this message)
    const other = catalogVerdict(pluginsByRestCode('rest_cannot_access', 'Only authenticated users can access the REST API.'), new Set(['disable-json-api']), 'x');
    assert.deepEqual([other.culprit.name, other.confidence], ['unknown', 'possible'], 'the code without its own message names no one');
    assert.match(other.words, /Disable REST API .* not named/);
  });
  it('a code two plugins share with the same message (JWT Auth began as a fork of JWT Authentication): possible, both named', () => {
    const jwt = catalogVerdict(pluginsByRestCode('jwt_auth_no_auth_header', 'Authorization header not found.'), new Set(['jwt-auth']), 'x');
    assert.deepEqual(
      [jwt.culprit.name, jwt.confidence, jwt.candidates.map((m) => m.plugin.slug)],
      ['jwt-auth', 'possible', ['jwt-auth', 'jwt-authentication-for-wp-rest-api']],
    );
    // where their messages differ, the message names the one
    const config = catalogVerdict(pluginsByRestCode('jwt_auth_bad_config', 'JWT is not configured properly, please contact the admin'), new Set(['jwt-authentication-for-wp-rest-api']), 'x');
    assert.deepEqual([config.culprit.name, config.confidence], ['jwt-authentication-for-wp-rest-api', 'likely']);
  });
  it('a verified mark beside another plugin\'s hint: a hint lowers the confidence (possible), never names', () => {
    const matches = [...pluginsByText('Performance optimized by W3 Total Cache'), ...pluginsByHeaders({ 'cf-cache-status': ['HIT'] })];
    const v = catalogVerdict(matches, new Set(['w3-total-cache']), 'x');
    assert.deepEqual([v.culprit.name, v.confidence, v.hints.map((m) => m.plugin.slug)], ['w3-total-cache', 'possible', ['cloudflare']]);
    assert.match(v.words, /Unverified hints/);
  });
  it("Solid Security's REST code: the start of its message is the mark, whichever brand its end names", () => {
    const msg = (brand: string) => `You do not have sufficient permission to access this endpoint. Access to REST API requests is restricted by ${brand} settings.`;
    for (const brand of ['iThemes Security', 'Solid Security']) {
      const v = catalogVerdict(pluginsByRestCode('itsec_rest_api_access_restricted', msg(brand)), new Set(['better-wp-security']), 'x');
      assert.deepEqual([v.culprit.name, v.confidence], ['better-wp-security', 'likely'], brand);
    }
    const other = catalogVerdict(pluginsByRestCode('itsec_rest_api_access_restricted', 'Sorry, you are not allowed to do that.'), new Set(['better-wp-security']), 'x');
    assert.deepEqual([other.culprit.name, other.confidence], ['unknown', 'possible']);
  });
  it('several verified candidates: possible, every one named, the installed one first', () => {
    const verified = (slug: string) => ({ plugin: PLUGINS.find((p) => p.slug === slug) as (typeof PLUGINS)[number], mark: 'REST error code x', confidence: 'verified' as const });
    const v = catalogVerdict([verified('disable-json-api'), verified('wp-force-login')], new Set(['wp-force-login']), 'x');
    assert.deepEqual([v.culprit.name, v.confidence, v.candidates.map((m) => m.plugin.slug)], ['wp-force-login', 'possible', ['wp-force-login', 'disable-json-api']]);
    assert.match(v.words, /Possible: .*Force Login.* or .*Disable REST API/);
  });
});
