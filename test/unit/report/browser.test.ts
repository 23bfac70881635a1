// Opens rendered reports in headless Chromium from file://, with the network
// blocked, and checks what a reader gets: no errors, no CSP violations, no
// request but the file, the verdict and first fix in the first viewport, and
// hostile site data shown as text without running.

import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromeArgs } from '../../../src/browser/launch.js';
import { renderHtml } from '../../../src/report/html/index.js';
import { loadResult, resultFixtureNames, TINY_PNG } from '../../support/results.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results', 'report');
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, isMobile: false },
  { name: 'phone', width: 390, height: 844, isMobile: true },
] as const;

interface Visit {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

async function visit(browser: Browser, file: string, viewport: (typeof VIEWPORTS)[number]): Promise<Visit> {
  const page = await browser.newPage();
  const visit: Visit = { page, consoleErrors: [], requests: [], dialogs: [] };
  await page.setViewport({ width: viewport.width, height: viewport.height, isMobile: viewport.isMobile, hasTouch: viewport.isMobile });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warn') visit.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => visit.consoleErrors.push(String(err)));
  page.on('request', (req) => visit.requests.push(req.url()));
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return visit;
}

async function topOf(page: Page, selector: string): Promise<{ top: number; bottom: number } | null> {
  const handle = await page.$(selector);
  if (!handle) return null;
  const box = await handle.boundingBox();
  return box ? { top: box.y, bottom: box.y + box.height } : null;
}

describe('report/html in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let userDataDir = '';
  let outDir = '';

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    userDataDir = await mkdtemp(join(tmpdir(), 'wp401-chromium-'));
    outDir = await mkdtemp(join(tmpdir(), 'wp401-report-'));
    await mkdir(SHOTS, { recursive: true });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir,
      args: chromeArgs({ blockOtherHosts: true }),
    });
  });

  after(async () => {
    await browser?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  for (const name of resultFixtureNames()) {
    for (const viewport of VIEWPORTS) {
      it(`${name} at ${viewport.name} ${viewport.width}×${viewport.height}`, async () => {
        assert.ok(browser);
        const result = loadResult(name);
        const file = join(outDir, `${name}.html`);
        await writeFile(file, renderHtml(result, { screenshots: { 'screenshots/p2.png': TINY_PNG } }));
        const { page, consoleErrors, requests, dialogs } = await visit(browser, file, viewport);
        try {
          await page.screenshot({ path: join(SHOTS, `${name}-${viewport.name}.png`) as `${string}.png` });
          const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
          assert.deepEqual(csp, [], 'no CSP violations');
          assert.deepEqual(consoleErrors, [], 'no console errors');
          assert.deepEqual(dialogs, [], 'no dialogs');
          assert.deepEqual(
            requests.filter((url) => url !== pathToFileURL(file).href && !url.startsWith('data:')),
            [],
            'no request but the file itself',
          );

          // The script ran: the filter is shown and counts the probes.
          const count = await page.$eval('#probe-count', (el) => el.textContent);
          assert.equal(count, `showing ${result.probes.length} of ${result.probes.length}`);

          const verdict = await topOf(page, '#verdict-sentence');
          assert.ok(verdict, 'verdict rendered');
          assert.ok(verdict.top >= 0 && verdict.bottom <= viewport.height, `verdict in first viewport: ${JSON.stringify(verdict)}`);
          const verdictText = await page.$eval('#verdict-sentence', (el) => el.textContent);
          assert.equal(verdictText, result.verdict.summary);

          const firstError = result.findings.find((f) => f.severity === 'error');
          if (firstError && firstError.fixes.length > 0) {
            const fix = await topOf(page, '#problems .fix');
            assert.ok(fix, 'first fix rendered');
            assert.ok(fix.top < viewport.height - 24, `first fix starts in the first viewport: ${JSON.stringify(fix)}`);
          }
        } finally {
          await page.close();
        }
      });
    }
  }

  it('hostile site data is shown as text and runs nothing', async () => {
    assert.ok(browser);
    const file = join(outDir, 'hostile-check.html');
    await writeFile(file, renderHtml(loadResult('hostile')));
    const { page, dialogs } = await visit(browser, file, VIEWPORTS[0]);
    try {
      // Open every details element so all text is rendered.
      await page.$$eval('details', (els) => {
        for (const el of els) (el as HTMLDetailsElement).open = true;
      });
      const text = await page.evaluate(() => document.querySelector('main')?.textContent ?? '');
      assert.ok(text.includes('<script>alert(1)</script>'));
      assert.ok(text.includes('"><img src=x onerror=alert(1)>'));
      assert.ok(text.includes('javascript:alert(1)'));
      const injected = await page.evaluate(() => ({
        scripts: document.scripts.length,
        imgs: [...document.images].map((img) => img.getAttribute('src')),
        handlers: [...document.querySelectorAll('*')].flatMap((el) =>
          [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
        ),
        jsLinks: [...document.querySelectorAll('a[href]')]
          .map((a) => a.getAttribute('href') ?? '')
          .filter((href) => !/^(#|https?:)/i.test(href)),
        bold: document.querySelectorAll('b').length === document.querySelectorAll('.tag b').length,
      }));
      assert.equal(injected.scripts, 2);
      assert.deepEqual(injected.imgs, []);
      assert.deepEqual(injected.handlers, []);
      assert.deepEqual(injected.jsLinks, []);
      assert.ok(injected.bold, 'no <b> from site data');
      // Using the filter with a payload does not run it either.
      await page.type('#probe-text', '<img src=x onerror=alert(1)>');
      const shown = await page.$eval('#probe-count', (el) => el.textContent);
      assert.match(shown ?? '', /^showing \d+ of 3$/);
      assert.deepEqual(dialogs, []);
    } finally {
      await page.close();
    }
  });

  it('filters requests by status and text', async () => {
    assert.ok(browser);
    const file = join(outDir, 'filter-check.html');
    await writeFile(file, renderHtml(loadResult('plugin-confirmed')));
    const { page } = await visit(browser, file, VIEWPORTS[0]);
    try {
      await page.select('#probe-status', '401');
      assert.equal(await page.$eval('#probe-count', (el) => el.textContent), 'showing 2 of 6');
      await page.select('#probe-status', 'all');
      await page.type('#probe-text', 'x-cache');
      assert.equal(await page.$eval('#probe-count', (el) => el.textContent), 'showing 1 of 6');
      await page.select('#probe-status', '0');
      assert.equal(await page.$eval('#probe-count', (el) => el.textContent), 'showing 0 of 6');
    } finally {
      await page.close();
    }
  });

  it('copy buttons appear with JS and copy the config lines', async () => {
    assert.ok(browser);
    const file = join(outDir, 'copy-check.html');
    await writeFile(file, renderHtml(loadResult('fpm-strips-authorization')));
    const { page, consoleErrors } = await visit(browser, file, VIEWPORTS[0]);
    try {
      const button = await page.$('#problems .fix .copy');
      assert.ok(button);
      assert.equal(await button.evaluate((el) => (el as HTMLButtonElement).hidden), false);
      await button.click();
      await page.waitForFunction(() => document.querySelector('#problems .fix .copy')?.textContent !== 'Copy');
      const label = await button.evaluate((el) => el.textContent);
      assert.ok(label === 'Copied' || label === 'Select and copy', String(label));
      assert.deepEqual(consoleErrors, []);
    } finally {
      await page.close();
    }
  });

  it('prints without the interactive controls', async () => {
    assert.ok(browser);
    const file = join(outDir, 'print-check.html');
    await writeFile(file, renderHtml(loadResult('plugin-confirmed')));
    const { page } = await visit(browser, file, VIEWPORTS[0]);
    try {
      await page.emulateMediaType('print');
      const hidden = await page.$eval('#probe-filter', (el) => getComputedStyle(el).display);
      assert.equal(hidden, 'none');
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10_000);
      await page.screenshot({ path: join(SHOTS, 'plugin-confirmed-print.png') as `${string}.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });
});
