// Packs wp-plugin/wp401-bridge/ into the zip a user uploads in
// Plugins → Add New → Upload Plugin (top folder "wp401-bridge/"), without
// tests and development files. Uses the system `zip` binary.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const BRIDGE_PLUGIN_SLUG = 'wp401-bridge';

/** Paths inside the plugin folder that never go into the zip. */
export const BRIDGE_ZIP_EXCLUDES = ['tests/*', '*/.*', '.*', '*.dist', 'phpunit.xml*', 'composer.json', 'composer.lock', 'node_modules/*', '*~', '*.swp'];

/** The folder that holds wp-plugin/wp401-bridge, found from this module (works from src/ and dist/src/). */
export function findBridgeSource(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'wp-plugin', BRIDGE_PLUGIN_SLUG);
    if (existsSync(join(candidate, `${BRIDGE_PLUGIN_SLUG}.php`))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`Cannot find wp-plugin/${BRIDGE_PLUGIN_SLUG} next to the wp401 package.`);
}

/** Writes the installable zip to outFile and returns its absolute path. */
export async function buildBridgeZip(outFile: string, sourceDir: string = findBridgeSource()): Promise<string> {
  const target = resolve(outFile);
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { force: true });
  const parent = dirname(sourceDir);
  const folder = BRIDGE_PLUGIN_SLUG;
  const excludes = BRIDGE_ZIP_EXCLUDES.map((pattern) => `${folder}/${pattern}`);
  try {
    await run('zip', ['-r', '-X', '-q', target, folder, '-x', ...excludes], { cwd: parent });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(code === 'ENOENT' ? 'The `zip` program is not installed.' : `zip failed: ${(error as Error).message}`);
  }
  return target;
}
