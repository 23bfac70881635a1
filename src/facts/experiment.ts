// What one isolation replay says against the original failure: pass, fail,
// or unresolved (the bridge did not drop exactly what was asked, or no usable
// answer came). Read live by the search and afterwards by the rules that judge
// the experiments, so both read them the same way. Pure.
import type { Experiment, Probe } from '../model.js';

export type Outcome = 'pass' | 'fail' | 'unresolved';

/** What makes a replay "the same failure": final status, and the REST error code when there was one. */
export interface FailureSignature {
  status: number;
  errorCode?: string;
}

export function failureOf(probe: Probe): FailureSignature {
  const code = probe.body?.restError?.code;
  return code ? { status: probe.status, errorCode: code } : { status: probe.status };
}

/** The replay is valid only when the bridge dropped exactly what was asked. */
export function droppedMatches(asked: readonly string[], reported: readonly string[] | undefined): boolean {
  if (!reported) return asked.length === 0;
  const a = [...asked].sort();
  const b = [...reported].sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** pass / fail / unresolved for one experiment against the original failure. */
export function judgeExperiment(failure: FailureSignature, exp: Pick<Experiment, 'status' | 'errorCode' | 'pluginsOff' | 'droppedReported'>): Outcome {
  if (!droppedMatches(exp.pluginsOff, exp.droppedReported)) return 'unresolved';
  if (exp.status === 0 || exp.status >= 500) return 'unresolved';
  const same = exp.status === failure.status && (failure.errorCode === undefined || exp.errorCode === failure.errorCode);
  return same ? 'fail' : 'pass';
}

