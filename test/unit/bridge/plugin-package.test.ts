// What ships to users with the companion plugin (issue 17): the Site Health
// tests give the scanner's own fix texts word for word, the .pot holds every
// translatable string, the readme claims the newest WordPress the test bed
// runs, and the npm package carries no tests or orphan source maps.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { REPO } from '../../../fixtures/testbed/paths.js';
import { SCENARIOS } from '../../../fixtures/testbed/scenarios.js';

const PLUGIN = join(REPO, 'wp-plugin', 'wp401-bridge');

/** The rules' source with JavaScript string escapes undone, so PHP text can be looked up in it. */
function rulesText(): string {
  const dir = join(REPO, 'src', 'rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n')
    .replace(/\\'/g, "'")
    .replace(/\\"/g, '"')
    .replace(/\\`/g, '`');
}

describe('companion plugin package', () => {
  it('every Site Health fix text is the scanner rules\' text, word for word (sprintf holes are template holes there)', () => {
    const fixes = JSON.parse(
      execFileSync('php', ['-r', `define('ABSPATH', '/'); require ${JSON.stringify(join(PLUGIN, 'includes', 'class-wp401-site-health.php'))}; echo json_encode(WP401_Site_Health::FIXES);`], { encoding: 'utf8' }),
    ) as Record<string, string>;
    assert.ok(Object.keys(fixes).length >= 15, 'the fix table is there');
    const rules = rulesText();
    for (const [id, text] of Object.entries(fixes)) {
      for (const part of text.split('%s')) {
        if (part.length < 4) continue;
        assert.ok(rules.includes(part), `fix "${id}" differs from the scanner's rules: ${JSON.stringify(part)}`);
      }
    }
  });

  it('the .pot is current (node scripts/make-pot.mjs) and holds the onboarding and Site Health strings', () => {
    execFileSync('node', [join(REPO, 'scripts', 'make-pot.mjs'), '--check'], { encoding: 'utf8' });
    const pot = readFileSync(join(PLUGIN, 'languages', 'wp401-bridge.pot'), 'utf8');
    for (const s of ['The Authorization header reaches PHP', 'Application passwords are available', 'The REST API answers logged-in requests', 'Settings', 'Copy', 'Show']) {
      assert.ok(pot.includes(`msgid "${s}"`), s);
    }
    assert.match(pot, /#\. translators: %s: link to the Tools → wp401 page\./);
  });

  it('readme.txt says "Tested up to" the newest released WordPress the test bed runs', () => {
    // A pre-release core (the 6.7-alpha nightly) is tested too, but "Tested up to" names releases.
    const newest = SCENARIOS.map((s) => s.core)
      .filter((v) => !v.includes('-'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .at(-1);
    const readme = readFileSync(join(PLUGIN, 'readme.txt'), 'utf8');
    assert.equal(/^Tested up to: (\S+)$/m.exec(readme)?.[1], newest);
    assert.doesNotMatch(readme, /npx wp401/, 'wp401 is not published on npm; npx would fetch someone else\'s package');
  });

  it('the npm package ships the built code, the plugin without its tests, the schema — no tests, no source maps', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    assert.ok(files.includes('wp-plugin/wp401-bridge/wp401-bridge.php'));
    assert.ok(files.includes('wp-plugin/wp401-bridge/languages/wp401-bridge.pot'));
    assert.ok(files.includes('schema/wp401.schema.json'));
    const bad = files.filter((f) => f.includes('/tests/') || f.endsWith('.map') || f.startsWith('dist/test') || f.startsWith('test/') || f.startsWith('fixtures/'));
    assert.deepEqual(bad, []);
  });
});
