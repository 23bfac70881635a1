// Benchmark: replays the isolation search needs on synthetic sites of
// P = 4, 16, 64 harmless plugins plus one culprit, plus a pair that only
// fails together, plus two that each fail alone — every culprit position
// (or a sample of pairs) — against the targets: one culprit ≤
// 2⌈log₂P⌉+2 replays, a pair ≤ 4⌈log₂P⌉+4. With --testbed it also runs
// `scan --isolate` on the test-bed scenarios and reports their replay counts.
// Not a test.
//   npx tsx bench/isolation.ts [--testbed]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Oracle, replayTarget, searchCulprits } from '../src/isolate/search.js';
import type { ScanResult } from '../src/model.js';

function site(groups: string[][]): Oracle {
  return async (off) => {
    const o = new Set(off);
    return groups.some((g) => g.every((p) => !o.has(p))) ? 'fail' : 'pass';
  };
}

interface Row {
  case: string;
  P: number;
  sites: number;
  min: number;
  median: number;
  max: number;
  target: number;
  targetHarmlessP: number;
  correct: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function measure(label: string, p: number, culprits: 1 | 2, layouts: string[][][]): Promise<Row> {
  const counts: number[] = [];
  let right = 0;
  for (const groups of layouts) {
    const all = Array.from({ length: p + groups.flat().length }, (_, i) => `plugin-${i}/plugin-${i}.php`);
    // Culprits are among the plugins at the positions the layout names.
    const named = groups.map((g) => g.map((x) => all[Number(x)] as string));
    const r = await searchCulprits(all, site(named));
    counts.push(r.replays);
    const want = named.flat().sort().join();
    if (r.verdict === 'plugin' && [...r.culprits].sort().join() === want) right++;
  }
  const total = p + culprits;
  return { case: label, P: total, sites: layouts.length, min: Math.min(...counts), median: median(counts), max: Math.max(...counts), target: replayTarget(total, culprits), targetHarmlessP: replayTarget(p, culprits), correct: `${right}/${layouts.length}` };
}

const rows: Row[] = [];
for (const p of [4, 16, 64]) {
  const n = p + 1;
  rows.push(await measure('one culprit', p, 1, Array.from({ length: n }, (_, i) => [[String(i)]])));
  const pairs: string[][][] = [];
  const m = p + 2;
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) if (m <= 18 || (a * 7 + b) % 5 === 0) pairs.push([[String(a), String(b)]]);
  rows.push(await measure('pair, fails only together', p, 2, pairs));
  rows.push(await measure('two, each fails alone', p, 2, pairs.map(([g]) => (g as string[]).map((x) => [x]))));
}

console.log('synthetic sites (simulated oracle)');
console.table(rows);
const over = rows.filter((r) => r.max > Math.min(r.target, r.targetHarmlessP) || !r.correct.startsWith(`${r.sites}/`));
if (over.length) console.log('OVER TARGET OR WRONG:', over);

if (process.argv.includes('--testbed')) {
  const { scenario } = await import('../test/support/testbed.js');
  const live: Record<string, unknown>[] = [];
  for (const name of ['rest-blocked-by-plugin', 'app-passwords-disabled-by-plugin', 'plugin-pair']) {
    const s = scenario(name);
    const out = mkdtempSync(join(tmpdir(), 'wp401-bench-iso-'));
    const started = performance.now();
    try {
      execFileSync(process.execPath, ['dist/src/cli/main.js', 'scan', s.url, '--user', 'admin', '--no-browser', '--isolate', '--format', 'json', '--out', out], {
        env: { PATH: process.env.PATH, WP401_BRIDGE_KEY: s.bridgeKey ?? '', WP401_APP_PASSWORD: s.appPassword },
        stdio: 'ignore',
      });
    } catch {
      // exit code 1: problems found, as expected
    }
    const r = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as ScanResult;
    rmSync(out, { recursive: true, force: true });
    const P = (r.environment?.plugins as { bridge: boolean }[] | undefined)?.filter((x) => !x.bridge).length ?? 0;
    const perProbe = [...new Set(r.experiments.map((e) => e.probe))].map((id) => r.experiments.filter((e) => e.probe === id).length);
    const confirmed = r.findings.filter((f) => f.confidence === 'confirmed').map((f) => f.culprit?.name);
    live.push({ scenario: name, P, requests: perProbe.length, replaysPerRequest: perProbe.join(','), target: replayTarget(P, name === 'plugin-pair' ? 2 : 1), confirmed: confirmed.join('; '), scanMs: Math.round(performance.now() - started) });
  }
  console.log('live test bed (scan --isolate --no-browser)');
  console.table(live);
}
