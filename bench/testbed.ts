// Benchmark, not a test: how long the test bed takes to come up from installed
// packages (state folder wiped, every site built from nothing) and to reset.
// Run when nothing else uses the test bed: it destroys and rebuilds it.
//   npx tsx bench/testbed.ts [--runs 5] [--json]
import { SCENARIOS } from '../fixtures/testbed/scenarios.js';
import { destroy, missingPackages, reset, up } from '../fixtures/testbed/testbed.js';

export interface TestbedBench {
  upMs: number;
  resetOneMs: { median: number; min: number; max: number; runs: number };
  resetAllMs: number;
  sites: number;
}

export function stats(xs: number[]): { median: number; min: number; max: number; runs: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median, min: s[0] ?? 0, max: s[s.length - 1] ?? 0, runs: s.length };
}

export async function benchTestbed(runs = 5): Promise<TestbedBench> {
  const missing = missingPackages();
  if (missing.length) throw new Error(`install the test bed's packages first (npm run testbed -- up): missing ${missing.join(' ')}`);
  await destroy();
  let t = performance.now();
  await up();
  const upMs = performance.now() - t;
  const one: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await reset(['healthy']);
    one.push(performance.now() - t);
  }
  t = performance.now();
  await reset([]);
  const resetAllMs = performance.now() - t;
  return { upMs, resetOneMs: stats(one), resetAllMs, sites: SCENARIOS.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  benchTestbed(runs).then(
    (r) => {
      if (process.argv.includes('--json')) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      process.stdout.write(`test bed up from installed packages (${r.sites} sites): ${s(r.upMs)}  target ≤ 60 s  ${r.upMs <= 60000 ? 'met' : 'MISSED'}\n`);
      process.stdout.write(`reset of one scenario: median ${s(r.resetOneMs.median)} (min ${s(r.resetOneMs.min)}, max ${s(r.resetOneMs.max)}, ${r.resetOneMs.runs} runs)  target ≤ 5 s  ${r.resetOneMs.median <= 5000 ? 'met' : 'MISSED'}\n`);
      process.stdout.write(`reset of all ${r.sites} scenarios: ${s(r.resetAllMs)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
