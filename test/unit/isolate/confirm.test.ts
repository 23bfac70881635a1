// Judging isolation experiments into findings (src/rules/isolation/confirm.ts):
// a single culprit, a pair that fails only together, and independent culprits
// (each sufficient alone) are told apart; each independent culprit gets its
// own finding; every sentence about a replay is generated from that replay's
// recorded answer and cites it. Random sites (fast-check), no network.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { failureOf, judgeExperiment } from '../../../src/facts/experiment.js';
import { type Oracle, searchCulprits } from '../../../src/isolate/search.js';
import type { Experiment, Finding, Probe } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { applyIsolation } from '../../../src/rules/isolation/confirm.js';
import { culpritParts, marksFor } from '../../support/culprit-evidence.js';

const slug = (b: string) => b.split('/')[0] as string;

interface Site {
  all: string[];
  groups: string[][];
}

/** The code a site answers with: the first group (in load order) whose plugins are all on refuses, with its own code. */
function answer(site: Site, off: readonly string[]): { status: number; errorCode?: string } {
  const g = site.groups.find((x) => x.every((p) => !off.includes(p)));
  return g ? { status: 401, errorCode: `${g.map(slug).join('_')}_refuses` } : { status: 200 };
}

async function judged(site: Site): Promise<{ findings: Finding[]; exps: Experiment[]; probe: Probe }> {
  const first = answer(site, []);
  const probe: Probe = {
    id: 'p002', source: 'core', method: 'GET', url: 'http://127.0.0.1:1/wp-json/', auth: 'none', requestHeaders: {}, chain: [], status: first.status, finalUrl: '', headers: {},
    body: { bytes: 10, truncated: false, restError: { code: first.errorCode as string, message: 'no' } }, startedAt: '', durationMs: 1,
  };
  const exps: Experiment[] = [];
  const oracle: Oracle = async (off) => {
    const a = answer(site, off);
    const exp: Experiment = { id: `e${String(exps.length + 1).padStart(3, '0')}`, probe: 'p002', pluginsOff: [...off], ...a, droppedReported: [...off].sort() };
    exps.push(exp);
    return judgeExperiment(failureOf(probe), exp);
  };
  await searchCulprits(site.all, oracle);
  const obs = {
    probes: [probe],
    experiments: exps,
    bridge: { status: 'ok', environment: { plugins: site.all.map((b) => ({ basename: b, slug: slug(b), name: `Plugin ${slug(b)}`, hooks: [] })) }, ledger: {} },
  } as unknown as Observations;
  const base: Finding = { id: 'plugin.rest.blocked-for-anonymous', severity: 'error', layer: 'plugin', culprit: { kind: 'plugin', name: 'unknown' }, title: 't', explanation: 'The REST API refuses visitors.', evidence: [{ kind: 'probe', probe: 'p002' }], fixes: [], confidence: 'possible' };
  return { findings: applyIsolation([base], obs), exps, probe };
}

const sites = fc
  .integer({ min: 2, max: 24 })
  .chain((p) => fc.tuple(fc.constant(p), fc.uniqueArray(fc.integer({ min: 0, max: p - 1 }), { minLength: 1, maxLength: 2 }), fc.boolean()))
  .map(([p, idx, together]): Site => {
    const all = Array.from({ length: p }, (_, i) => `x${String(i).padStart(2, '0')}/x${String(i).padStart(2, '0')}.php`);
    const chosen = all.filter((_, i) => idx.includes(i));
    return { all, groups: together ? [chosen] : chosen.map((c) => [c]) };
  });

describe('isolate: findings from experiments (single, pair, independent)', () => {
  it('one finding per group; each names only its own group; confirmed rests on an experiment carrying it', async () => {
    await fc.assert(
      fc.asyncProperty(sites, async (site) => {
        const { findings, exps, probe } = await judged(site);
        assert.equal(findings.length, site.groups.length, JSON.stringify(findings.map((f) => f.culprit)));
        for (const [i, f] of findings.entries()) {
          const group = site.groups[i] as string[];
          assert.equal(f.confidence, 'confirmed');
          assert.equal(f.culprit?.name, group.map(slug).join(' + '));
          const ctx = { probes: [probe], experiments: exps, installed: new Set<string>() };
          for (const part of culpritParts(f.culprit as NonNullable<Finding['culprit']>)) assert.ok(marksFor(f, part, ctx).some((m) => m.kind === 'experiment'), `${part}: an experiment carrying it`);
          if (site.groups.length > 1) assert.match(f.title, /on its own|on their own/);
          if (group.length > 1) assert.match(f.explanation, /only together/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every sentence about a replay says what that replay answered, and cites it', async () => {
    await fc.assert(
      fc.asyncProperty(sites, async (site) => {
        const { findings, exps, probe } = await judged(site);
        for (const f of findings) {
          const sentences = f.explanation.match(/[^.]*\[e\d{3}\]\./g) ?? [];
          assert.ok(sentences.length >= 2, f.explanation);
          for (const s of sentences) {
            const id = (s.match(/\[(e\d{3})\]/) as RegExpMatchArray)[1] as string;
            const exp = exps.find((e) => e.id === id) as Experiment;
            const outcome = judgeExperiment(failureOf(probe), exp);
            assert.equal(/\bpassed \(/.test(s), outcome === 'pass', `${s} — ${id} answered ${exp.status} ${exp.errorCode ?? ''}`);
            assert.ok(s.includes(`${exp.status}`), `${s} quotes the status`);
            assert.ok(f.evidence.some((e) => e.kind === 'experiment' && e.experiment === id), `${id} is in the evidence`);
          }
          assert.doesNotMatch(f.explanation, /made it pass/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('two plugins that each refuse alone: "only X off" is reported as still refused, with the other one named', async () => {
    const all = ['a-guard/a-guard.php', 'b-filler/b-filler.php', 'c-shield/c-shield.php', 'd-filler/d-filler.php'];
    const { findings } = await judged({ all, groups: [[all[0] as string], [all[2] as string]] });
    assert.deepEqual(
      findings.map((f) => f.culprit?.name),
      ['a-guard', 'c-shield'],
    );
    const [a, c] = findings as [Finding, Finding];
    assert.match(a.explanation, /With only Plugin a-guard switched off, it was still refused, now with 401 c-shield_refuses \[e\d+\]\./);
    assert.match(a.explanation, /Plugin c-shield refuses it on its own as well/);
    assert.match(c.explanation, /With only Plugin c-shield active \(every other plugin switched off for that request\), it still failed|was still refused/);
    assert.ok(a.fixes.some((x) => x.includes('Plugin c-shield also refuses the same request on its own')));
  });
});
