// Benchmark, not a test: renders a 1,000-probe result to HTML, writes it, opens
// it from file:// in headless Chromium and prints its size and open time.
// Run: npx tsx bench/report-size.ts [probes]

import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromeArgs } from '../src/browser/launch.js';
import { renderHtml } from '../src/report/html/index.js';
import { syntheticResult } from '../test/support/results.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LIMIT_BYTES = 5 * 1024 * 1024;
const LIMIT_OPEN_MS = 2000;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const dir = await mkdtemp(join(tmpdir(), 'wp401-bench-'));
  try {
    const result = syntheticResult(count);
    const renderStart = performance.now();
    const page = renderHtml(result);
    const renderMs = performance.now() - renderStart;
    const file = join(dir, 'index.html');
    await writeFile(file, page);
    const bytes = (await stat(file)).size;

    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: join(dir, 'profile'),
      args: chromeArgs({ blockOtherHosts: true }),
    });
    const opens: number[] = [];
    try {
      for (let run = 0; run < 3; run++) {
        const tab = await browser.newPage();
        await tab.setViewport({ width: 1280, height: 800 });
        const start = performance.now();
        await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        // Until the inline script has drawn the filter count, the page is not ready to use.
        await tab.waitForFunction(() => (document.getElementById('probe-count')?.textContent ?? '') !== '');
        opens.push(performance.now() - start);
        await tab.close();
      }
    } finally {
      await browser.close();
    }
    const best = Math.min(...opens);
    const report = {
      probes: count,
      bytes,
      megabytes: Number((bytes / 1024 / 1024).toFixed(2)),
      renderMs: Math.round(renderMs),
      openMs: opens.map((ms) => Math.round(ms)),
      withinSize: bytes < LIMIT_BYTES,
      withinOpenTime: best < LIMIT_OPEN_MS,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.withinSize || !report.withinOpenTime) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
