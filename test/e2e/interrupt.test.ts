// Interrupts (issue 8, point 6): Ctrl-C (SIGINT) to a running scan, the
// built CLI as a child process with the browser on. Sent once Chromium is
// up (its profile folder has appeared in the scan's own TMPDIR), and once
// early, during the HTTP probes. Each time: the process exits promptly, a
// partial report is written and marked incomplete ("incomplete": true in
// wp401.json), no Chromium with the scan's profile is left running, and the
// scan's temp folders are gone.
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model.js';
import { processesUsing } from '../support/browser-leftovers.js';
import { type CliRun, looksLikeCrash, runCli } from '../support/hardening.js';
import { requireTestbed, scenario } from '../support/testbed.js';

/** From SIGINT to exit: closing the browser and writing the report may take this long, no more. */
const PROMPT_MS = 15000;

interface Interrupted {
  run: CliRun;
  sentAt: number;
  /** what the TMPDIR held when SIGINT was sent */
  tmpAtSignal: string[];
  profile: string | null;
}

/** Starts a browser scan of `healthy`, sends SIGINT when `when` says so, waits for the exit. */
async function interruptScan(out: string, when: 'browser-up' | 'early'): Promise<Interrupted> {
  const s = scenario('healthy');
  const tmp = mkdtempSync(join(tmpdir(), 'wp401-hardening-tmp-'));
  let sentAt = 0;
  let tmpAtSignal: string[] = [];
  let profile: string | null = null;
  let poll: NodeJS.Timeout | undefined;
  const run = await runCli(['scan', s.url, '--user', s.adminUser, '--timeout', '20', '--format', 'html,json', '--out', out], {
    env: { WP401_PASSWORD: s.adminPassword, WP401_APP_PASSWORD: s.appPassword },
    tmp,
    killAfterMs: 150000,
    onSpawn: (child: ChildProcess) => {
      const started = Date.now();
      const send = () => {
        tmpAtSignal = readdirSync(tmp);
        sentAt = Date.now();
        child.kill('SIGINT');
      };
      poll = setInterval(() => {
        if (sentAt) return;
        if (when === 'early' && Date.now() - started > 1500) send();
        if (when === 'browser-up') {
          const dir = readdirSync(tmp).find((n) => n.startsWith('wp401-chrome-'));
          // Give Chromium a moment to be mid-login, not merely launching.
          if (dir && !profile) {
            profile = join(tmp, dir);
            setTimeout(send, 1500);
          }
        }
      }, 100);
    },
  });
  clearInterval(poll);
  return { run, sentAt, tmpAtSignal, profile };
}

function checkInterrupted(r: Interrupted, out: string): void {
  assert.ok(r.sentAt > 0, `SIGINT was sent (the scan ended on its own after ${r.run.wallMs} ms first: exit ${r.run.code})`);
  const exitMs = r.run.endedAt - r.sentAt;
  assert.ok(exitMs < PROMPT_MS, `exited ${exitMs} ms after SIGINT (bound ${PROMPT_MS} ms)`);
  assert.equal(r.run.signal, null, 'not killed: it exited by itself');
  assert.ok(!looksLikeCrash(r.run.stderr), 'no stack trace');
  assert.ok(r.run.code === 130 || r.run.code === 1 || r.run.code === 0, `exit code ${r.run.code}`);
  const file = join(out, 'wp401.json');
  assert.ok(existsSync(file), 'a partial wp401.json was written');
  const result = JSON.parse(readFileSync(file, 'utf8')) as ScanResult;
  assert.equal(result.incomplete, true, 'marked "incomplete": true');
  assert.ok(existsSync(join(out, 'index.html')), 'the HTML report was written too');
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /interrupt|incomplete|partial/i, 'the HTML says it is partial');
}

describe('interrupts: Ctrl-C writes a partial report, closes the browser, removes temp files', function () {
  this.timeout(200000);
  const out = mkdtempSync(join(tmpdir(), 'wp401-interrupt-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  before(requireTestbed);

  for (const when of ['browser-up', 'early'] as const) {
    it(`SIGINT ${when === 'browser-up' ? 'while Chromium is logging in' : 'during the first HTTP probes'}: prompt exit, partial report, nothing left behind`, async function () {
      this.timeout(180000);
      const dir = join(out, when);
      const r = await interruptScan(dir, when);
      if (when === 'browser-up') assert.ok(r.profile, `Chromium started (its profile appeared) before the scan ended (exit ${r.run.code} after ${r.run.wallMs} ms)`);
      checkInterrupted(r, dir);
      // Leftovers: no Chromium on the profile, no temp folder of the scan.
      const procs = r.profile ? processesUsing(r.profile) : processesUsing(r.run.tmp);
      assert.deepEqual(procs.map((p) => p.replace(/\s+--.*$/, ' …')), [], 'no process with the scan\'s profile is left running');
      const left = existsSync(r.run.tmp) ? readdirSync(r.run.tmp) : [];
      rmSync(r.run.tmp, { recursive: true, force: true });
      assert.deepEqual(left, [], `the scan's temp folders are removed (it held ${r.tmpAtSignal.length} entries at SIGINT)`);
    });
  }
});
