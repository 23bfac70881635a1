// Canary secrets (issue 8, point 1): full scans of several test-bed
// scenarios — browser on some, the bridge on all, --isolate on the blocking
// plugin — with fresh, unique credentials set on each site first (admin
// password, a new application password, the basic-auth password, the bridge
// key). Then every byte the scan wrote is searched for each canary in every
// form it could leak in (plain, URL/form-encoded, JSON-escaped, base64 and
// base64url at any alignment, `user:password` in Basic form): the report
// folder (file names too), stdout, stderr, the scan's temp files (watched
// while it runs, since temp files come and go), new entries in os.tmpdir(),
// the web server's logs, and the site's own tables: zero hits.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../../fixtures/testbed/mariadb.js';
import { redisDump, redisRunning } from '../../fixtures/testbed/redis.js';
import { scenarioByName } from '../../fixtures/testbed/scenarios.js';
import { P } from '../../fixtures/testbed/paths.js';
import type { ScenarioInfo } from '../../fixtures/testbed/testbed.js';
import type { ScanResult } from '../../src/model.js';
import {
  appended,
  type CliRun,
  canary,
  hits,
  listing,
  type Needle,
  needlesFor,
  php,
  phpString,
  runCli,
  searchTree,
  sizeOf,
  stamps,
  watchTree,
} from '../support/hardening.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

interface Plan {
  name: string;
  args: string[];
}

const PLANS: Plan[] = [
  { name: 'healthy', args: [] },
  { name: 'staging-lock', args: [] },
  { name: 'cookie-domain-mismatch', args: [] },
  { name: 'fpm-strips-authorization', args: ['--no-browser'] },
  { name: 'rest-blocked-by-plugin', args: ['--no-browser', '--isolate'] },
  // The bridge on a persistent object cache (Redis) and through its early door.
  { name: 'object-cache', args: ['--no-browser', '--isolate'] },
];

interface Canaries {
  password: string;
  appPassword: string;
  bridgeKey: string;
  httpPassword?: string;
}

/** Sets fresh canary credentials on the site; returns them. Never printed. */
async function plant(s: ScenarioInfo, htpasswd: string): Promise<Canaries> {
  const c: Canaries = { password: canary('pw'), appPassword: '', bridgeKey: randomBytes(32).toString('hex') };
  const out = await php(
    s.name,
    `$u = get_user_by('login', ${phpString(s.adminUser)});
wp_set_password(${phpString(c.password)}, $u->ID);
$r = WP_Application_Passwords::create_new_application_password($u->ID, array('name' => 'wp401 canary ' . wp_generate_password(8, false)));
if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_code()); exit(1); }
update_site_option('wp401_bridge_key', ${phpString(c.bridgeKey)});
echo $r[0];`,
  );
  c.appPassword = out.trim();
  assert.match(c.appPassword, /^[A-Za-z0-9]{24}$/, `${s.name}: a new application password was created`);
  if (s.httpUser) {
    c.httpPassword = canary('basic');
    execFileSync('htpasswd', ['-i', '-B', htpasswd, s.httpUser], { input: c.httpPassword, stdio: ['pipe', 'ignore', 'ignore'] });
  }
  return c;
}

/** The application password as a person pastes it: in groups of four. */
const grouped = (p: string) => p.replace(/(.{4})(?=.)/g, '$1 ');

function envFor(s: ScenarioInfo, c: Canaries): Record<string, string> {
  const env: Record<string, string> = { WP401_PASSWORD: c.password, WP401_APP_PASSWORD: grouped(c.appPassword), WP401_BRIDGE_KEY: c.bridgeKey };
  if (s.httpUser && c.httpPassword) {
    env.WP401_HTTP_USER = s.httpUser;
    env.WP401_HTTP_PASSWORD = c.httpPassword;
  }
  return env;
}

function needlesOf(index: number, s: ScenarioInfo, c: Canaries): Needle[] {
  const tag = `canary #${index + 1} of ${s.name}`;
  return [
    ...needlesFor(`${tag}: admin password`, c.password, s.adminUser),
    ...needlesFor(`${tag}: application password`, c.appPassword, s.adminUser),
    ...needlesFor(`${tag}: application password (grouped)`, grouped(c.appPassword), s.adminUser),
    ...needlesFor(`${tag}: bridge key`, c.bridgeKey),
    ...(c.httpPassword ? needlesFor(`${tag}: basic-auth password`, c.httpPassword, s.httpUser) : []),
  ];
}

/** The site's tables as text, minus the one row that legitimately holds the bridge key. */
function siteRows(s: ScenarioInfo): Buffer {
  const tables = sql('SHOW TABLES', s.database).trim().split('\n').filter(Boolean);
  let text = '';
  for (const t of tables) {
    const where = t.endsWith('_options') ? " WHERE option_name <> 'wp401_bridge_key'" : '';
    text += sql(`SELECT * FROM \`${t}\`${where}`, s.database);
  }
  return Buffer.from(text);
}

describe('canary secrets: no secret in any byte a scan writes', function () {
  this.timeout(300000);
  const out = mkdtempSync(join(tmpdir(), 'wp401-canary-'));
  const htpasswd = `${P.htpasswd}-staging-lock`;
  let savedHtpasswd: string | null = null;
  const runs: { plan: Plan; s: ScenarioInfo; run: CliRun; found: string[]; result: ScanResult | null; tmpFiles: number }[] = [];
  let needles: Needle[] = [];
  const extra: string[] = [];
  let storeFiles = 0;
  let redisValues = 0;

  before(async function () {
    this.timeout(300000);
    await requireTestbed();
    savedHtpasswd = readFileSync(htpasswd, 'utf8');
    const scenarios = PLANS.map((p) => scenario(p.name));
    const canaries: Canaries[] = [];
    for (const s of scenarios) canaries.push(await plant(s, `${P.htpasswd}-${s.name}`));
    needles = scenarios.flatMap((s, i) => needlesOf(i, s, canaries[i] as Canaries));
    // Sanity: the needles find what they should (the search is not blind).
    const planted = canaries[0] as Canaries;
    for (const probe of [planted.password, Buffer.from(`admin:${planted.appPassword}`).toString('base64'), encodeURIComponent(planted.password)]) {
      assert.ok(hits(Buffer.from(`..${probe}..`), needles).length > 0, 'the search finds a planted canary');
    }

    const tmpBefore = listing(tmpdir());
    // Folders that already exist (the bridge's private store on the server side) are searched where they changed.
    const storeBefore = stamps(tmpdir(), 'wp401-');
    const logs = readdirSync(P.logs).map((f) => join(P.logs, f));
    const logSizes = new Map(logs.map((f) => [f, sizeOf(f)]));

    await Promise.all(
      PLANS.map(async (plan, i) => {
        const s = scenarios[i] as ScenarioInfo;
        const dir = join(out, s.name);
        // The scan's own TMPDIR, searched while it runs: temp files may be gone by the end.
        const tmp = mkdtempSync(join(tmpdir(), 'wp401-hardening-tmp-'));
        const watcher = watchTree(tmp, needles, `${s.name}/TMPDIR (while running)`);
        const run = await runCli(['scan', s.url, '--user', s.adminUser, ...plan.args, '--timeout', '20', '--format', 'html,json,har', '--out', dir], {
          env: envFor(s, canaries[i] as Canaries),
          tmp,
        });
        const found = [
          ...watcher.stop(),
          ...searchTree(dir, needles, `${s.name}/report`),
          ...hits(Buffer.from(run.stdout), needles).map((l) => `${l} in ${s.name} stdout`),
          ...hits(Buffer.from(run.stderr), needles).map((l) => `${l} in ${s.name} stderr`),
          ...searchTree(run.tmp, needles, `${s.name}/TMPDIR`),
        ];
        let result: ScanResult | null = null;
        try {
          result = JSON.parse(readFileSync(join(dir, 'wp401.json'), 'utf8')) as ScanResult;
        } catch {
          result = null;
        }
        rmSync(run.tmp, { recursive: true, force: true });
        runs.push({ plan, s, run, found, result, tmpFiles: watcher.filesSeen() });
      }),
    );

    // New entries of the shared temp dir (the scan's, the browser's, the bridge's), the server logs, the sites' tables.
    for (const name of listing(tmpdir())) {
      if (tmpBefore.has(name) || name.startsWith('wp401-canary-') || name.startsWith('wp401-hardening-tmp-')) continue;
      extra.push(...searchTree(join(tmpdir(), name), needles, `tmp/${name}`));
    }
    for (const [file, stamp] of stamps(tmpdir(), 'wp401-')) {
      if (storeBefore.get(file) === stamp || file.includes('/wp401-canary-') || file.includes('/wp401-hardening-tmp-')) continue;
      try {
        extra.push(...hits(readFileSync(file), needles).map((l) => `${l} in ${file}`));
        storeFiles++;
      } catch {
        // removed meanwhile
      }
    }
    for (const f of logs) extra.push(...hits(appended(f, logSizes.get(f) ?? 0), needles).map((l) => `${l} in the server log ${f}`));
    for (const s of scenarios) extra.push(...hits(siteRows(s), needles).map((l) => `${l} in the tables of ${s.name}`));
    // The persistent object cache holds the bridge's store (and WordPress's caches) on the Redis site: every value is searched.
    if (redisRunning()) {
      // As in the tables, the site's own copy of its key (the option, cached by WordPress) is not something a scan wrote.
      const dump = redisDump((key) => /:(site-)?options:(\d+:)?wp401_bridge_key$/.test(key));
      redisValues = dump.count;
      extra.push(...hits(dump.bytes, needles).map((l) => `${l} in the test bed's Redis`));
    }
  });

  after(async function () {
    this.timeout(60000);
    rmSync(out, { recursive: true, force: true });
    if (savedHtpasswd !== null) writeFileSync(htpasswd, savedHtpasswd);
    await Promise.all(PLANS.map((p) => resetScenario(p.name)));
  });

  for (const plan of PLANS) {
    it(`${plan.name} (${plan.args.includes('--no-browser') ? 'HTTP only' : 'browser'}, bridge${plan.args.includes('--isolate') ? ', --isolate' : ''}): the scan ran with the canaries and wrote none of them`, () => {
      const r = runs.find((x) => x.plan === plan);
      assert.ok(r, 'the scan ran');
      assert.ok(r.run.code === 0 || r.run.code === 1, `${plan.name}: exit ${r.run.code} (${r.run.stderr.split('\n')[0]})`);
      assert.ok(r.result, `${plan.name}: wp401.json written`);
      // The canaries were really used: the bridge answered with the canary key.
      assert.ok(r.result.environment, `${plan.name}: the bridge accepted the canary key`);
      if (plan.name === 'healthy') assert.equal(r.run.code, 0, 'healthy: the canary password and application password worked');
      // The browser's profile lived in the watched TMPDIR: its files were searched too.
      if (!plan.args.includes('--no-browser')) assert.ok(r.tmpFiles > 10, `${plan.name}: the browser profile's files were searched (${r.tmpFiles})`);
      assert.deepEqual(r.found, []);
    });
  }

  it('no canary in new temp files, the bridge\'s store, the server logs or the sites\' tables', () => {
    assert.ok(storeFiles > 0, 'the bridge\'s private store (replay cache, ledger) was searched');
    if (PLANS.some((p) => scenarioByName(p.name).redis)) assert.ok(redisValues > 0, "the Redis object cache (the bridge's store there) was searched");
    assert.deepEqual(extra, []);
  });
});
