// The HTTP crawl of a test-bed site against linkinator's LinkChecker on the
// same site at the same concurrency: pages fetched per second, medians of
// several runs, both printed side by side. Not a test.
//
// Like for like: both fetch the same pages. A first wp401 crawl lists the
// pages it fetches (same origin, no assets, feeds, login or action links:
// src/crawl/frontier.ts); linkinator then skips every link outside that list,
// so static files and oEmbed endpoints that cost the server little do not
// count as "pages" for one tool and not the other. The `healthy` site has a dozen pages, too few to measure a
// rate, so the bench first adds --posts published posts to it (wp_insert_post
// through the test bed's PHP runner) and resets the site afterwards.
//
//   npx tsx bench/crawl-vs-linkinator.ts [--runs 5] [--concurrency 4] [--posts 200]
import { performance } from 'node:perf_hooks';
import { LinkChecker } from 'linkinator';
import { scenarioByName } from '../fixtures/testbed/scenarios.js';
import { runPhp } from '../fixtures/testbed/sites.js';
import { crawlSite } from '../src/crawl/index.js';
import { createEngine } from '../src/http/index.js';
import type { Discovery } from '../src/observations.js';
import { summarizeBody } from '../src/probes/summarize.js';
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
}

async function ours(): Promise<Run> {
  const engine = createEngine({ summarizeBody, concurrency, maxRequests: 5000 });
  // pages only: no REST routes, so both tools walk the same HTML link graph
  const discovery: Discovery = { reachable: true, wordpress: 'yes', marks: [], restIndex: null, restBase: 'wp-json/' };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await crawlSite(engine, url, discovery, { maxPages: 5000 });
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  for (const p of engine.probes()) ourPages.add(p.url);
  await engine.close();
  return { pages: r.pages + r.restRoutes, ms, cpuMs };
}

async function linkinator(): Promise<Run> {
  const checker = new LinkChecker();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await checker.check({ path: url, recurse: true, concurrency, timeout: 15_000, linksToSkip: async (link: string) => !ourPages.has(link.replace(/#.*$/, '')) });
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  // a URL linked from several pages is listed once per parent but fetched once
  return { pages: new Set(r.links.filter((l) => l.state !== 'SKIPPED').map((l) => l.url)).size, ms, cpuMs };
}

async function main(): Promise<void> {
  seed(posts);
  try {
    const a: number[] = [];
    const b: number[] = [];
    const aCpu: number[] = [];
    const bCpu: number[] = [];
    let aPages = 0;
    let bPages = 0;
    await ours(); // warm both the site's caches and the JIT
    await linkinator();
    for (let i = 0; i < runs; i++) {
      // alternate who goes first so neither always runs on a warmer machine
      let x: Run;
      let y: Run;
      if (i % 2 === 0) {
        x = await ours();
        y = await linkinator();
      } else {
        y = await linkinator();
        x = await ours();
      }
      a.push((x.pages / x.ms) * 1000);
      b.push((y.pages / y.ms) * 1000);
      aCpu.push(x.cpuMs / x.pages);
      bCpu.push(y.cpuMs / y.pages);
      aPages = x.pages;
      bPages = y.pages;
    }
    const pa = median(a);
    const pb = median(b);
    process.stdout.write(`site ${url} (${SITE} + ${posts} posts), concurrency ${concurrency}, ${runs} runs (medians)\n`);
    process.stdout.write(`  wp401 crawl  ${pa.toFixed(1).padStart(8)} pages/s  (${aPages} pages per run, ${median(aCpu).toFixed(2)} ms Node CPU per page)\n`);
    process.stdout.write(`  linkinator   ${pb.toFixed(1).padStart(8)} pages/s  (${bPages} pages per run, ${median(bCpu).toFixed(2)} ms Node CPU per page)\n`);
    process.stdout.write(`  ratio        ${(pa / pb).toFixed(2)}× (target ≥ 1)\n`);
  } finally {
    await resetScenario(SITE);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
