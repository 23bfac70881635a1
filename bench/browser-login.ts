// Benchmark: launch + login + admin crawl on the test bed's `healthy` site,
// N runs, medians. Target: launch + login ≤ 3 s median. Not a test.
//   npx tsx bench/browser-login.ts [runs=5]
import { gatherBrowser } from '../src/browser/session.js';
import { scenario } from '../test/support/testbed.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const runs = Number(process.argv[2] ?? 5);
const s = scenario('healthy');
const rows: { launch: number; login: number; crawl: number; pages: number }[] = [];
for (let i = 0; i < runs; i++) {
  const { observations: o } = await gatherBrowser({ target: s.url, user: s.adminUser, password: s.adminPassword });
  if (o.login.outcome !== 'success') throw new Error(`run ${i + 1}: login ${o.login.outcome}`);
  const row = { launch: o.timings.launchMs ?? 0, login: o.timings.loginMs ?? 0, crawl: o.timings.adminCrawlMs ?? 0, pages: o.admin?.pages.length ?? 0 };
  rows.push(row);
  process.stdout.write(`run ${i + 1}: launch ${row.launch} ms, login ${row.login} ms, admin crawl ${row.crawl} ms (${row.pages} pages)\n`);
}
const launch = median(rows.map((r) => r.launch));
const login = median(rows.map((r) => r.login));
const both = median(rows.map((r) => r.launch + r.login));
const crawl = median(rows.map((r) => r.crawl));
process.stdout.write(`median of ${runs}: launch ${launch} ms, login ${login} ms, launch+login ${both} ms (target ≤ 3000: ${both <= 3000 ? 'met' : 'missed'}), admin crawl ${crawl} ms\n`);
