// Packs wp-plugin/wp401-bridge/ into the zip a user uploads in
// Plugins → Add New → Upload Plugin (top folder "wp401-bridge/"), without
// tests and development files.
//
// Pure JavaScript (fflate: no dependencies, no native code, maintained and
// very widely used), so `wp401 bridge zip` works where there is no system
// `zip` program: Windows, slim containers, CI images.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Zippable, zipSync } from 'fflate';

export const BRIDGE_PLUGIN_SLUG = 'wp401-bridge';

/** Paths inside the plugin folder that never go into the zip (shell-style: `*` within one segment, a trailing `/*` for a whole folder). */
export const BRIDGE_ZIP_EXCLUDES = ['tests/*', '*/.*', '.*', '*.dist', 'phpunit.xml*', 'composer.json', 'composer.lock', 'node_modules/*', '*~', '*.swp'];

/** A file that cannot be read or written while packing: a runtime failure, not a usage error. */
export class BridgeZipError extends Error {
  override readonly name = 'BridgeZipError';
}

function patternToRegExp(pattern: string): RegExp {
  const folder = pattern.endsWith('/*');
  const body = (folder ? pattern.slice(0, -2) : pattern)
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  // A pattern without a slash matches a name in any folder, like zip -x with a leading */.
  const anywhere = !pattern.includes('/') || pattern.startsWith('*/');
  const core = pattern.startsWith('*/') ? body.slice('[^/]*/'.length) : body;
  return new RegExp(`${anywhere ? '(^|/)' : '^'}${core}${folder ? '/' : '$'}`);
}

const EXCLUDED = BRIDGE_ZIP_EXCLUDES.map(patternToRegExp);

/** True when a path relative to the plugin folder (with /; a folder ends in /) stays out of the zip. */
export function excludedFromZip(path: string): boolean {
  const bare = path.endsWith('/') ? path.slice(0, -1) : path;
  return EXCLUDED.some((re) => re.test(path) || re.test(bare));
}

/** The folder that holds wp-plugin/wp401-bridge, found from this module (works from src/ and dist/src/). */
export function findBridgeSource(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'wp-plugin', BRIDGE_PLUGIN_SLUG);
    if (existsSync(join(candidate, `${BRIDGE_PLUGIN_SLUG}.php`))) return candidate;
    dir = dirname(dir);
  }
  throw new BridgeZipError(`Cannot find wp-plugin/${BRIDGE_PLUGIN_SLUG} next to the wp401 package.`);
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split(sep).join('/');
    if (entry.isDirectory()) {
      if (!excludedFromZip(`${rel}/`)) out.push(...(await listFiles(root, full)));
    } else if (entry.isFile() && !excludedFromZip(rel)) {
      out.push(rel);
    }
  }
  return out.sort();
}

/** Writes the installable zip to outFile and returns its absolute path. */
export async function buildBridgeZip(outFile: string, sourceDir: string = findBridgeSource()): Promise<string> {
  const target = resolve(outFile);
  try {
    const files: Zippable = {};
    for (const rel of await listFiles(sourceDir)) {
      const full = join(sourceDir, rel);
      const [data, info] = await Promise.all([readFile(full), stat(full)]);
      files[posix.join(BRIDGE_PLUGIN_SLUG, rel)] = [new Uint8Array(data), { mtime: info.mtime }];
    }
    const zip = zipSync(files, { level: 9 });
    await mkdir(dirname(target), { recursive: true });
    // Written beside the target and renamed, so a failure never leaves half a zip under the real name.
    const partial = `${target}.partial-${process.pid}`;
    await writeFile(partial, zip);
    await rename(partial, target).catch(async (e: unknown) => {
      await rm(partial, { force: true });
      throw e;
    });
  } catch (error) {
    if (error instanceof BridgeZipError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new BridgeZipError(`cannot write ${target}: ${e.code ? `${e.code} ` : ''}${e.message}`);
  }
  return target;
}
