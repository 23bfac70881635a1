// Benchmark: replay one list of URLs with the request engine and with curl,
// at the same concurrency, and compare wall-clock time (issue 3 asks for the
// engine to stay within 1.2× curl).
//
// curl gets every URL in one config file (-K), so its process start is paid
// once per run, and keeps connections alive across transfers like the
// engine's pool does. Both follow redirects and keep cookies.
//
//   npx tsx bench/engine-vs-curl.ts [url | file-of-urls ...]
//       [--runs 7] [--warmup 2] [--concurrency 1] [--repeat 1] [--json]
//       [--undici]   also time a bare undici loop, to split engine overhead from undici's
//
// Without URLs it replays a handful of WordPress paths on the test bed,
// http://127.0.0.1:8401/. Not a test: nothing here runs in the suite.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { createEngine } from '../src/http/index.js';

const DEFAULT_TARGET = 'http://127.0.0.1:8401/';
const DEFAULT_PATHS = ['', 'wp-login.php', 'wp-json/', 'wp-json/wp/v2/users/me', 'wp-admin/', 'xmlrpc.php', 'wp-sitemap.xml', 'feed/'];

interface RunResult {
  ms: number;
  statuses: number[];
}

function urlsFrom(positionals: string[]): string[] {
  if (positionals.length === 0) return DEFAULT_PATHS.map((p) => new URL(p, DEFAULT_TARGET).href);
  const urls: string[] = [];
  for (const arg of positionals) {
    if (/^https?:\/\//i.test(arg)) urls.push(arg);
    else if (existsSync(arg)) {
      for (const line of readFileSync(arg, 'utf8').split(/\r?\n/)) {
        const t = line.trim();
        if (t && !t.startsWith('#')) urls.push(t);
      }
    } else throw new Error(`neither a URL nor a file: ${arg}`);
  }
  return urls;
}

async function runEngine(urls: string[], concurrency: number): Promise<RunResult> {
  const engine = createEngine({ concurrency, maxRequests: Number.MAX_SAFE_INTEGER, retryAfterMaxMs: 0 });
  const t0 = performance.now();
  const probes = await Promise.all(urls.map((url) => engine.probe({ source: 'bench', url })));
  const ms = performance.now() - t0;
  await engine.close();
  return { ms, statuses: probes.map((p) => p.status) };
}

/** Bare undici, no redirects, jar or redaction: how much of the gap is the engine's own work. */
async function runUndici(urls: string[], concurrency: number): Promise<RunResult> {
  const agent = new Agent();
  const statuses: number[] = [];
  const queue = [...urls];
  const t0 = performance.now();
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const res = await request(url, { dispatcher: agent });
      await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
      statuses.push(res.statusCode);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  await agent.close();
  return { ms, statuses };
}

function curlConfig(urls: string[], concurrency: number): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['silent', 'location', 'max-redirs = 10', 'cookie = ""', `write-out = "%{http_code}\\n"`];
  if (concurrency > 1) lines.push('parallel', `parallel-max = ${concurrency}`);
  for (const url of urls) lines.push(`url = ${quote(url)}`, 'output = "/dev/null"');
  return `${lines.join('\n')}\n`;
}

function runCurl(configPath: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // stderr is piped, not shown: curl 7.x draws its --parallel progress meter even with --silent.
    const child = spawn('curl', ['-K', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    child.stderr.on('data', (d: string) => {
      err = (err + d).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) process.stderr.write(`curl exited with ${code}: ${err.trim().split('\n').pop() ?? ''}\n`);
      resolve({ ms, statuses: out.split('\n').filter(Boolean).map(Number) });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

const tally = (statuses: number[]): string => {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '7' },
      warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      undici: { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const warmup = Math.max(0, Number(values.warmup));
  const concurrency = Math.max(1, Number(values.concurrency));
  const repeat = Math.max(1, Number(values.repeat));
  const once = urlsFrom(positionals);
  const urls = Array.from({ length: repeat }, () => once).flat();

  const dir = mkdtempSync(join(tmpdir(), 'wp401-bench-'));
  const configPath = join(dir, 'urls.curl');
  writeFileSync(configPath, curlConfig(urls, concurrency));
  try {
    const engineRuns: RunResult[] = [];
    const curlRuns: RunResult[] = [];
    const undiciRuns: RunResult[] = [];
    // Alternate the two so drift on the machine hits both alike.
    for (let i = 0; i < warmup + runs; i++) {
      const e = await runEngine(urls, concurrency);
      const c = await runCurl(configPath);
      const u = values.undici ? await runUndici(urls, concurrency) : undefined;
      if (i >= warmup) {
        engineRuns.push(e);
        curlRuns.push(c);
        if (u) undiciRuns.push(u);
      }
    }
    const engineMs = median(engineRuns.map((r) => r.ms));
    const curlMs = median(curlRuns.map((r) => r.ms));
    const ratio = engineMs / curlMs;
    const undiciMs = undiciRuns.length > 0 ? median(undiciRuns.map((r) => r.ms)) : undefined;
    const engineStatuses = tally(engineRuns[0]?.statuses ?? []);
    const curlStatuses = tally(curlRuns[0]?.statuses ?? []);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ requests: urls.length, concurrency, runs, engineMs, curlMs, undiciMs, ratio, engineStatuses, curlStatuses })}\n`);
      return;
    }
    const line = (name: string, ms: number, statuses: string) =>
      `${name.padEnd(7)} median ${ms.toFixed(1).padStart(8)} ms  ${((urls.length / ms) * 1000).toFixed(1).padStart(7)} req/s  [${statuses}]`;
    process.stdout.write(`${urls.length} requests, concurrency ${concurrency}, median of ${runs} runs (${warmup} warm-up)\n`);
    process.stdout.write(`${line('engine', engineMs, engineStatuses)}\n`);
    process.stdout.write(`${line('curl', curlMs, curlStatuses)}\n`);
    if (undiciMs !== undefined) process.stdout.write(`${line('undici', undiciMs, `${tally(undiciRuns[0]?.statuses ?? [])}, redirects not followed`)}\n`);
    process.stdout.write(`ratio engine/curl ${ratio.toFixed(2)} (target ≤ 1.20)\n`);
    if (engineStatuses !== curlStatuses) process.stdout.write('warning: the two saw different statuses; the comparison may not be like for like\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
