// The local plugin mirror: where each real plugin comes from (mirror /
// network / missing) and filling it from a clone of the plugin's source
// repository at the named commit. A throw-away git repository stands in for
// the real one; no plugin code is involved.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerVersion, importFromGit, pluginState, REAL_PLUGINS, type RealPlugin } from '../../../fixtures/testbed/real-plugins.js';
import { SCENARIOS } from '../../../fixtures/testbed/scenarios.js';

describe('test bed: the real-plugin mirror', () => {
  let dir: string;
  const git = (repo: string, ...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { encoding: 'utf8' }).trim();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wp401-mirror-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const plugin = (over: Partial<RealPlugin> = {}): RealPlugin => ({
    slug: 'demo-guard',
    version: '1.2.3',
    source: 'example/demo-guard',
    commit: '',
    treePath: 'demo-guard/',
    mainFile: 'demo-guard.php',
    license: 'GPL-2.0-or-later',
    ...over,
  });

  it('every real plugin has a pinned commit and a scenario; every real-plugin scenario names known plugins', () => {
    for (const p of REAL_PLUGINS) {
      assert.match(p.commit, /^[0-9a-f]{40}$/, `${p.slug} commit`);
      assert.ok(SCENARIOS.some((s) => s.name === `real-${p.slug}`), `real-${p.slug}`);
    }
    for (const s of SCENARIOS.filter((x) => x.realPlugins)) {
      for (const slug of s.realPlugins ?? []) assert.ok(REAL_PLUGINS.some((p) => p.slug === slug), `${s.name}: ${slug}`);
      assert.ok(s.tls, `${s.name} is served over https`);
    }
  });

  it('missing, wrong version, then from a source repository at the named commit (the plugin folder only)', () => {
    const mirror = join(dir, 'mirror');
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'demo-guard'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'README.md'), 'not part of the plugin\n');
    writeFileSync(join(repo, 'demo-guard', 'demo-guard.php'), '<?php\n/**\n * Plugin Name: Demo Guard\n * Version: 1.2.3\n */\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'release 1.2.3');
    const release = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'demo-guard', 'demo-guard.php'), '<?php\n/**\n * Plugin Name: Demo Guard\n * Version: 2.0.0\n */\n');
    git(repo, 'commit', '-q', '-am', 'release 2.0.0');

    const p = plugin({ commit: release });
    const missing = pluginState(p, mirror);
    assert.equal(missing.from, 'missing');
    assert.match(missing.reason ?? '', /demo-guard 1\.2\.3 is not in the plugin mirror/);

    mkdirSync(join(mirror, 'demo-guard'), { recursive: true });
    writeFileSync(join(mirror, 'demo-guard', 'demo-guard.php'), '<?php\n/* Version: 0.9 */\n');
    assert.match(pluginState(p, mirror).reason ?? '', /holds demo-guard 0\.9, not 1\.2\.3/);

    const st = importFromGit(p, join(repo, '.git'), mirror);
    assert.equal(st.from, 'mirror');
    assert.equal(headerVersion(join(mirror, 'demo-guard', 'demo-guard.php')), '1.2.3', 'the tree of the named commit, not the newest');
    assert.deepEqual(readdirSync(join(mirror, 'demo-guard')), ['demo-guard.php'], 'the plugin folder only');
    assert.ok(!existsSync(join(mirror, 'demo-guard', '.provenance')), 'nothing added inside the plugin');
  });

  it('a plugin at the root of its repository', () => {
    const mirror = join(dir, 'mirror2');
    const repo = join(dir, 'root-repo');
    mkdirSync(repo, { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'root-guard.php'), '<?php\n/*\nVersion: 4.5\n*/\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'r');
    const p = plugin({ slug: 'root-guard', version: '4.5', mainFile: 'root-guard.php', treePath: '', commit: git(repo, 'rev-parse', 'HEAD') });
    assert.equal(importFromGit(p, join(repo, '.git'), mirror).from, 'mirror');
    assert.ok(existsSync(join(mirror, 'root-guard', 'root-guard.php')));
  });
});
