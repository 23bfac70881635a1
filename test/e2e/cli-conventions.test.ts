// The command line as people expect it (issue 17), with the built binary as a
// child process — through a pseudo-terminal (util-linux `script`) where a TTY
// matters: --version/-v, -h/--help on every command with examples, every
// environment variable and the exit codes; usage on a bare call; exit 4 for
// runtime failures; --user without a password (hidden prompt on a TTY, a clear
// error otherwise); --json on stdout and nothing else there; --verbose
// (redacted); progress on a TTY and in CI logs; --quiet. Cost: ~30 s.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import type { ScanResult } from '../../src/model.js';
import { PROGRESS_LINE, withoutProgress } from '../support/cli.js';
import { requireTestbed, scenario } from '../support/testbed.js';

const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

function wp401(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env }, timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The CLI on a pseudo-terminal (`script -qec`): everything it writes comes back
 * on one stream; `answer` is typed once `waitFor` has appeared.
 */
function onTty(args: string[], env: Record<string, string>, opts: { waitFor?: RegExp; answer?: string } = {}): Promise<{ code: number | null; transcript: string }> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TERM: 'xterm', COLUMNS: '160', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let transcript = '';
    let answered = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      transcript += d;
      if (!answered && opts.waitFor?.test(transcript) && opts.answer !== undefined) {
        answered = true;
        child.stdin.write(`${opts.answer}\r`);
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      child.stdin.destroy();
      resolve({ code, transcript });
    });
    if (!opts.waitFor) child.stdin.end();
  });
}

describe('wp401 command-line conventions (built CLI, pipes and a pseudo-terminal)', function () {
  this.timeout(180000);
  let work: string;
  before(async () => {
    await requireTestbed();
    work = mkdtempSync(join(tmpdir(), 'wp401-conv-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('--version and -v print the version and exit 0', () => {
    for (const flag of ['--version', '-v']) {
      const r = wp401([flag]);
      assert.equal(r.code, 0, flag);
      assert.equal(r.stdout.trim(), VERSION);
      assert.equal(r.stderr, '');
    }
  });

  it('-h and --help work everywhere; the help has examples, every environment variable, where reports go and the exit codes', () => {
    for (const args of [['-h'], ['--help'], ['scan', '-h'], ['scan', '--help'], ['scan-many', '-h'], ['report', '-h'], ['bridge', '-h']]) {
      const r = wp401(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^wp401 /, args.join(' '));
    }
    const help = wp401(['--help']).stdout;
    assert.match(help, /Examples:\n\s+read -rs WP401_PASSWORD/);
    assert.match(help, /\n {2}wp401 scan https:\/\/staging\.example\.com\/ /);
    assert.match(help, /--isolate/);
    for (const v of ['WP401_PASSWORD', 'WP401_APP_PASSWORD', 'WP401_HTTP_USER', 'WP401_HTTP_PASSWORD', 'WP401_BRIDGE_KEY', 'PUPPETEER_EXECUTABLE_PATH', 'NODE_EXTRA_CA_CERTS', 'NO_COLOR']) {
      assert.ok(help.includes(v), `help names ${v}`);
    }
    assert.match(help, /Reports: \.\/wp401-report\//);
    for (const code of ['0', '1', '2', '3', '4', '130']) assert.match(help, new RegExp(`^  ${code} +\\S`, 'm'), `exit code ${code}`);
    assert.match(wp401(['scan', '--help']).stdout, /Exit codes:/, 'a command\'s help has them too');
  });

  it('a bare `wp401` prints the usage on stderr and exits 2', () => {
    const r = wp401([]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^wp401 <command> \[options\]/);
    assert.match(r.stderr, /scan <url>/);
  });

  it('runtime failures exit 4 with one line: a missing result file, a zip that cannot be written', () => {
    const missing = wp401(['report', join(work, 'nope.json'), '--out', join(work, 'r')]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr.trim(), /^wp401: .*nope\.json: cannot read it \(ENOENT\)$/);
    writeFileSync(join(work, 'file'), 'x');
    const zip = wp401(['bridge', 'zip', '--out', join(work, 'file', 'x.zip')]);
    assert.equal(zip.code, 4);
    assert.equal(zip.stderr.trim().split('\n').length, 1);
    assert.match(zip.stderr, /^wp401: cannot write /);
  });

  it('--user without any password and no terminal: exit 2 and a clear line, before any request', () => {
    const s = scenario('healthy');
    const r = wp401(['scan', s.url, '--user', s.adminUser, '--no-browser', '--out', join(work, 'nopw')]);
    assert.equal(r.code, 2);
    assert.equal(withoutProgress(r.stderr).trim(), `wp401: --user ${s.adminUser} needs a password: set WP401_PASSWORD (or WP401_APP_PASSWORD for an application password); wp401 asks for it only on a terminal`);
    assert.ok(!existsSync(join(work, 'nopw')), 'nothing written');
  });

  it('--user without a password on a terminal: a prompt, the typed password never echoed, and the login uses it', async () => {
    const s = scenario('healthy');
    const out = join(work, 'prompted');
    const r = await onTty(['scan', s.url, '--user', s.adminUser, '--no-browser', '--out', out, '--format', 'json'], {}, { waitFor: /Password for admin \(not echoed; WP401_PASSWORD is not set\): /, answer: s.adminPassword });
    assert.equal(r.code, 0, r.transcript.slice(-400));
    assert.ok(!r.transcript.includes(s.adminPassword), 'the password is not echoed');
    const result = JSON.parse(readFileSync(join(out, 'wp401.json'), 'utf8')) as ScanResult;
    const login = result.probes.find((p) => p.source === 'login' && p.method === 'POST');
    assert.ok(login, 'the login was posted');
    assert.ok(login.chain.some((h) => (h.location ?? '').includes('wp-admin')), 'and WordPress accepted it (redirect to wp-admin)');
  });

  it('--json: the result on stdout and nothing else there, the summary on stderr, no report folder; --format json --out - the same; --out - with html is refused', () => {
    const s = scenario('healthy');
    const env = { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
    for (const args of [['--json'], ['--format', 'json', '--out', '-']]) {
      const r = wp401(['scan', s.url, '--user', s.adminUser, '--no-browser', ...args], env, work);
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout) as ScanResult;
      assert.equal(result.schemaVersion, 1);
      assert.equal(result.target, s.url);
      assert.match(withoutProgress(r.stderr), /No authentication problem found/);
      assert.ok(!existsSync(join(work, 'wp401-report')) && !existsSync(join(work, '-')), 'no report folder, no folder named "-"');
      for (const secret of [s.adminPassword, s.appPassword]) assert.ok(!(r.stdout + r.stderr).includes(secret));
    }
    const bad = wp401(['scan', s.url, '--no-browser', '--format', 'html', '--out', '-'], {}, work);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--out - writes the JSON result to stdout/);
  });

  it('not a terminal (CI logs): one progress line per stage with counts and time; --verbose adds each request, secrets redacted; --quiet prints nothing on stderr', () => {
    const s = scenario('healthy');
    const env = { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword };
    const plain = wp401(['scan', s.url, '--user', s.adminUser, '--no-browser', '--out', join(work, 'plain')], env);
    assert.equal(plain.code, 0, plain.stderr);
    const lines = plain.stderr.trim().split('\n');
    assert.ok(lines.length >= 3 && lines.every((l) => PROGRESS_LINE.test(l)), plain.stderr);
    assert.match(lines[0] ?? '', /^wp401: discover · /);
    assert.match(lines.at(-1) ?? '', /^wp401: done · \d+\/300 requests · \d+\.\d s$/);
    assert.ok(!plain.stderr.includes('\r') && !plain.stderr.includes(String.fromCharCode(27)), 'no terminal control characters in a log');

    const verbose = wp401(['scan', s.url, '--user', s.adminUser, '--no-browser', '--verbose', '--out', join(work, 'verbose')], env);
    assert.equal(verbose.code, 0);
    const requests = verbose.stderr.split('\n').filter((l) => / → /.test(l));
    assert.ok(requests.length >= 20, `${requests.length} request lines`);
    assert.ok(requests.every((l) => /^wp401: (GET|POST|HEAD|OPTIONS|PUT|DELETE) http:\/\/127\.0\.0\.1:\d+\/\S* → (\d{3}|no answer) \(\d+ ms\)$/.test(l)), requests.find((l) => !/^wp401: [A-Z]+ http/.test(l)));
    assert.ok(requests.some((l) => l.includes('/wp-login.php')), 'the login request is listed');
    const basic = Buffer.from(`${s.adminUser}:${s.appPassword}`).toString('base64');
    for (const secret of [s.adminPassword, s.appPassword, basic]) assert.ok(!verbose.stderr.includes(secret), 'no secret in --verbose');

    const quiet = wp401(['scan', s.url, '--user', s.adminUser, '--no-browser', '--quiet', '--out', join(work, 'quiet')], env);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '');
  });

  it('on a terminal: one line redrawn in place with stage, done/total requests, elapsed time and the current URL', async () => {
    const s = scenario('healthy');
    const r = await onTty(['scan', s.url, '--user', s.adminUser, '--no-browser', '--out', join(work, 'tty')], { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword });
    assert.equal(r.code, 0, r.transcript.slice(-300));
    const frames = r.transcript.split('\r\x1b[2K').filter((f) => f.startsWith('wp401 › '));
    assert.ok(frames.length >= 3, `${frames.length} progress frames`);
    assert.ok(frames.some((f) => /^wp401 › [a-z-]+ · \d+\/300 requests · \d+\.\d s · (GET|POST|HEAD) http:\/\/127\.0\.0\.1:\d+\//.test(f)), frames.slice(0, 3).join(' | '));
    assert.match(r.transcript, /No authentication problem found/);
    assert.ok(!r.transcript.includes(s.adminPassword));
  });
});
