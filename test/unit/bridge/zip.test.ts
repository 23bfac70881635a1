import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { buildBridgeZip } from '../../../src/bridge/zip.js';

describe('buildBridgeZip', () => {
  it('writes an installable zip with wp401-bridge/ on top and no tests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp401-zip-'));
    try {
      const out = await buildBridgeZip(join(dir, 'nested', 'wp401-bridge.zip'));
      const list = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).trim().split('\n');
      assert.ok(list.includes('wp401-bridge/wp401-bridge.php'));
      assert.ok(list.includes('wp401-bridge/uninstall.php'));
      assert.ok(list.includes('wp401-bridge/readme.txt'));
      assert.ok(list.includes('wp401-bridge/mu-loader/wp401-troubleshoot.php'));
      assert.ok(list.includes('wp401-bridge/includes/collectors/class-wp401-collector-hooks.php'));
      assert.ok(list.every((name) => name.startsWith('wp401-bridge/')));
      assert.ok(!list.some((name) => name.includes('/tests/') || name.endsWith('.dist')), list.join('\n'));
      // Rebuilding replaces, not appends.
      await buildBridgeZip(out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
