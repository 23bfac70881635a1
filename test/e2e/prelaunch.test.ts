// The built CLI starts Chromium while its modules load (src/cli/main.ts,
// prelaunchPlan): the scan takes that Chromium, and every way the run ends
// early (not WordPress, a usage error) closes it with its profile. Each run
// gets its own TMPDIR, where Chromium's profiles are made, so what it leaves
// is told apart from any other test's browser.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import { NOT_WORDPRESS_PORT } from '../../fixtures/testbed/scenarios.js';
import { processesUsing } from '../support/browser-leftovers.js';
import { requireTestbed, scenario } from '../support/testbed.js';

const CLI = process.env.WP401_CLI ?? join(REPO, 'dist', 'src', 'cli', 'main.js');

interface Run {
  code: number | null;
  stderr: string;
  /** Chromium profile folders made during the run */
  profiles: string[];
  tmp: string;
}

function wp401(args: string[], env: Record<string, string>): Promise<Run> {
  const tmp = mkdtempSync(join(tmpdir(), 'wp401-prelaunch-'));
  const profiles = new Set<string>();
  const watcher = watch(tmp, (_event, name) => {
    if (name?.startsWith('wp401-chrome-')) profiles.add(name);
  });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TMPDIR: tmp, ...env }, timeout: 120000 },
      (err, _stdout, stderr) => {
        // let the watcher deliver what it saw
        setTimeout(() => {
          watcher.close();
          const code = err ? ((err as { code?: number }).code ?? null) : 0;
          resolve({ code: typeof code === 'number' ? code : null, stderr, profiles: [...profiles], tmp });
        }, 200);
      },
    );
  });
}

const profilesIn = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('wp401-chrome-'));

async function assertNothingLeft(run: Run): Promise<void> {
  // exited children may linger a moment; the folder itself is the test's
  const end = Date.now() + 5000;
  while ((processesUsing(run.tmp).length > 0 || profilesIn(run.tmp).length > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(processesUsing(run.tmp), [], 'no Chromium left running');
  assert.deepEqual(profilesIn(run.tmp), [], 'no profile folder left');
  rmSync(run.tmp, { recursive: true, force: true });
}

describe('wp401 scan with the browser: the Chromium started while the CLI loads (built CLI)', function () {
  this.timeout(180000);
  let out: string;
  before(async () => {
    await requireTestbed();
    out = mkdtempSync(join(tmpdir(), 'wp401-prelaunch-out-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  // With the usage error below (started before the options are read), one profile here means the scan took that Chromium.
  it('a browser scan of the healthy site uses one Chromium, the one started first, and leaves none', async () => {
    const s = scenario('healthy');
    const run = await wp401(['scan', s.url, '--user', s.adminUser, '--format', 'json', '--out', out, '--quiet'], { WP401_PASSWORD: s.adminPassword });
    assert.equal(run.code, 0, run.stderr.slice(0, 400));
    assert.equal(run.profiles.length, 1, `one Chromium profile for the whole run: ${run.profiles.join(', ')}`);
    await assertNothingLeft(run);
  });

  it('a target that is not WordPress: exit 3, and the Chromium started for it is closed with its profile', async () => {
    const run = await wp401(['scan', `http://127.0.0.1:${NOT_WORDPRESS_PORT}/`, '--user', 'admin', '--out', out], { WP401_PASSWORD: 'not-used-here' });
    assert.equal(run.code, 3, run.stderr.slice(0, 400));
    assert.ok(run.profiles.length >= 1, 'Chromium was started before the scan knew');
    await assertNothingLeft(run);
  });

  it('a usage error after the start (an unknown option): exit 2, no Chromium and no profile left', async () => {
    const run = await wp401(['scan', 'http://127.0.0.1:9/', '--user', 'admin', '--bogus', '--out', out], { WP401_PASSWORD: 'not-used-here' });
    assert.equal(run.code, 2, run.stderr.slice(0, 400));
    // the command line is parsed after Chromium was started: no scan would have started one
    assert.equal(run.profiles.length, 1, 'the prelaunched Chromium, started before the options were read');
    await assertNothingLeft(run);
  });
});
