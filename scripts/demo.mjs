#!/usr/bin/env node
// `npm run demo`: the main job on a fresh Debian/Ubuntu machine. Installs what
// is missing, brings the bundled test bed up, scans one of its broken sites
// with the browser and the companion plugin, and says where the report is.
// Pick another scenario with: npm run demo -- <scenario>
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const scenarioName = process.argv[2] ?? 'fpm-strips-authorization';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0 && !opts.allowFail) {
    process.stderr.write(`demo: ${cmd} ${args[0] ?? ''} failed\n`);
    process.exit(r.status ?? 1);
  }
  return r.status ?? 1;
}

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['ci', '--no-audit', '--no-fund']);
run('npm', ['run', 'build', '--silent']);
run('npx', ['tsx', 'fixtures/testbed/cli.ts', 'up']);

const info = spawnSync('npx', ['tsx', 'fixtures/testbed/cli.ts', 'info', '--json'], { encoding: 'utf8' });
const s = JSON.parse(info.stdout).scenarios.find((x) => x.name === scenarioName);
if (!s) {
  process.stderr.write(`demo: no scenario "${scenarioName}"\n`);
  process.exit(2);
}
if (s.notBuilt) {
  process.stderr.write(`demo: "${scenarioName}" is not built: ${s.notBuilt}\n`);
  process.exit(2);
}
const out = join(root, 'wp401-report', scenarioName);
// Secrets travel in the environment only, never in argv.
const env = {
  ...process.env,
  WP401_PASSWORD: s.adminPassword,
  WP401_APP_PASSWORD: s.appPassword,
  ...(s.bridgeKey ? { WP401_BRIDGE_KEY: s.bridgeKey } : {}),
  ...(s.httpUser ? { WP401_HTTP_USER: s.httpUser, WP401_HTTP_PASSWORD: s.httpPassword } : {}),
};
process.stdout.write(`\nScanning the test bed's "${scenarioName}" site (${s.url}): ${s.description}\n\n`);
const code = run('node', ['dist/src/cli/main.js', 'scan', s.url, '--user', s.adminUser, '--isolate', ...(s.caFile ? ['--ca', s.caFile] : ['--insecure']), '--format', 'html,json,har', '--out', out], {
  env,
  allowFail: true,
});
process.stdout.write(`\nOpen the report: file://${join(out, 'index.html')}\n`);
process.exit(code === 1 || code === 0 ? 0 : code);
