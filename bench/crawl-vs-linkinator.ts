// The HTTP crawl of a test-bed site against linkinator's LinkChecker on the
// same site at the same concurrency: URLs fetched per second, medians of
// several runs, both printed side by side. Not a test.
//
//   npx tsx bench/crawl-vs-linkinator.ts [url] [--runs 5] [--concurrency 4]
import { performance } from 'node:perf_hooks';
import { LinkChecker } from 'linkinator';
import { crawlSite } from '../src/crawl/index.js';
import { createEngine } from '../src/http/index.js';
import type { Discovery } from '../src/observations.js';
import { summarizeBody } from '../src/probes/summarize.js';

const args = process.argv.slice(2);
const flag = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const url = args.find((a) => a.startsWith('http')) ?? 'http://127.0.0.1:8401/';
const runs = flag('runs', 5);
const concurrency = flag('concurrency', 4);
const origin = new URL(url).origin;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function ours(): Promise<{ urls: number; ms: number }> {
  const engine = createEngine({ summarizeBody, concurrency, maxRequests: 2000 });
  // pages only: no REST routes, so both tools walk the same HTML link graph
  const discovery: Discovery = { reachable: true, wordpress: 'yes', marks: [], restIndex: null, restBase: 'wp-json/' };
  const t0 = performance.now();
  const r = await crawlSite(engine, url, discovery, { maxPages: 1500 });
  const ms = performance.now() - t0;
  await engine.close();
  return { urls: r.pages + r.restRoutes, ms };
}

async function linkinator(): Promise<{ urls: number; ms: number }> {
  const checker = new LinkChecker();
  const t0 = performance.now();
  const r = await checker.check({ path: url, recurse: true, concurrency, timeout: 15_000, linksToSkip: async (link: string) => !link.startsWith(origin) });
  const ms = performance.now() - t0;
  return { urls: r.links.filter((l) => l.state !== 'SKIPPED').length, ms };
}

async function main(): Promise<void> {
  const a: number[] = [];
  const b: number[] = [];
  let aUrls = 0;
  let bUrls = 0;
  await ours(); // warm both the site's caches and the JIT
  await linkinator();
  for (let i = 0; i < runs; i++) {
    const x = await ours();
    const y = await linkinator();
    a.push((x.urls / x.ms) * 1000);
    b.push((y.urls / y.ms) * 1000);
    aUrls = x.urls;
    bUrls = y.urls;
  }
  const pa = median(a);
  const pb = median(b);
  process.stdout.write(`site ${url}, concurrency ${concurrency}, ${runs} runs (medians)\n`);
  process.stdout.write(`  wp401 crawl  ${pa.toFixed(1).padStart(8)} URLs/s  (${aUrls} URLs per run)\n`);
  process.stdout.write(`  linkinator   ${pb.toFixed(1).padStart(8)} URLs/s  (${bUrls} URLs per run)\n`);
  process.stdout.write(`  ratio        ${(pa / pb).toFixed(2)}× (target ≥ 1)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
