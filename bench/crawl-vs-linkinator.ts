// The HTTP crawl of a test-bed site against linkinator's LinkChecker on the
// same site at the same concurrency: pages fetched per second, medians of
// several runs, both printed side by side. Not a test.
//
// Like for like: both fetch the same pages. A first wp401 crawl lists the
// pages it fetches (same origin, no assets, feeds, login or action links:
// src/gather/frontier.ts); linkinator then skips every link outside that list,
// so static files and oEmbed endpoints that cost the server little do not
// count as "pages" for one tool and not the other. The `healthy` site has a dozen pages, too few to measure a
// rate, so the bench first adds --posts published posts to it (wp_insert_post
// through the test bed's PHP runner) and resets the site afterwards.
//
// Same concurrency: linkinator keeps more requests in flight than its
// `concurrency` setting. The server's access log (service time per request)
// shows how many each tool really had in flight; wp401 runs once more with
// linkinator's number as a fixed limit (`adaptive: false`: the adaptive
// limiter would keep fewer in flight whenever more do not pay, so only a fixed
// limit holds the same number), and that pair is the like-for-like ratio. The
// default, adaptive engine allowed as many is printed beside it: what a user
// gets, and what the limiter's gentleness costs on a server that copes.
//
//   npx tsx bench/crawl-vs-linkinator.ts [--runs 5] [--concurrency 4] [--posts 200]
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LinkChecker } from 'linkinator';
import { P } from '../fixtures/testbed/paths.js';
import { scenarioByName } from '../fixtures/testbed/scenarios.js';
import { runPhp } from '../fixtures/testbed/sites.js';
import type { Discovery } from '../src/observations/index.js';
import { resetScenario, scenario } from '../test/support/testbed.js';

const args = process.argv.slice(2);
const flag = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const runs = flag('runs', 5);
const concurrency = flag('concurrency', 4);
const posts = flag('posts', 200);
const SITE = 'healthy';
const url = scenario(SITE).url;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function cpuSince(c0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
}

// wp401's side runs the compiled code users run (dist/, built by tsc; run
// `npm run build` first), not the TypeScript sources through tsx, whose
// per-function name wrappers cost ~20 % on this hot path.
const dist = (m: string) => `../dist/src/${m}`;
const { crawlSite } = (await import(dist('gather/crawl.js'))) as typeof import('../src/gather/crawl.js');
const { createEngine } = (await import(dist('http/index.js'))) as typeof import('../src/http/index.js');
const { summarizeBody } = (await import(dist('parse/body.js'))) as typeof import('../src/parse/body.js');

/** The pages wp401's crawl fetched; linkinator may fetch these and no others. */
const ourPages = new Set<string>();

function seed(n: number): void {
  const code = `for ($i = 1; $i <= ${n}; $i++) {
    wp_insert_post(array('post_title' => "Bench post $i", 'post_content' => str_repeat("<p>Paragraph of bench post $i.</p>", 5), 'post_status' => 'publish'));
  }
  echo wp_count_posts()->publish;`;
  const r = runPhp(scenarioByName(SITE), code);
  if (r.status !== 0) throw new Error(`seeding ${SITE} failed: ${r.stderr.slice(0, 300)}`);
}

interface Run {
  pages: number;
  ms: number;
  /** CPU time of this Node process during the run */
  cpuMs: number;
  /** requests the server had in hand on average: Σ(Apache's %D) / wall time */
  inFlight: number;
}

// The test bed's Apache logs each request's service time (%D, µs) as the
// line's last field: summed over a run it tells how many requests a tool
// really kept in flight, whatever its concurrency setting says.
const ACCESS_LOG = join(P.logs, 'apache-php.access.log');
const logSize = (): number => statSync(ACCESS_LOG).size;
function serverSeconds(from: number): number {
  const text = readFileSync(ACCESS_LOG, 'utf8').slice(from);
  let us = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('"GET ')) continue;
    const d = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(d)) us += d;
  }
  return us / 1e6;
}

async function timed(fn: () => Promise<number>): Promise<Run> {
  const at = logSize();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const pages = await fn();
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  return { pages, ms, cpuMs, inFlight: serverSeconds(at) / (ms / 1000) };
}

function ours(c: number, adaptive = true): Promise<Run> {
  return timed(async () => {
    const engine = createEngine({ summarizeBody, concurrency: c, adaptive, maxRequests: 5000 });
    // pages only: no REST routes, so both tools walk the same HTML link graph
    const discovery: Discovery = { reachable: true, wordpress: 'yes', marks: [], restIndex: null, restBase: 'wp-json/' };
    const r = await crawlSite(engine, url, discovery, { maxPages: 5000, workers: c * 2 });
    for (const p of engine.probes()) ourPages.add(p.url);
    await engine.close();
    return r.pages + r.restRoutes;
  });
}

function linkinator(c: number): Promise<Run> {
  return timed(async () => {
    const checker = new LinkChecker();
    const r = await checker.check({ path: url, recurse: true, concurrency: c, timeout: 15_000, linksToSkip: async (link: string) => !ourPages.has(link.replace(/#.*$/, '')) });
    // a URL linked from several pages is listed once per parent but fetched once
    return new Set(r.links.filter((l) => l.state !== 'SKIPPED').map((l) => l.url)).size;
  });
}

const rate = (r: Run): number => (r.pages / r.ms) * 1000;

function line(name: string, runs: Run[]): string {
  return `  ${name.padEnd(28)} ${median(runs.map(rate)).toFixed(1).padStart(6)} pages/s  (${runs[0]?.pages ?? 0} pages, ${median(runs.map((r) => r.inFlight)).toFixed(1)} in flight at the server, ${median(runs.map((r) => r.cpuMs / r.pages)).toFixed(2)} ms Node CPU per page)\n`;
}

async function main(): Promise<void> {
  seed(posts);
  try {
    await ours(concurrency); // warm both the site's caches and the JIT, and list our pages
    const warm = await linkinator(concurrency);
    // linkinator keeps more requests in flight than its setting (it checks
    // links and crawls pages in separate queues): give wp401 the same number
    const matched = Math.max(concurrency, Math.round(warm.inFlight));
    const a: Run[] = [];
    const b: Run[] = [];
    const c: Run[] = [];
    const d: Run[] = [];
    const variants: [Run[], () => Promise<Run>][] = [
      [a, () => ours(concurrency)],
      [b, () => linkinator(concurrency)],
      [c, () => ours(matched, false)],
      [d, () => ours(matched)],
    ];
    for (let i = 0; i < runs; i++) {
      // rotate the order each round so no variant always runs on a warmer (or busier) machine
      for (let k = 0; k < variants.length; k++) {
        const [into, run] = variants[(i + k) % variants.length] as [Run[], () => Promise<Run>];
        into.push(await run());
      }
    }
    const ratioSetting = median(a.map(rate)) / median(b.map(rate));
    const ratioMatched = median(c.map(rate)) / median(b.map(rate));
    const ratioAdaptive = median(d.map(rate)) / median(b.map(rate));
    process.stdout.write(`site ${url} (${SITE} + ${posts} posts), concurrency ${concurrency}, ${runs} runs (medians)\n`);
    process.stdout.write(line(`wp401 crawl, concurrency ${concurrency}`, a));
    process.stdout.write(line(`linkinator, concurrency ${concurrency}`, b));
    process.stdout.write(line(`wp401 crawl, fixed ${matched}`, c));
    process.stdout.write(line(`wp401 crawl, adaptive ≤ ${matched}`, d));
    process.stdout.write(`  ratio at the same setting   ${ratioSetting.toFixed(2)}×\n`);
    process.stdout.write(`  ratio        ${ratioMatched.toFixed(2)}× at the same requests in flight (target ≥ 1)\n`);
    process.stdout.write(`  ratio        ${ratioAdaptive.toFixed(2)}× adaptive, allowed as many (it keeps fewer in flight when more do not pay)\n`);
    process.stdout.write(`RESULT ${JSON.stringify({ ours: median(c.map(rate)), linkinator: median(b.map(rate)), ratio: ratioMatched, ratioSetting, ratioAdaptive, matched })}\n`);
  } finally {
    await resetScenario(SITE);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
