import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { BridgeZipError, buildBridgeZip, excludedFromZip, findBridgeSource } from '../../../src/bridge/zip.js';

const list = (zip: string) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');

describe('buildBridgeZip (pure JavaScript)', () => {
  it('writes an installable zip with wp401-bridge/ on top and no tests; rebuilding replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp401-zip-'));
    try {
      const out = await buildBridgeZip(join(dir, 'nested', 'wp401-bridge.zip'));
      const names = list(out);
      for (const f of ['wp401-bridge.php', 'uninstall.php', 'readme.txt', 'mu-loader/wp401-troubleshoot.php', 'includes/collectors/class-wp401-collector-hooks.php', 'languages/wp401-bridge.pot', 'assets/admin.js']) {
        assert.ok(names.includes(`wp401-bridge/${f}`), f);
      }
      assert.ok(names.every((name) => name.startsWith('wp401-bridge/')));
      assert.ok(!names.some((name) => name.includes('/tests/') || name.endsWith('.dist')), names.join('\n'));
      execFileSync('unzip', ['-tq', out]);
      // The bytes inside are the plugin's bytes.
      const x = mkdtempSync(join(tmpdir(), 'wp401-unzip-'));
      execFileSync('unzip', ['-q', out, '-d', x]);
      assert.deepEqual(readFileSync(join(x, 'wp401-bridge', 'wp401-bridge.php')), readFileSync(join(findBridgeSource(), 'wp401-bridge.php')));
      rmSync(x, { recursive: true, force: true });
      const size = statSync(out).size;
      await buildBridgeZip(out);
      assert.equal(statSync(out).size, size, 'rebuilding replaces, not appends');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves out dot files, editor leftovers, PHPUnit and Composer files, node_modules — in any folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp401-zipsrc-'));
    try {
      const src = join(dir, 'wp401-bridge');
      cpSync(findBridgeSource(), src, { recursive: true });
      for (const f of ['.git/HEAD', 'includes/.DS_Store', 'includes/x.php~', 'includes/.x.php.swp', 'phpunit.xml.dist', 'composer.json', 'node_modules/a/index.js', 'includes/tests.php']) {
        mkdirSync(join(src, f, '..'), { recursive: true });
        writeFileSync(join(src, f), 'x');
      }
      const names = list(await buildBridgeZip(join(dir, 'out.zip'), src));
      const leaked = names.filter((n) => /\/\.git\/|\.DS_Store|~$|\.swp$|phpunit|composer|node_modules|\/tests\//.test(n));
      assert.deepEqual(leaked, []);
      assert.ok(names.includes('wp401-bridge/includes/tests.php'), 'a file merely named tests.php stays');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('excludedFromZip: folders and files by the documented patterns', () => {
    assert.equal(excludedFromZip('tests/'), true);
    assert.equal(excludedFromZip('tests/unit/X.php'), true);
    assert.equal(excludedFromZip('.github/'), true);
    assert.equal(excludedFromZip('includes/load.php'), false);
  });

  it('a target that cannot be written is a BridgeZipError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp401-zipro-'));
    try {
      writeFileSync(join(dir, 'file'), 'x');
      await assert.rejects(buildBridgeZip(join(dir, 'file', 'sub', 'x.zip')), (e: unknown) => e instanceof BridgeZipError && /cannot write .*x\.zip/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
