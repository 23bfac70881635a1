// Runs the built CLI as a child process, the way a user does, and reads back
// the wp401.json it wrote. Secrets travel in the environment only.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import type { ScanResult } from '../../src/model.js';
import { scenario } from './testbed.js';

export const CLI = process.env.WP401_CLI ?? join(REPO, 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  result: ScanResult | null;
  ms: number;
}

/** `wp401 scan <url> --no-browser --format json` into a temporary folder, removed afterwards. */
export function runScan(url: string, env: Record<string, string>, extra: string[] = [], timeoutMs = 120_000): Promise<CliRun> {
  const out = mkdtempSync(join(tmpdir(), 'wp401-it-'));
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'scan', url, '--no-browser', '--format', 'json', '--out', out, ...extra],
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (err, stdout, stderr) => {
        let result: ScanResult | null = null;
        try {
          result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as ScanResult;
        } catch {
          result = null;
        }
        rmSync(out, { recursive: true, force: true });
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr, result, ms: Date.now() - started });
      },
    );
  });
}

/** A scenario's credentials as the WP401_* environment, and the --user flag. */
export function scenarioEnv(name: string, opts: { bridge?: boolean } = {}): { env: Record<string, string>; args: string[] } {
  const s = scenario(name);
  const env: Record<string, string> = { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
  if (opts.bridge) {
    if (!s.bridgeKey) throw new Error(`${name}: the test bed reports no bridge key`);
    env.WP401_BRIDGE_KEY = s.bridgeKey;
  }
  if (s.httpUser) {
    env.WP401_HTTP_USER = s.httpUser;
    env.WP401_HTTP_PASSWORD = s.httpPassword ?? '';
  }
  // https scenarios carry a certificate from the test bed's CA: trusted the way a user with an internal CA would.
  const tls = s.caFile ? ['--ca', s.caFile] : [];
  return { env, args: ['--user', s.scanUser, ...tls] };
}

/** A progress line the CLI prints on stderr when it is not a terminal (one per stage, and a closing one). */
export const PROGRESS_LINE = /^wp401: [a-z-]+ · \d+(\/\d+)? requests · \d+\.\d s$/;

/** stderr without the progress lines: what is left are messages (errors, warnings). */
export function withoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !PROGRESS_LINE.test(l))
    .join('\n');
}
