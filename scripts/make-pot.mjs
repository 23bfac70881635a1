#!/usr/bin/env node
// Writes wp-plugin/wp401-bridge/languages/wp401-bridge.pot from the plugin's
// PHP files with GNU xgettext (Debian package "gettext"), using WordPress's
// translation functions as keywords and keeping /* translators: */ comments.
// `node scripts/make-pot.mjs --check` exits 1 when the committed file is stale.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const PLUGIN = join(ROOT, 'wp-plugin', 'wp401-bridge');
const POT = join(PLUGIN, 'languages', 'wp401-bridge.pot');
const KEYWORDS = ['__', '_e', 'esc_html__', 'esc_html_e', 'esc_attr__', 'esc_attr_e', '_x:1,2c', '_ex:1,2c', 'esc_html_x:1,2c', 'esc_attr_x:1,2c', '_n:1,2', '_nx:1,2,4c', '_n_noop:1,2'];

function phpFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'tests' ? [] : phpFiles(p);
    return e.name.endsWith('.php') ? [relative(PLUGIN, p)] : [];
  });
}

/** The .pot text for the plugin as it is now. */
export function buildPot() {
  const version = /^\s*\*\s*Version:\s*(\S+)/m.exec(readFileSync(join(PLUGIN, 'wp401-bridge.php'), 'utf8'))?.[1] ?? '0.0.0';
  const out = execFileSync(
    'xgettext',
    [
      '--language=PHP',
      '--from-code=UTF-8',
      '--add-comments=translators:',
      '--sort-output',
      '--no-location',
      '--no-wrap',
      '--package-name=wp401 Bridge',
      `--package-version=${version}`,
      '--omit-header',
      '-o',
      '-',
      ...KEYWORDS.map((k) => `--keyword=${k}`),
      ...phpFiles(PLUGIN).sort(),
    ],
    { cwd: PLUGIN, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const header = [
    '# Copyright (C) wp401 contributors',
    '# This file is distributed under the same license as the wp401 Bridge plugin (GPL-2.0-or-later).',
    'msgid ""',
    'msgstr ""',
    `"Project-Id-Version: wp401 Bridge ${version}\\n"`,
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"X-Domain: wp401-bridge\\n"',
    '',
  ].join('\n');
  return `${header}\n${out}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pot = buildPot();
  if (process.argv.includes('--check')) {
    const current = readFileSync(POT, 'utf8');
    if (current !== pot) {
      process.stderr.write(`${relative(ROOT, POT)} is out of date: run node scripts/make-pot.mjs\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(POT, pot);
    process.stdout.write(`${relative(ROOT, POT)}\n`);
  }
}
