// The real CLI (child process, no browser) against every scenario built on
// real public plugins, black-box and with the companion plugin's key. What a
// correct scan reports comes from fixtures/scenarios/<name>.json (verdict,
// layer, culprit, least confidence); nothing here is tuned to today's output.
// Where today's wp401 is wrong the case is listed in
// fixtures/scenarios/KNOWN-GAPS.md and reported as skipped ("known gap: <id>");
// a listed gap that no longer reproduces fails, so the list stays true.
// A scenario whose plugins are missing from the local plugin mirror is skipped
// with that reason.
import { strict as assert } from 'node:assert';
import { SCENARIOS } from '../../fixtures/testbed/scenarios.js';
import { CONFIDENCES, type Finding, type ScanResult } from '../../src/model.js';
import { runScan, scenarioEnv } from '../support/cli.js';
import { expectOrKnownGap, gapTitle, knownGap, knownGaps, type ScanMode } from '../support/known-gaps.js';
import { notBuilt, prepareScenario, requireTestbed, resetScenario, scenario, scenarioFile, skipWith } from '../support/testbed.js';

const REAL_SCENARIOS = SCENARIOS.filter((s) => s.realPlugins?.length).map((s) => s.name);

/** Stronger is a smaller index in CONFIDENCES (confirmed, likely, possible). */
const atLeast = (got: string, want: string) => CONFIDENCES.indexOf(got as never) <= CONFIDENCES.indexOf(want as never);

/** What differs from a correct scan, one line each; empty when the scan is right. */
function mismatches(name: string, mode: ScanMode, code: number, result: ScanResult | null, stderr: string): string[] {
  if (!result) return [`no wp401.json (exit ${code}): ${stderr.slice(0, 300)}`];
  const errors = result.findings.filter((f) => f.severity === 'error');
  const shown = (fs: Finding[]) => JSON.stringify(fs.map((f) => [f.id, f.layer, f.culprit?.kind, f.culprit?.name, f.confidence]));
  const want = scenarioFile(name).expect;
  const out: string[] = [];
  if (want.verdict === 'ok') {
    if (errors.length) out.push(`a healthy site, yet errors: ${shown(errors)}`);
    if (code !== 0) out.push(`exit ${code}, not 0`);
    return out;
  }
  if (code !== 1) out.push(`exit ${code}, not 1 (problems found)`);
  for (const w of want.errors) {
    const layer = mode === 'black-box' ? (w.layerBlackBox ?? w.layer) : w.layer;
    const confidence = mode === 'black-box' ? (w.confidenceBlackBox ?? w.confidence) : w.confidence;
    // Black-box, a plugin can be told apart from core but not always named.
    const nameNeeded = !(mode === 'black-box' && w.culprit?.kind === 'plugin');
    const match = errors.find(
      (f) => f.layer === layer && f.culprit?.kind === w.culprit?.kind && (!nameNeeded || f.culprit?.name === w.culprit?.name || (w.culprits ?? []).includes(f.culprit?.name ?? '')),
    );
    if (!match) out.push(`no error with layer ${layer} and culprit ${JSON.stringify(w.culprit)}; errors: ${shown(errors)}`);
    else if (confidence && !atLeast(match.confidence, confidence)) out.push(`${match.id}: confidence ${match.confidence}, a correct scan claims at least ${confidence}`);
  }
  return out;
}

describe('wp401 scan --no-browser on the real-plugin scenarios (black-box and with the companion plugin)', function () {
  this.timeout(240_000);
  before(requireTestbed);

  it('every known gap names a scenario of the test bed, once per mode', () => {
    const gaps = knownGaps();
    for (const g of gaps) assert.ok(SCENARIOS.some((s) => s.name === g.scenario), `${g.id}: unknown scenario ${g.scenario}`);
    assert.equal(new Set(gaps.map((g) => `${g.scenario} ${g.mode}`)).size, gaps.length, 'one gap per scenario and mode');
    assert.equal(new Set(gaps.map((g) => g.id)).size, gaps.length, 'unique ids');
  });

  for (const name of REAL_SCENARIOS) {
    for (const mode of ['black-box', 'bridge'] as const) {
      const gap = knownGap(name, mode);
      it(`${name} (${mode}): verdict, layer, culprit and confidence of a correct scan${gapTitle(gap)}`, async function () {
        const missing = notBuilt(name);
        if (missing) skipWith(this, missing);
        const file = scenarioFile(name);
        if (file.prepare) {
          await resetScenario(name);
          await prepareScenario(name);
        }
        let run: Awaited<ReturnType<typeof runScan>>;
        try {
          const { env, args } = scenarioEnv(name, { bridge: mode === 'bridge' });
          run = await runScan(scenario(name).url, env, args, 200_000);
        } finally {
          if (file.prepare) await resetScenario(name);
        }
        if (run.result) {
          const posts = run.result.probes.filter((p) => p.method === 'POST').length;
          assert.ok(posts <= 1, `at most one login attempt (saw ${posts})`);
        }
        const wrong = mismatches(name, mode, run.code, run.result, run.stderr);
        expectOrKnownGap(this, gap, () => assert.deepEqual(wrong, [], `${name} (${mode})`));
      });
    }
  }
});
