// Regenerates docs/report.png, the report screenshot in the README, from a
// real scan of a test-bed site (never a pasted image), and records how it was
// made in docs/report.png.json (scenario, wp401 version, the PNG's SHA-256),
// which a unit test checks against the image.
//
//   npm run build && npm run testbed -- up && npx tsx scripts/report-screenshot.ts [scenario]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { REPO } from '../fixtures/testbed/paths.js';
import { info } from '../fixtures/testbed/testbed.js';
import { chromeArgs } from '../src/browser/launch.js';

const name = process.argv[2] ?? 'fpm-strips-authorization';
const s = info().scenarios.find((x) => x.name === name);
if (!s?.adminPassword) throw new Error(`no built test-bed scenario "${name}": run npm run testbed -- up`);

const work = mkdtempSync(join(tmpdir(), 'wp401-shot-'));
try {
  const out = join(work, 'report');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
  if (s.bridgeKey) env.WP401_BRIDGE_KEY = s.bridgeKey;
  if (s.httpUser) Object.assign(env, { WP401_HTTP_USER: s.httpUser, WP401_HTTP_PASSWORD: s.httpPassword ?? '' });
  const args = [join(REPO, 'dist', 'src', 'cli', 'main.js'), 'scan', s.url, '--user', s.adminUser, '--no-browser', '--quiet', '--format', 'html,json', '--out', out];
  if (s.bridgeKey) args.push('--isolate');
  try {
    execFileSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (err) {
    // Exit 1 means "problems found": what a screenshot of a broken site should show.
    if ((err as { status?: number }).status !== 1) throw err;
  }
  const result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as { tool: { version: string }; verdict: { status: string } };
  const browser = await puppeteer.launch({ executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium', headless: true, args: chromeArgs({ blockOtherHosts: true }) });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 860, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(join(out, 'index.html')).toString(), { waitUntil: 'load' });
    const png = await page.screenshot({ type: 'png' });
    const target = join(REPO, 'docs', 'report.png');
    writeFileSync(target, png);
    const meta = {
      madeBy: 'scripts/report-screenshot.ts',
      scenario: name,
      command: `wp401 scan <${name} URL> --user ${s.adminUser} --no-browser${s.bridgeKey ? ' --isolate' : ''}`,
      wp401: result.tool.version,
      verdict: result.verdict.status,
      viewport: '1100x860',
      sha256: createHash('sha256').update(png).digest('hex'),
    };
    writeFileSync(join(REPO, 'docs', 'report.png.json'), `${JSON.stringify(meta, null, 2)}\n`);
    process.stdout.write(`${target}\n`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
