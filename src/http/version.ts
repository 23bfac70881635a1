// The tool's version, read once from the nearest wp401 package.json (works
// from src/ under tsx and from dist/ after a build).

import { readFileSync } from 'node:fs';

function findVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'wp401' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; look one folder up
    }
    dir = new URL('..', dir);
  }
  return '0.0.0';
}

export const WP401_VERSION = findVersion();
export const DEFAULT_USER_AGENT = `wp401/${WP401_VERSION} (+https://github.com/wp401)`;
