// Invariants over EVERY recorded observation (test/fixtures/observations,
// black box, with the bridge and with the browser) and every scan result
// recorded from the test bed (test/fixtures/results/testbed-*.json):
//
//  (a) no finding names a culprit whose evidence is not in that finding's
//      evidence list — each part of the culprit ("a + b": both) has at least
//      one cited evidence item carrying its mark;
//  (b) confidence means something — `confirmed` only when the finding cites
//      an experiment or a bridge ledger entry carrying the culprit's mark;
//      `likely` only with a mark unique to the culprit; a finding that names
//      no culprit is `possible`; a `possible` plugin guess made from a shared
//      REST error code names every plugin the catalog knows with that code.
//
// What "carries the mark" and "unique" mean is defined, once, in
// test/support/culprit-evidence.ts. Cost: the rules run once per recording
// (~50 recordings), well under a second.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pluginsByRestCode } from '../../../src/catalog/index.js';
import type { Experiment, Finding, Probe, ScanResult } from '../../../src/model.js';
import type { Observations } from '../../../src/observations/index.js';
import { judgeFindings } from '../../../src/rules/index.js';
import { culpritParts, installedSlugs, type MarkContext, marksFor, namesCulprit } from '../../support/culprit-evidence.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const OBS = join(REPO, 'test', 'fixtures', 'observations');
const RESULTS = join(REPO, 'test', 'fixtures', 'results');

interface Case {
  source: string;
  /** a stored result: its findings are the rules of the day it was recorded, so only (a) and `confirmed` are read from it */
  stored?: boolean;
  findings: Finding[];
  ctx: MarkContext;
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

function cases(): Case[] {
  const out: Case[] = [];
  for (const dir of ['', 'bridge', 'browser']) {
    for (const name of readdirSync(join(OBS, dir)).filter((f) => f.endsWith('.json')).sort()) {
      const obs = json(join(OBS, dir, name)) as Observations;
      out.push({
        source: `observations/${dir ? `${dir}/` : ''}${name}`,
        findings: judgeFindings(obs),
        ctx: { probes: obs.probes, experiments: obs.experiments, installed: installedSlugs(obs.probes, obs.bridge?.environment?.plugins) },
      });
    }
  }
  // Results recorded from the test bed (the other files there are hand-made report fixtures).
  for (const name of readdirSync(RESULTS).filter((f) => f.startsWith('testbed-') && f.endsWith('.json')).sort()) {
    const r = json(join(RESULTS, name)) as ScanResult;
    const plugins = (r.environment as { plugins?: { slug?: string; basename?: string }[] } | null)?.plugins;
    out.push({ source: `results/${name}`, stored: true, findings: r.findings, ctx: { probes: r.probes as Probe[], experiments: r.experiments as Experiment[], installed: installedSlugs(r.probes as Probe[], plugins) } });
  }
  return out;
}

const ALL = cases();

type Check = 'culprit-evidence' | 'confirmed' | 'likely' | 'unnamed' | 'candidates';

/** Every violation of one check, as "source finding-id: why". */
function violations(check: Check): string[] {
  const out: string[] = [];
  for (const { source, findings, ctx, stored } of ALL) {
    if (stored && check !== 'culprit-evidence' && check !== 'confirmed') continue;
    for (const f of findings) {
      const where = `${source} ${f.id}`;
      const named = namesCulprit(f);
      const parts = named && f.culprit ? culpritParts(f.culprit) : [];
      const marks = parts.map((part) => ({ part, marks: marksFor(f, part, ctx) }));
      if (check === 'culprit-evidence') {
        for (const m of marks) if (m.marks.length === 0) out.push(`${where}: names ${f.culprit?.kind} "${m.part}" without evidence carrying its mark`);
      } else if (check === 'confirmed' && f.confidence === 'confirmed') {
        for (const m of marks) if (!m.marks.some((x) => x.kind === 'experiment' || x.kind === 'ledger')) out.push(`${where}: confirmed "${m.part}" without an experiment or a ledger entry`);
      } else if (check === 'likely' && f.confidence === 'likely') {
        for (const m of marks) if (!m.marks.some((x) => x.unique)) out.push(`${where}: likely "${m.part}" without a mark unique to it (${m.marks.map((x) => x.kind).join(', ') || 'no mark'})`);
      } else if (check === 'unnamed' && !named && f.confidence !== 'possible') {
        out.push(`${where}: ${f.confidence} without naming a culprit`);
      } else if (check === 'candidates' && f.confidence === 'possible' && f.culprit?.kind === 'plugin') {
        const text = `${f.title} ${f.explanation}`;
        for (const e of f.evidence) {
          const p = e.kind === 'probe' ? ctx.probes.find((x) => x.id === e.probe) : undefined;
          const err = p?.body?.restError;
          if (!err) continue;
          for (const c of pluginsByRestCode(err.code, err.message)) {
            if (!text.includes(c.plugin.slug) && !text.includes(c.plugin.name)) out.push(`${where}: possible, but the candidate ${c.plugin.slug} (same code ${err.code}) is not named`);
          }
        }
      }
    }
  }
  return [...new Set(out)];
}

/**
 * Violations another helper of issue 16 is fixing in the rule they own (each
 * entry says which class). The test FAILS when a listed violation no longer
 * happens, so the entry is removed with the fix — never a place to hide a new one.
 */
const OPEN: Record<Check, string[]> = {
  'culprit-evidence': [],
  confirmed: [],
  likely: [],
  unnamed: [],
  candidates: [],
};

describe('invariants over every recorded observation', () => {
  it(`reads every recording (${ALL.length})`, () => {
    assert.ok(ALL.length >= 50, `only ${ALL.length} recordings found`);
    assert.ok(ALL.some((c) => c.ctx.experiments.length > 0), 'at least one recording carries isolation experiments');
  });

  const checks: [Check, string][] = [
    ['culprit-evidence', '(a) no finding names a culprit whose evidence is not in its evidence list'],
    ['confirmed', '(b) confirmed only with an experiment or a bridge ledger entry carrying the culprit'],
    ['likely', '(b) likely only with a mark unique to the culprit'],
    ['unnamed', '(b) a finding that names no culprit is possible'],
    ['candidates', '(b) a possible plugin guess from a shared REST code names every candidate'],
  ];
  for (const [check, title] of checks) {
    it(title, () => {
      const got = violations(check);
      const open = OPEN[check];
      assert.deepEqual(
        got.filter((v) => !open.includes(v)),
        [],
      );
      assert.deepEqual(
        open.filter((v) => !got.includes(v)),
        [],
        'listed as open but no longer happens: remove it from OPEN',
      );
    });
  }
});
