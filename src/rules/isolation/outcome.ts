// Reads an isolation's result back from its experiments alone, so a saved
// scan can be re-judged without the site. Pure.
import type { Experiment, Probe } from '../../model.js';
import { failureOf, judgeExperiment, type Outcome } from '../../facts/experiment.js';

export interface DerivedIsolation {
  probe: string;
  verdict: 'plugin' | 'not-a-plugin' | 'flaky' | 'inconclusive';
  culprits: string[];
  /**
   * The culprits split as the experiments prove them: each group is a minimal
   * set that, left on alone (every other plugin off), still failed. One group
   * of one: a single culprit. One group of two: a pair that fails only
   * together. Several groups: independent culprits, each sufficient alone.
   */
  groups: string[][];
  /** the experiments that prove it (the last two), or every experiment of the probe */
  proof: string[];
  experiments: string[];
}

const key = (off: readonly string[]) => [...off].sort().join('\n');

export function deriveIsolation(probe: Probe, all: Experiment[]): DerivedIsolation | null {
  const exps = all.filter((e) => e.probe === probe.id);
  if (exps.length === 0) return null;
  const failure = failureOf(probe);
  const judged = exps.map((e) => ({ e, o: judgeExperiment(failure, e) }));
  const ids = exps.map((e) => e.id);
  const seen = new Map<string, Outcome>();
  for (const { e, o } of judged) {
    if (o === 'unresolved') continue;
    const k = key(e.pluginsOff);
    const before = seen.get(k);
    if (before && before !== o) return { probe: probe.id, verdict: 'flaky', culprits: [], groups: [], proof: [], experiments: ids };
    seen.set(k, o);
  }
  const first = judged[0] as { e: Experiment; o: Outcome };
  const everything = first.e.pluginsOff;
  if (first.o === 'fail') return { probe: probe.id, verdict: 'not-a-plugin', culprits: [], groups: [], proof: judged.filter((j) => key(j.e.pluginsOff) === key(everything)).map((j) => j.e.id), experiments: ids };
  // The last two replays: the culprits off → pass, only the culprits on → fail.
  const tail = judged.slice(-2);
  for (const t of tail) {
    if (t.o !== 'pass') continue;
    const culprits = t.e.pluginsOff;
    if (culprits.length === 0) continue;
    const on = everything.filter((p) => !culprits.includes(p));
    const onProof = tail.find((x) => x !== t && x.o === 'fail' && key(x.e.pluginsOff) === key(on));
    // All plugins blamed: "only the culprits on" is the original failure itself.
    if (onProof || on.length === 0) {
      const order = everything.filter((p) => culprits.includes(p));
      return { probe: probe.id, verdict: 'plugin', culprits: order, groups: groupsOf(order, everything, judged), proof: [t.e.id, ...(onProof ? [onProof.e.id] : [])], experiments: ids };
    }
  }
  return { probe: probe.id, verdict: 'inconclusive', culprits: [], groups: [], proof: [], experiments: ids };
}

/**
 * The minimal sets of culprits that failed when left on alone, read from the
 * recorded replays (the search records one "kept alone" replay per group).
 * Culprits no such replay covers stay together in one group: the proof that
 * they fail together is the replay with only the culprits on.
 */
function groupsOf(culprits: string[], everything: string[], judged: { e: Experiment; o: Outcome }[]): string[][] {
  const onSets = judged
    .filter((j) => j.o === 'fail')
    .map((j) => everything.filter((p) => !j.e.pluginsOff.includes(p)))
    .filter((on) => on.length > 0 && on.every((p) => culprits.includes(p)));
  const minimal = onSets.filter((s) => !onSets.some((o) => o.length < s.length && o.every((p) => s.includes(p))));
  const groups: string[][] = [];
  for (const s of minimal.sort((a, b) => a.length - b.length)) {
    if (groups.some((g) => key(g) === key(s))) continue;
    if (s.some((p) => groups.some((g) => g.includes(p)))) continue;
    groups.push(culprits.filter((p) => s.includes(p)));
  }
  const rest = culprits.filter((p) => !groups.some((g) => g.includes(p)));
  if (rest.length) groups.push(rest);
  return groups.sort((a, b) => culprits.indexOf(a[0] as string) - culprits.indexOf(b[0] as string));
}
