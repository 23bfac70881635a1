// Read-only (issue 8, point 2): apart from logging in, a full scan changes
// nothing on the site. Every database table is checksummed before and after
// full scans (browser, bridge, --isolate) of several test-bed scenarios, and
// so is every file of the docroot (path, mode and content; nothing excluded).
// Only what WordPress itself writes when someone logs in may differ, and for
// wp_usermeta / wp_options the rows are compared one by one so that exactly
// the allowed keys — and nothing else — changed.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksumDb } from '../../fixtures/testbed/mariadb.js';
import type { ScenarioInfo } from '../../fixtures/testbed/testbed.js';
import { diffDigests, docrootDigest, php, rowDigest, runCli, type CliRun } from '../support/hardening.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

/**
 * What WordPress itself may write during a scan, and why. Anything else that
 * changes fails the test.
 *
 * Written by the login itself:
 * - `wp_usermeta` / `session_tokens` of the scanning user: every successful
 *   login (wp_signon → wp_set_auth_cookie → WP_Session_Tokens::create) stores
 *   the new session's hashed token, expiry, IP and user agent there.
 * - `wp_usermeta` / `_application_passwords` of the scanning user, and in it
 *   only the `last_used` and `last_ip` fields: core records when an
 *   application password was last used on each successful Basic
 *   authentication (WP_Application_Passwords::record_application_password_usage).
 *   The test decodes the row and checks that nothing but those fields moved.
 *
 * Written because the login lands on the dashboard (/wp-admin/, where
 * wp-login.php sends an administrator), as for any person logging in:
 * - `wp_posts`: new rows only, each an `auto-draft` post of the scanning user
 *   — the dashboard's Quick Draft widget (wp_dashboard_quick_press) creates
 *   one on every dashboard load; core's wp_delete_auto_drafts removes them
 *   after 7 days. No existing post may change.
 * - `wp_usermeta` / `wp_dashboard_quick_press_last_post_id` of the scanning
 *   user: the same widget remembers that draft's id there.
 * - `wp_options`: the caches core keeps while rendering pages and the
 *   dashboard, each listed with its reason in ALLOWED_OPTIONS below (update
 *   checks, the news widget, global styles, compression test, term
 *   hierarchy, theme mods). Most are written once after install; the test
 *   bed's sites are restored to a fresh install before each run.
 * - `wp_options` / `cron`: admin pages schedule core's own recurring events
 *   when they are missing (wp_schedule_update_checks and friends). Only new
 *   hooks from CORE_EVENTS may appear; every event already scheduled must be
 *   untouched.
 *
 * - `wp_options` / `sidebars_widgets`, only by moving widgets into
 *   `wp_inactive_widgets`: ordinary admin pages (seen with edit-tags.php,
 *   upload.php, edit-comments.php) let core's retrieve_widgets() park the
 *   install's default widgets, which sat in sidebars the active block theme
 *   does not have, as inactive — once, as for any person browsing wp-admin.
 *   The test checks no widget is lost, added or moved anywhere else.
 *
 * No other table, option, user meta key or user may change; the companion
 * plugin must write nothing (its replay cache and ledger belong outside the
 * database); no file of the docroot may appear, disappear or change.
 */
const ALLOWED_USERMETA = ['session_tokens', '_application_passwords', 'wp_dashboard_quick_press_last_post_id'] as const;
const ALLOWED_APP_PASSWORD_FIELDS = ['last_used', 'last_ip'];
/** Options core writes as a cache on page loads (its own, not the scanner's): name → why. */
const ALLOWED_OPTIONS: { name: RegExp; why: string }[] = [
  { name: /^_site_transient_update_(core|plugins|themes)$/, why: 'update checks on admin_init (_maybe_update_core/_plugins/_themes) cache their state' },
  { name: /^_site_transient_(timeout_)?theme_roots$/, why: 'the theme directory cache those update checks fill' },
  { name: /^_transient_(timeout_)?dash_v2_[0-9a-f]{32}$/, why: 'the dashboard "Events and News" widget caches its output (wp_dashboard_cached_rss_widget)' },
  { name: /^_transient_(timeout_)?global_styles(_svg_filters)?_[a-z0-9-]+$/, why: "a block theme's global styles cache, written when any page renders" },
  { name: /^can_compress_scripts$/, why: 'wp-admin runs its one-off script compression test and stores the answer' },
  { name: /^category_children$/, why: 'the term hierarchy cache (_get_term_hierarchy) built on the first admin load' },
  { name: /^theme_mods_[a-z0-9-]+$/, why: "the active theme's mods, created on first use after install" },
];
const CORE_EVENTS = [
  'wp_version_check',
  'wp_update_plugins',
  'wp_update_themes',
  'wp_scheduled_delete',
  'wp_scheduled_auto_draft_delete',
  'delete_expired_transients',
  'wp_privacy_delete_old_export_files',
  'wp_site_health_scheduled_check',
  'recovery_mode_clean_expired_keys',
  'wp_https_detection',
  'wp_update_user_counts',
  'wp_update_comment_type_batch',
] as const;

interface Run {
  name: string;
  args: string[];
}

/** Full scans: the browser where a login is part of the story, the bridge everywhere, --isolate where a plugin blocks. */
const RUNS: Run[] = [
  { name: 'healthy', args: [] },
  { name: 'staging-lock', args: [] },
  { name: 'rest-blocked-by-plugin', args: ['--isolate'] },
  { name: 'plugin-pair', args: ['--isolate', '--no-browser'] },
  // A persistent object cache (Redis): the bridge keeps nonces and ledger there; the database must not move either.
  { name: 'object-cache', args: ['--isolate'] },
  // Only the bridge's early door answers here (the REST API is walled off).
  { name: 'rest-wall', args: ['--no-browser'] },
];

function envFor(s: ScenarioInfo): Record<string, string> {
  const env: Record<string, string> = { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
  if (s.bridgeKey) env.WP401_BRIDGE_KEY = s.bridgeKey;
  if (s.httpUser && s.httpPassword) {
    env.WP401_HTTP_USER = s.httpUser;
    env.WP401_HTTP_PASSWORD = s.httpPassword;
  }
  return env;
}

interface Snapshot {
  tables: Record<string, string>;
  usermeta: Map<string, string>;
  options: Map<string, string>;
  appPasswords: string;
  posts: Map<string, string>;
  cron: Record<string, string>;
  sidebars: Record<string, unknown>;
  docroot: Map<string, string>;
}

const USERMETA_ROWS = 'SELECT umeta_id, user_id, meta_key, SHA2(meta_value, 256) FROM wp_usermeta ORDER BY umeta_id';
const POST_ROWS =
  'SELECT ID, post_author, post_status, post_type, SHA2(CONCAT_WS(0x1f, post_title, post_content, post_excerpt, post_name, post_parent, post_modified_gmt, post_password, guid), 256) FROM wp_posts ORDER BY ID';
const OPTION_ROWS = "SELECT option_name, SHA2(CONCAT(option_value, 0x1f, autoload), 256) FROM wp_options ORDER BY option_name";

/** The admin's application passwords without the fields core updates on use, as JSON. */
async function appPasswordsSansUsage(s: ScenarioInfo): Promise<string> {
  const code = `$u = get_user_by('login', '${s.adminUser}');
$items = WP_Application_Passwords::get_user_application_passwords($u->ID);
foreach ($items as &$i) { foreach (${JSON.stringify(ALLOWED_APP_PASSWORD_FIELDS).replace(/"/g, "'")} as $f) { unset($i[$f]); } }
echo json_encode($items);`;
  return (await php(s.name, code)).trim();
}

/** Each scheduled hook → a hash of its events (times, schedules, arguments). */
async function cronEvents(s: ScenarioInfo): Promise<Record<string, string>> {
  const code = `$out = array();
foreach ((array) _get_cron_array() as $ts => $hooks) { if (!is_array($hooks)) continue; foreach ($hooks as $hook => $events) { $out[$hook][] = array($ts, $events); } }
foreach ($out as $hook => $list) { $out[$hook] = hash('sha256', serialize($list)); }
echo json_encode($out);`;
  return JSON.parse((await php(s.name, code)).trim() || '{}') as Record<string, string>;
}

async function snapshot(s: ScenarioInfo): Promise<Snapshot> {
  return {
    tables: checksumDb(s.database),
    usermeta: rowDigest(s.database, USERMETA_ROWS),
    options: rowDigest(s.database, OPTION_ROWS),
    appPasswords: await appPasswordsSansUsage(s),
    posts: rowDigest(s.database, POST_ROWS),
    cron: await cronEvents(s),
    sidebars: JSON.parse((await php(s.name, "echo json_encode(get_option('sidebars_widgets', array()));")).trim() || '{}') as Record<string, unknown>,
    docroot: docrootDigest(s.docroot),
  };
}

/** Every difference that is not on the allowed list, described without values. */
function forbiddenChanges(before: Snapshot, after: Snapshot, adminId: string): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    if (before.tables[table] === after.tables[table]) continue;
    if (!['wp_usermeta', 'wp_options', 'wp_posts'].includes(table)) out.push(`table ${table} changed`);
  }
  // wp_posts: existing rows untouched; new rows only the admin's auto-drafts.
  for (const [row, hash] of before.posts) {
    if (after.posts.get(row) !== hash) out.push(`wp_posts ${after.posts.has(row) ? 'changed' : 'changed or removed'}: post ${row.split('\t')[0]}`);
  }
  for (const row of after.posts.keys()) {
    if (before.posts.has(row)) continue;
    const [id, author, status] = row.split('\t');
    if (!(author === adminId && status === 'auto-draft')) out.push(`wp_posts added: post ${id} (${status}) by user ${author}`);
  }
  // wp_usermeta row by row: only the allowed keys of the scanning user.
  const metaKey = (row: string) => row.split('\t');
  for (const [row, hash] of before.usermeta) {
    const [, user, key] = metaKey(row);
    const allowed = user === adminId && (ALLOWED_USERMETA as readonly string[]).includes(key ?? '');
    if (after.usermeta.get(row) !== hash && !allowed) out.push(`wp_usermeta ${after.usermeta.has(row) ? 'changed' : 'removed'}: user ${user} ${key}`);
  }
  for (const row of after.usermeta.keys()) {
    if (before.usermeta.has(row)) continue;
    const [, user, key] = metaKey(row);
    const allowed = user === adminId && (ALLOWED_USERMETA as readonly string[]).includes(key ?? '');
    if (!allowed) out.push(`wp_usermeta added: user ${user} ${key}`);
  }
  if (before.appPasswords !== after.appPasswords) out.push(`_application_passwords changed beyond ${ALLOWED_APP_PASSWORD_FIELDS.join('/')}`);
  // wp_options: only core's update-check transients, and cron as described above.
  const optionAllowed = (name: string) => name === 'cron' || name === 'sidebars_widgets' || ALLOWED_OPTIONS.some((o) => o.name.test(name));
  out.push(...sidebarChanges(before.sidebars, after.sidebars));
  for (const [name, hash] of before.options) {
    if (after.options.get(name) !== hash && !optionAllowed(name)) out.push(`wp_options ${after.options.has(name) ? 'changed' : 'removed'}: ${name}`);
  }
  for (const name of after.options.keys()) if (!before.options.has(name) && !optionAllowed(name)) out.push(`wp_options added: ${name}`);
  for (const [hook, hash] of Object.entries(before.cron)) {
    if (after.cron[hook] !== hash) out.push(`cron: the scheduled event ${hook} changed`);
  }
  for (const hook of Object.keys(after.cron)) {
    if (!(hook in before.cron) && !(CORE_EVENTS as readonly string[]).includes(hook)) out.push(`cron: new event ${hook}`);
  }
  for (const d of diffDigests(before.docroot, after.docroot)) out.push(`docroot ${d}`);
  return groupBridgeTransients(out);
}

/** Widgets may only move into wp_inactive_widgets; none may appear, vanish or move elsewhere. */
function sidebarChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const where = (sw: Record<string, unknown>) => {
    const m = new Map<string, string>();
    for (const [sidebar, list] of Object.entries(sw)) if (Array.isArray(list)) for (const w of list) m.set(String(w), sidebar);
    return m;
  };
  const a = where(before);
  const b = where(after);
  const out: string[] = [];
  for (const [w, sidebar] of a) {
    const now = b.get(w);
    if (now === undefined) out.push(`sidebars_widgets: widget ${w} removed`);
    else if (now !== sidebar && now !== 'wp_inactive_widgets') out.push(`sidebars_widgets: widget ${w} moved to ${now}`);
  }
  for (const w of b.keys()) if (!a.has(w)) out.push(`sidebars_widgets: widget ${w} added`);
  return out;
}

/** The companion plugin's transients come by the hundred: one line for them all. */
function groupBridgeTransients(lines: string[]): string[] {
  const bridge = lines.filter((l) => /^wp_options (added|changed|removed): _(site_)?transient_(timeout_)?wp401_/.test(l));
  if (bridge.length === 0) return lines;
  return [...lines.filter((l) => !bridge.includes(l)), `wp_options: ${bridge.length} rows of the companion plugin's transients (_site_transient_wp401_*) written`];
}

describe('read-only: a full scan changes nothing on the site but a login', function () {
  this.timeout(240000);
  const out = mkdtempSync(join(tmpdir(), 'wp401-readonly-'));
  const results = new Map<string, { before: Snapshot; after: Snapshot; run: CliRun; adminId: string }>();

  before(async function () {
    this.timeout(240000);
    await requireTestbed();
    const scenarios = RUNS.map((r) => scenario(r.name));
    await Promise.all(scenarios.map((s) => resetScenario(s.name)));
    await Promise.all(
      RUNS.map(async (r, i) => {
        const s = scenarios[i] as ScenarioInfo;
        const adminId = (await php(s.name, `echo get_user_by('login', '${s.adminUser}')->ID;`)).trim();
        const before = await snapshot(s);
        const run = await runCli(['scan', s.url, '--user', s.adminUser, ...r.args, '--quiet', '--timeout', '20', '--format', 'html,json,har', '--out', join(out, s.name)], {
          env: envFor(s),
        });
        rmSync(run.tmp, { recursive: true, force: true });
        const after = await snapshot(s);
        results.set(s.name, { before, after, run, adminId });
      }),
    );
  });

  after(async function () {
    this.timeout(60000);
    rmSync(out, { recursive: true, force: true });
    await Promise.all(RUNS.map((r) => resetScenario(r.name)));
  });

  for (const r of RUNS) {
    it(`${r.name} (${['browser', 'bridge', ...r.args].filter((a) => !(a === 'browser' && r.args.includes('--no-browser'))).join(', ')}): only the allowed login traces differ`, () => {
      const res = results.get(r.name);
      assert.ok(res, 'the scan ran');
      assert.ok(res.run.code === 0 || res.run.code === 1, `the scan finished (exit ${res.run.code}): ${res.run.stderr.slice(0, 300)}`);
      assert.deepEqual(forbiddenChanges(res.before, res.after, res.adminId), []);
    });
  }

  it('the check itself notices a change: an option written behind its back fails it', async () => {
    const s = scenario('healthy');
    const before = await snapshot(s);
    await php(s.name, "update_option('wp401_readonly_probe', 'x');");
    await php(s.name, "$u = get_user_by('login', 'editor'); update_user_meta($u->ID, 'session_tokens', array());");
    await php(s.name, "wp_schedule_single_event(time() + 3600, 'wp401_readonly_event'); wp_insert_post(array('post_title' => 'x', 'post_status' => 'publish', 'post_author' => 1));");
    await php(s.name, "$sw = get_option('sidebars_widgets', array()); $sw['wp_inactive_widgets'][] = 'block-99'; update_option('sidebars_widgets', $sw);");
    const after = await snapshot(s);
    const changes = forbiddenChanges(before, after, results.get('healthy')?.adminId ?? '1');
    assert.ok(changes.includes('wp_options added: wp401_readonly_probe'), changes.join('; '));
    assert.ok(changes.some((c) => /wp_usermeta (added|changed): user \d+ session_tokens/.test(c)), 'another user\'s session_tokens is not allowed');
    assert.ok(changes.includes('cron: new event wp401_readonly_event'), changes.join('; '));
    assert.ok(changes.includes('sidebars_widgets: widget block-99 added'), changes.join('; '));
    assert.ok(changes.some((c) => /^wp_posts added: post \d+ \(publish\)/.test(c)), changes.join('; '));
    await resetScenario(s.name);
  });
});
