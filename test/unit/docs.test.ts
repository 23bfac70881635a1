// The user-facing documents (issue 17): the README's two set-up commands come
// first, the build step is `npm run build` (a bare `npx tsc` in a fresh clone
// fetches an unrelated package), nothing links outside the repository, every
// flag the README names exists in the CLI's help, the report screenshot is the
// one scripts/report-screenshot.ts recorded, and the LICENSE is the GPL v2 with
// the "or any later version" grant package.json declares.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'mocha';
import { REPO } from '../../fixtures/testbed/paths.js';
import { buildParser } from '../../src/cli/commands.js';

const read = (p: string) => readFileSync(join(REPO, p), 'utf8');
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Markdown outside fenced code blocks and inline code. */
function prose(md: string): string {
  return md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

async function helpText(args: string[]): Promise<string> {
  let out = '';
  await buildParser(args).parseAsync(args, {}, (_e, _a, o) => {
    out = o;
  });
  return out;
}

describe('user documentation', () => {
  it('README: the two set-up commands come first; the build step is npm run build, never npx tsc', () => {
    const readme = read('README.md');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(firstBlock, /^npm run demo\b/m);
    assert.match(firstBlock, /^npm test\b/m);
    for (const doc of DOCS) assert.doesNotMatch(read(doc), /npx tsc(?! --noEmit)/, `${doc} tells users to run npx tsc`);
    assert.match(readme, /npm ci && npm run build/);
    assert.match(readme, /npm pack/);
  });

  it('README and docs/ link only to files inside the repository, and those files exist', () => {
    for (const doc of DOCS) {
      const text = prose(read(doc));
      const targets = [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1] as string);
      targets.push(...[...text.matchAll(/<(https?:[^>]+)>/g)].map((m) => m[1] as string));
      for (const t of targets) {
        assert.ok(!/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('//'), `${doc} links outside the repository: ${t}`);
        const path = join(REPO, dirname(doc), t.split('#')[0] as string);
        assert.ok(path.startsWith(`${REPO}/`), `${doc} links above the repository: ${t}`);
        assert.ok(existsSync(path), `${doc} links to a missing file: ${t}`);
      }
      assert.doesNotMatch(text, /\bhttps?:\/\/(?!(staging|shop|blog)\.example\.(com|org)\/|127\.0\.0\.1)/, `${doc} has a bare outside URL`);
    }
  });

  it('every --flag the README names exists in the help of scan, scan-many, report or bridge', async () => {
    const help = (await Promise.all([['scan', '--help'], ['scan-many', '--help'], ['report', '--help'], ['bridge', '--help']].map(helpText))).join('\n');
    const flags = new Set([...read('README.md').matchAll(/`(--[a-z][a-z-]*)/g)].map((m) => m[1] as string));
    assert.ok(flags.size > 10);
    for (const flag of flags) {
      // Secret-looking flags are named only as what the CLI refuses (test/e2e/cli.test.ts proves the refusal).
      if (/pass|key|token|cookie|nonce/.test(flag)) continue;
      const bare = flag.replace(/^--no-/, '--');
      assert.ok(help.includes(`${bare} `) || help.includes(`${bare}\n`), `README names ${flag}, which no command has`);
    }
  });

  it('README: every WP401_* environment variable the CLI reads is documented, with the exit codes', () => {
    const readme = read('README.md');
    const used = new Set([...readdirSync(join(REPO, 'src', 'config')).flatMap((f) => [...read(`src/config/${f}`).matchAll(/'(WP401_[A-Z_]+)'/g)].map((m) => m[1] as string))]);
    assert.ok(used.size >= 5);
    for (const v of used) assert.ok(readme.includes(v), `README does not name ${v}`);
    for (const code of ['`0`', '`1`', '`2`', '`3`', '`4`', '`130`']) assert.ok(readme.includes(code), `exit code ${code}`);
  });

  it('the report screenshot is the one scripts/report-screenshot.ts made from a test-bed scan', () => {
    assert.match(read('README.md'), /!\[[^\]]+\]\(docs\/report\.png\)/);
    const meta = JSON.parse(read('docs/report.png.json')) as { madeBy: string; scenario: string; sha256: string; verdict: string };
    assert.equal(meta.madeBy, 'scripts/report-screenshot.ts');
    assert.ok(existsSync(join(REPO, 'fixtures', 'scenarios', `${meta.scenario}.json`)), 'a test-bed scenario');
    assert.equal(createHash('sha256').update(readFileSync(join(REPO, 'docs', 'report.png'))).digest('hex'), meta.sha256, 'docs/report.png is the recorded image');
  });

  it('LICENSE: GPL version 2 with "or any later version", as package.json says', () => {
    const license = read('LICENSE');
    assert.match(license, /GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991/);
    assert.match(license, /either version 2 of the License, or \(at your option\) any\s+later version/);
    assert.equal((JSON.parse(read('package.json')) as { license: string }).license, 'GPL-2.0-or-later');
  });
});
