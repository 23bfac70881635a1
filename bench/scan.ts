// Benchmark, not a test: full scans with the built CLI, medians over runs.
//   npx tsx bench/scan.ts [--runs 3] [--others-runs N] [--json] [scenario…]
// Also: peak memory of the Node process on a 1,000-URL crawl (a generated
// site on 127.0.0.1 that looks like WordPress), Chromium excluded.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { P, REPO } from '../fixtures/testbed/paths.js';
import { info } from '../fixtures/testbed/testbed.js';
import { stats } from './testbed.js';
import { NONCE_TICK_AGE_MS } from '../src/gather/nonce.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

export interface ScanTiming {
  scenario: string;
  browser: boolean;
  ms: ReturnType<typeof stats>;
  exit: number | null;
  /** CPU time the test bed's servers spent during the scan, per run */
  serverMs: ReturnType<typeof stats> | null;
  /**
   * max(Node's start + (the servers' CPU time + Chromium's start, with the
   * browser) ÷ cores, the login's chain: see chainBound), per run (median)
   */
  floorMs: number | null;
  /** the second of those bounds (the chain), per run (median); null when the scan did not log in */
  chainMs: number | null;
  /** with the browser: the CPU time Chromium needs to start and load the site's login page once (chromiumStart), counted in the floor */
  chromiumMs: number | null;
  /** scan time ÷ floor, per run (median) */
  ratio: number | null;
  /** 1-minute load average when the scans of this row started (the bench's own previous rows count in it) */
  load: number;
  /**
   * Cores' worth of CPU that others used while this row ran: the machine's
   * busy time (/proc/stat) minus the test bed's servers, the scan and its
   * Chromium, and this process, ÷ wall time. The neighbours, not the bench.
   */
  othersCores: number;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Busy CPU time (ms) of the whole machine so far: every mode of /proc/stat's cpu line but idle and iowait. */
function machineBusyMs(): number {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
}

/** CPU time (ms) of this process and of every child it has waited for (the scans, their Chromium). */
function ownAndChildrenMs(): number {
  const t = procTimes(process.pid);
  return t ? ((t.own + t.children) * 1000) / CLK_TCK : 0;
}

/** utime, stime, cutime, cstime and ppid of a process, from /proc (null when it is gone). */
function procTimes(pid: number): { own: number; children: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i - 3]);
    return { own: n(14) + n(15), children: n(16) + n(17), ppid: n(4) };
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) the test bed's servers have used so far: every daemon named
 * by a pid file of this test bed (Apache, PHP-FPM, nginx, MariaDB) and their
 * live children, plus what their exited children left in the parents'
 * cutime/cstime. CPU time, not wall time: a busy neighbour on the machine
 * does not inflate it, and requests waiting for each other add nothing.
 */
export function serverCpuMs(): number {
  if (!existsSync(P.run)) return 0;
  const masters = new Set<number>();
  for (const f of readdirSync(P.run)) {
    if (!f.endsWith('.pid') || f === 'badhost.pid') continue;
    const pid = Number(readFileSync(join(P.run, f), 'utf8').trim());
    if (pid > 0) masters.add(pid);
  }
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const t = procTimes(pid);
    if (!t) continue;
    if (masters.has(pid)) ticks += t.own + t.children;
    else if (masters.has(t.ppid)) ticks += t.own;
  }
  return (ticks * 1000) / CLK_TCK;
}

/** Median wall time of five runs of Node with these arguments. */
function medianNodeRunMs(args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    runs.push(performance.now() - t);
  }
  return stats(runs).median;
}

let nodeStart: number | null = null;
/** median wall time of `wp401 --help`: Node's start and loading the CLI's modules */
function nodeStartMs(): number {
  nodeStart ??= medianNodeRunMs([CLI, '--help']);
  return nodeStart;
}

let nodeBare: number | null = null;
/** median wall time of `node -e 0`: the earliest a scan's process can start anything (Chromium, in a browser scan) */
function nodeBareMs(): number {
  nodeBare ??= medianNodeRunMs(['-e', '0']);
  return nodeBare;
}

/**
 * The requests of a scan's login chain, each measured alone: one
 * --no-browser scan of the site with one request in flight and no adaptive
 * limit, read from its probes (ms; 0 for a step the scan did not reach).
 */
export interface LoginChain {
  /** the longest discovery request: no login starts before the site is known to be WordPress (nothing is posted to another site) */
  discoverMs: number;
  loginPageMs: number;
  /** the form's post with the redirects it follows (the dashboard, when the login works) */
  loginPostMs: number;
  /** admin-ajax.php?action=rest-nonce (the HTTP line's nonce; the browser reads its nonce from the dashboard) */
  nonceMs: number;
  /** one users/me with the nonce (the aged request costs the same) */
  restMs: number;
}

/** A scenario of the running test bed, and the environment that gives a scan its secrets (never argv). */
function scenarioScan(name: string) {
  const s = info().scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  const env: NodeJS.ProcessEnv = { ...process.env, WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
  if (s.bridgeKey) env.WP401_BRIDGE_KEY = s.bridgeKey;
  if (s.httpUser) {
    env.WP401_HTTP_USER = s.httpUser;
    env.WP401_HTTP_PASSWORD = s.httpPassword;
  }
  return { s, env };
}

/**
 * The login chain's steps, each the median over `runs` single-request scans:
 * one scan is one sample of each step, and on a row whose floor is little
 * more than Node's start and this chain, one slow or fast sample moved the
 * floor by a tenth.
 */
function loginChainOf(name: string, runs: number): LoginChain {
  const samples = Array.from({ length: Math.max(1, runs) }, () => loginChainOnce(name));
  const med = (k: keyof LoginChain): number => stats(samples.map((c) => c[k])).median;
  return { discoverMs: med('discoverMs'), loginPageMs: med('loginPageMs'), loginPostMs: med('loginPostMs'), nonceMs: med('nonceMs'), restMs: med('restMs') };
}

function loginChainOnce(name: string): LoginChain {
  const { s, env } = scenarioScan(name);
  const out = mkdtempSync(join(tmpdir(), 'wp401-bench-chain-'));
  const args = [CLI, 'scan', s.url, '--user', s.adminUser, '--no-browser', '--concurrency', '1', '--no-adaptive', '--quiet', '--format', 'json', '--out', out, '--insecure'];
  spawnSync(process.execPath, args, { env, stdio: 'ignore', timeout: 180000 });
  type P = { source: string; method: string; durationMs: number };
  let probes: P[] = [];
  try {
    probes = (JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as { probes: P[] }).probes;
  } catch {
    // no result: no chain
  }
  rmSync(out, { recursive: true, force: true });
  const first = (source: string, method = 'GET', nth = 0): number => probes.filter((p) => p.source === source && p.method === method)[nth]?.durationMs ?? 0;
  return {
    discoverMs: Math.max(0, ...probes.filter((p) => p.source === 'discover').map((p) => p.durationMs)),
    loginPageMs: first('login'),
    loginPostMs: first('login', 'POST'),
    nonceMs: first('rest-nonce'),
    restMs: first('rest-nonce', 'GET', 1),
  };
}

/**
 * The chain no core count shortens: the steps of the login, one after the
 * other, each at least as long as it took alone (LoginChain), and the wait
 * for the REST nonce's age. A --no-browser scan: Node's start, discovery,
 * the login page, its post, the nonce, then the aged request once the nonce
 * is waitMs old. A browser scan: Chromium can start as soon as Node runs and
 * load the login page meanwhile (chromiumWallMs, measured alone), but the
 * form is posted only after discovery; the nonce is then dated from the
 * post (or from the first REST answer, a tick's age: then the post, the
 * dashboard and that answer come first). Without a login attempt: null.
 */
export function chainBound(c: LoginChain, p: { browser: boolean; nodeStartMs: number; nodeBareMs: number; chromiumWallMs: number; waitMs: number }): number | null {
  if (c.loginPostMs <= 0) return null;
  const discovered = p.nodeStartMs + c.discoverMs;
  if (!p.browser) {
    const loggedIn = discovered + c.loginPageMs + c.loginPostMs;
    return p.waitMs > 0 ? loggedIn + c.nonceMs + p.waitMs + c.restMs : loggedIn;
  }
  const atForm = Math.max(discovered, p.nodeBareMs + p.chromiumWallMs);
  if (p.waitMs <= 0) return atForm + c.loginPostMs;
  const aged = p.waitMs === NONCE_TICK_AGE_MS ? c.loginPostMs + c.restMs + p.waitMs : p.waitMs;
  return atForm + aged + c.restMs;
}

function scanOnce(name: string, browser: boolean): { ms: number; exit: number | null; waitMs: number } {
  const { s, env } = scenarioScan(name);
  const out = mkdtempSync(join(tmpdir(), 'wp401-bench-scan-'));
  const args = [CLI, 'scan', s.url, '--user', s.adminUser, '--quiet', '--format', 'json', '--out', out, '--insecure'];
  if (!browser) args.push('--no-browser');
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 180000 });
  const ms = performance.now() - t;
  // A wait the scan makes on purpose (the browser's nonce must age before its
  // last REST request) bounds it from below like work does: see benchScans.
  let waitMs = 0;
  try {
    const result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as { timings?: { waits?: { minAgeMs: number }[] } };
    waitMs = Math.max(0, ...(result.timings?.waits ?? []).map((w) => w.minAgeMs));
  } catch {
    // no result (the scan failed): no wait to count
  }
  rmSync(out, { recursive: true, force: true });
  return { ms, exit: r.status, waitMs };
}

/** CPU time (ms) of a process and every process below it, from /proc (live processes only). */
function treeCpuMs(root: number): number {
  const kids = new Map<number, number[]>();
  const own = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const t = procTimes(pid);
    if (!t) continue;
    own.set(pid, t.own);
    kids.set(t.ppid, [...(kids.get(t.ppid) ?? []), pid]);
  }
  let ticks = 0;
  const stack = [root];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    ticks += own.get(pid) ?? 0;
    stack.push(...(kids.get(pid) ?? []));
  }
  return (ticks * 1000) / CLK_TCK;
}

export interface ChromiumStart {
  /** CPU time (ms) of Chromium's processes: started, the login page loaded once (median of runs) */
  cpuMs: number;
  /** wall time (ms) of the same */
  wallMs: number;
  runs: number;
}

/**
 * The least a browser scan asks of Chromium, measured in the same run as the
 * scans: start it (the scan's own flags, a new profile) and load the site's
 * login page once; the CPU of Chromium's whole process tree before it closes.
 * It is to a browser scan what Node's start is to every scan — no browser
 * scan can do less — so the floor of a browser row counts it, spread over
 * the cores like the servers' work. The scan's own Chromium CPU is not
 * counted: wasted browser work must not raise its own bar.
 */
export async function chromiumStart(loginUrl: string, runs = 3): Promise<ChromiumStart> {
  const { launchBrowser } = await import('../src/browser/launch.js');
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const b = await launchBrowser({ blockOtherHosts: true, insecure: true });
    try {
      const page = (await b.browser.pages())[0] ?? (await b.browser.newPage());
      await page.goto(loginUrl, { waitUntil: 'domcontentloaded' });
      wall.push(performance.now() - t);
      const pid = b.browser.process()?.pid;
      if (pid) cpu.push(treeCpuMs(pid));
    } finally {
      await b.close();
    }
  }
  return { cpuMs: stats(cpu).median, wallMs: stats(wall).median, runs };
}

export function benchScans(scenarios: string[], runs: number, browserModes: boolean[] = [true, false], chromium: ChromiumStart | null = null): ScanTiming[] {
  const out: ScanTiming[] = [];
  const cores = cpus().length;
  const start = nodeStartMs();
  const bare = nodeBareMs();
  for (const name of scenarios) {
    // One scan first, not measured: PHP compiles the site's scripts into its
    // opcode cache on their first request, once per site (a production
    // server's cache is warm). Without it the first measured run carries the
    // compiling as server CPU, which raises that row's floor alone.
    scanOnce(name, browserModes.includes(true));
    const chainSteps = loginChainOf(name, Math.min(3, runs));
    for (const browser of browserModes) {
      const times: number[] = [];
      const server: number[] = [];
      const ratios: number[] = [];
      const floors: number[] = [];
      const chains: number[] = [];
      let exit: number | null = null;
      const load = loadavg()[0] ?? 0;
      const busy0 = machineBusyMs();
      const own0 = ownAndChildrenMs();
      const server0 = serverCpuMs();
      const wall0 = performance.now();
      for (let i = 0; i < runs; i++) {
        const before = serverCpuMs();
        const r = scanOnce(name, browser);
        const cpu = serverCpuMs() - before;
        times.push(r.ms);
        exit = r.exit;
        if (cpu > 0) {
          // Two lower bounds, the larger is the floor: the work no scan can
          // skip spread over every core (the servers', and with the browser
          // Chromium's start), and the login's chain (chainBound), which no
          // core count shortens.
          const chromiumCpu = browser ? (chromium?.cpuMs ?? 0) : 0;
          const chain = chainBound(chainSteps, { browser, nodeStartMs: start, nodeBareMs: bare, chromiumWallMs: chromium?.wallMs ?? 0, waitMs: r.waitMs }) ?? 0;
          const floor = Math.max(start + (cpu + chromiumCpu) / cores, chain);
          if (chain > 0) chains.push(chain);
          server.push(cpu);
          floors.push(floor);
          ratios.push(r.ms / floor);
        }
      }
      out.push({
        scenario: name,
        browser,
        ms: stats(times),
        exit,
        serverMs: server.length ? stats(server) : null,
        floorMs: floors.length ? stats(floors).median : null,
        chainMs: chains.length ? stats(chains).median : null,
        chromiumMs: browser ? (chromium?.cpuMs ?? null) : null,
        ratio: ratios.length ? stats(ratios).median : null,
        load,
        othersCores: Math.max(0, machineBusyMs() - busy0 - (ownAndChildrenMs() - own0) - (serverCpuMs() - server0)) / Math.max(1, performance.now() - wall0),
      });
    }
  }
  return out;
}

export interface ScanFloor {
  /** median wall time of `wp401 --help`: Node's start and loading the CLI's modules */
  nodeStartMs: number;
  /** `scan --no-browser` of healthy with --concurrency 1: every request one after the other */
  sequentialScanMs: number;
  requests: number;
  cores: number;
  /** nodeStartMs + sequentialScanMs / cores: no scheduling can beat the server's own time spread over all cores */
  floorMs: number;
}

/**
 * What bounds a --no-browser scan on this machine: Node's start-up, and the
 * server's own time for the scan's requests (measured one at a time, so no
 * request waits for another) spread over every core.
 */
export function benchFloor(runs = 3): ScanFloor {
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [CLI, '--help'], { stdio: 'ignore' });
    starts.push(performance.now() - t);
  }
  const s = info().scenarios.find((x) => x.name === 'healthy');
  if (!s) throw new Error('no scenario healthy');
  const seq: number[] = [];
  let requests = 0;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'wp401-bench-floor-'));
    const env: NodeJS.ProcessEnv = { ...process.env, WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
    spawnSync(process.execPath, [CLI, 'scan', s.url, '--user', s.adminUser, '--no-browser', '--concurrency', '1', '--quiet', '--format', 'json', '--out', out], { env, stdio: 'ignore', timeout: 180000 });
    const result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as { durationMs: number; probes: { chain: unknown[] }[] };
    rmSync(out, { recursive: true, force: true });
    seq.push(result.durationMs);
    requests = result.probes.reduce((n, p) => n + Math.max(1, p.chain.length), 0);
  }
  const nodeStartMs = stats(starts).median;
  const sequentialScanMs = stats(seq).median;
  const cores = cpus().length;
  return { nodeStartMs, sequentialScanMs, requests, cores, floorMs: nodeStartMs + sequentialScanMs / cores };
}

/** A WordPress-looking site of `pages` linked pages, on 127.0.0.1. */
async function generatedSite(pages: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/wp-json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ namespaces: ['wp/v2'], routes: {}, authentication: {} }));
      return;
    }
    if (path.startsWith('/wp-sitemap.xml')) {
      const locs = Array.from({ length: pages }, (_, i) => `<url><loc>http://127.0.0.1:${port}/page-${i}/</loc></url>`).join('');
      res.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?><urlset>${locs}</urlset>`);
      return;
    }
    const n = Number(/page-(\d+)/.exec(path)?.[1] ?? 0);
    const links = [n + 1, n + 2, n * 2 + 1].filter((k) => k < pages).map((k) => `<a href="/page-${k}/">page ${k}</a>`).join(' ');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', link: `<http://127.0.0.1:${port}/wp-json/>; rel="https://api.w.org/"` })
      .end(`<!doctype html><html><head><title>Page ${n}</title><meta name="generator" content="WordPress 6.5" /><link rel="stylesheet" href="/wp-content/themes/x/style.css" /></head><body>${links}<p>${'text '.repeat(400)}</p></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Peak RSS (MiB) of `wp401 scan --no-browser` crawling a 1,000-page site; measured by GNU time when present, else by polling /proc. */
export async function benchCrawlMemory(pages = 1000): Promise<{ pages: number; peakMiB: number; probes: number; ms: number }> {
  const site = await generatedSite(pages);
  const out = mkdtempSync(join(tmpdir(), 'wp401-bench-mem-'));
  try {
    const t = performance.now();
    const child = await import('node:child_process').then(({ spawn }) =>
      spawn(process.execPath, [CLI, 'scan', site.url, '--no-browser', '--quiet', '--format', 'json', '--out', out, '--max-requests', String(pages + 300), '--concurrency', '8'], { stdio: 'ignore' }),
    );
    let peak = 0;
    const poll = setInterval(() => {
      const r = spawnSync('ps', ['-o', 'rss=', '-p', String(child.pid)], { encoding: 'utf8' });
      const kb = Number(r.stdout.trim());
      if (kb > peak) peak = kb;
    }, 50);
    await new Promise<void>((r) => child.on('exit', () => r()));
    clearInterval(poll);
    const ms = performance.now() - t;
    const result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as { probes: unknown[] };
    return { pages, peakMiB: peak / 1024, probes: result.probes.length, ms };
  } finally {
    rmSync(out, { recursive: true, force: true });
    await site.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  // --others-runs: fewer runs for every scenario after the first (a row per
  // scenario in reasonable time; the first, healthy, keeps --runs)
  const othersAt = args.indexOf('--others-runs');
  const othersRuns = othersAt >= 0 ? Number(args[othersAt + 1]) : runs;
  const names = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs' && args[i - 1] !== '--others-runs');
  const [first = 'healthy', ...others] = names;
  const site = info().scenarios.find((x) => x.name === first);
  const chromium = site ? await chromiumStart(new URL('wp-login.php', site.url).toString()) : null;
  const timings = [...benchScans([first], runs, [true, false], chromium), ...benchScans(others, othersRuns, [true, false], chromium)];
  const floor = benchFloor(runs);
  const mem = await benchCrawlMemory();
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ timings, floor, chromium, mem })}\n`);
  } else {
    for (const t of timings) {
      const chromiumPart = t.chromiumMs === null ? '' : ` + Chromium's start ${(t.chromiumMs / 1000).toFixed(2)} s`;
      const floor = t.floorMs === null ? 'no server CPU seen' : `floor ${(t.floorMs / 1000).toFixed(2)} s (server CPU ${((t.serverMs?.median ?? 0) / 1000).toFixed(2)} s${chromiumPart}${t.chainMs ? `; chain ${(t.chainMs / 1000).toFixed(2)} s` : ''}), ratio ${t.ratio?.toFixed(2)}`;
      process.stdout.write(`${t.scenario} ${t.browser ? 'with browser' : '--no-browser'}: median ${(t.ms.median / 1000).toFixed(2)} s (min ${(t.ms.min / 1000).toFixed(2)}, max ${(t.ms.max / 1000).toFixed(2)}), ${floor}, load ${t.load.toFixed(1)}, others ${t.othersCores.toFixed(2)} cores, exit ${t.exit}\n`);
    }
    process.stdout.write(
      `floor of a --no-browser scan: Node start ${floor.nodeStartMs.toFixed(0)} ms + ${floor.requests} requests one at a time ${floor.sequentialScanMs.toFixed(0)} ms / ${floor.cores} cores = ${floor.floorMs.toFixed(0)} ms\n`,
    );
    process.stdout.write(`1,000-URL crawl: peak RSS ${mem.peakMiB.toFixed(0)} MiB, ${mem.probes} probes in ${(mem.ms / 1000).toFixed(1)} s\n`);
  }
}
