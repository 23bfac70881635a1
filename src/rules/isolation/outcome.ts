// Reads an isolation's result back from its experiments alone, so a saved
// scan can be re-judged without the site. Pure.
import type { Experiment, Probe } from '../../model.js';
import { failureOf, judgeExperiment, type Outcome } from '../../facts/experiment.js';

export interface DerivedIsolation {
  probe: string;
  verdict: 'plugin' | 'not-a-plugin' | 'flaky' | 'inconclusive';
  culprits: string[];
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
    if (before && before !== o) return { probe: probe.id, verdict: 'flaky', culprits: [], proof: [], experiments: ids };
    seen.set(k, o);
  }
  const first = judged[0] as { e: Experiment; o: Outcome };
  const everything = first.e.pluginsOff;
  if (first.o === 'fail') return { probe: probe.id, verdict: 'not-a-plugin', culprits: [], proof: judged.filter((j) => key(j.e.pluginsOff) === key(everything)).map((j) => j.e.id), experiments: ids };
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
      return { probe: probe.id, verdict: 'plugin', culprits: order, proof: [t.e.id, ...(onProof ? [onProof.e.id] : [])], experiments: ids };
    }
  }
  return { probe: probe.id, verdict: 'inconclusive', culprits: [], proof: [], experiments: ids };
}
