// Benchmark, not a test: a scan of a server that serialises requests and
// answers slower under concurrency (one PHP worker behind a security plugin
// that locks per request, say). Such a server gains nothing from requests in
// flight, and each waiting request makes the one being served slower.
//   npx tsx bench/slow-server.ts [--json] [--service 40] [--penalty 60] [--concurrency 4]
// It scans a WordPress-looking site on 127.0.0.1 with the built CLI, with
// adaptive concurrency and with --no-adaptive, and reports each against the
// sequential floor: Node's start plus the server's own time for the scan's
// requests one at a time (every request served alone costs exactly
// `service` ms here, so the server time is requests × service).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO } from '../fixtures/testbed/paths.js';
import { stats } from './testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

export interface SlowServerRun {
  adaptive: boolean;
  ms: number;
  requests: number;
  /** the most requests the server held at once (waiting + served) */
  peakInFlight: number;
  /** time-weighted mean of requests held, over the scan */
  meanInFlight: number;
  exit: number | null;
}

export interface SlowServerBench {
  serviceMs: number;
  penaltyMs: number;
  concurrency: number;
  nodeStartMs: number;
  runs: (SlowServerRun & { floorMs: number; ratio: number })[];
}

/** A site of `pages` linked pages that serves one request at a time, slower for each one waiting. */
export async function slowSite(pages: number, serviceMs: number, penaltyMs: number) {
  let held = 0;
  let peak = 0;
  let requests = 0;
  let area = 0;
  let last = performance.now();
  const account = (delta: number) => {
    const now = performance.now();
    area += held * (now - last);
    last = now;
    held += delta;
    if (held > peak) peak = held;
  };
  let queue: Promise<void> = Promise.resolve();
  const page = (path: string): { type: string; body: string; extra?: Record<string, string> } => {
    if (path.startsWith('/wp-json')) return { type: 'application/json', body: JSON.stringify({ namespaces: ['wp/v2'], routes: {}, authentication: {} }) };
    if (path.startsWith('/wp-sitemap.xml')) {
      const locs = Array.from({ length: pages }, (_, i) => `<url><loc>http://127.0.0.1:${port}/page-${i}/</loc></url>`).join('');
      return { type: 'application/xml', body: `<?xml version="1.0"?><urlset>${locs}</urlset>` };
    }
    const n = Number(/page-(\d+)/.exec(path)?.[1] ?? 0);
    const links = [n + 1, n + 2, n * 2 + 1].filter((k) => k < pages).map((k) => `<a href="/page-${k}/">page ${k}</a>`).join(' ');
    return {
      type: 'text/html; charset=utf-8',
      extra: { link: `<http://127.0.0.1:${port}/wp-json/>; rel="https://api.w.org/"` },
      body: `<!doctype html><html><head><title>Page ${n}</title><meta name="generator" content="WordPress 6.5" /></head><body>${links}</body></html>`,
    };
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    account(+1);
    const turn = queue.then(async () => {
      // Contention: every other request the server holds slows this one.
      await sleep(serviceMs + penaltyMs * Math.max(0, held - 1));
      const p = page(req.url ?? '/');
      res.writeHead(200, { 'content-type': p.type, ...(p.extra ?? {}) }).end(p.body);
      account(-1);
    });
    queue = turn.catch(() => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    reset() {
      held = 0;
      peak = 0;
      requests = 0;
      area = 0;
      last = performance.now();
    },
    read(ms: number) {
      account(0);
      return { requests, peakInFlight: peak, meanInFlight: area / Math.max(1, ms) };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function scanOnce(url: string, concurrency: number, adaptive: boolean): Promise<{ ms: number; exit: number | null }> {
  const out = mkdtempSync(join(tmpdir(), 'wp401-bench-slow-'));
  const args = [CLI, 'scan', url, '--no-browser', '--quiet', '--format', 'json', '--out', out, '--concurrency', String(concurrency)];
  if (!adaptive) args.push('--no-adaptive');
  const t = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  const exit = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ms = performance.now() - t;
  rmSync(out, { recursive: true, force: true });
  return { ms, exit };
}

export async function benchSlowServer(opts: { serviceMs?: number; penaltyMs?: number; concurrency?: number; runs?: number } = {}): Promise<SlowServerBench> {
  const serviceMs = opts.serviceMs ?? 40;
  const penaltyMs = opts.penaltyMs ?? 60;
  const concurrency = opts.concurrency ?? 4;
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [CLI, '--help'], { stdio: 'ignore' });
    starts.push(performance.now() - t);
  }
  const nodeStartMs = stats(starts).median;
  const site = await slowSite(60, serviceMs, penaltyMs);
  const runs: SlowServerBench['runs'] = [];
  try {
    for (let i = 0; i < (opts.runs ?? 1); i++) {
      for (const adaptive of [true, false]) {
        site.reset();
        const r = await scanOnce(site.url, concurrency, adaptive);
        const seen = site.read(r.ms);
        const floorMs = nodeStartMs + seen.requests * serviceMs;
        runs.push({ adaptive, ms: r.ms, exit: r.exit, ...seen, floorMs, ratio: r.ms / floorMs });
      }
    }
  } finally {
    await site.close();
  }
  return { serviceMs, penaltyMs, concurrency, nodeStartMs, runs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const num = (name: string, d: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : d;
  };
  const result = await benchSlowServer({ serviceMs: num('--service', 40), penaltyMs: num('--penalty', 60), concurrency: num('--concurrency', 4), runs: num('--runs', 1) });
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    for (const r of result.runs) {
      process.stdout.write(
        `${r.adaptive ? 'adaptive   ' : 'fixed      '} ${(r.ms / 1000).toFixed(2)} s for ${r.requests} requests; floor ${(r.floorMs / 1000).toFixed(2)} s; ratio ${r.ratio.toFixed(2)}; in flight peak ${r.peakInFlight}, mean ${r.meanInFlight.toFixed(2)} (--concurrency ${result.concurrency}); exit ${r.exit}\n`,
      );
    }
  }
}
