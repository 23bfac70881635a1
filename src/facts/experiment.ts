// What one isolation replay says against the original failure: pass, fail,
// or unresolved (the bridge did not drop exactly what was asked, or no usable
// answer came). Read live by the search and afterwards by the rules that judge
// the experiments, so both read them the same way. Pure.
import type { Experiment, Probe } from '../model.js';
import { CORE_REST_REFUSAL } from './zones.js';

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

/** Statuses that refuse a request (who are you / you may not / too many). */
const REFUSING = new Set([401, 403, 407, 429]);

/**
 * pass / fail / unresolved for one experiment against the original failure.
 * The same status and REST code is the same failure. A replay that is still
 * refused with another plugin's code (or an HTML refusal) is still failing:
 * two plugins that each refuse the request on their own show up that way —
 * the one that answered first is off, the other one answers now. A refusal
 * that is core's own answer to this request by design (its REST permission
 * codes, CORE_REST_REFUSAL) counts as passing: the plugin's refusal is gone.
 */
export function judgeExperiment(failure: FailureSignature, exp: Pick<Experiment, 'status' | 'errorCode' | 'pluginsOff' | 'droppedReported'>): Outcome {
  if (!droppedMatches(exp.pluginsOff, exp.droppedReported)) return 'unresolved';
  if (exp.status === 0 || exp.status >= 500) return 'unresolved';
  const same = exp.status === failure.status && (failure.errorCode === undefined || exp.errorCode === failure.errorCode);
  if (same) return 'fail';
  const stillRefused = REFUSING.has(exp.status) || exp.status === failure.status;
  if (!stillRefused) return 'pass';
  if (exp.errorCode !== undefined && CORE_REST_REFUSAL.test(exp.errorCode) && exp.errorCode !== failure.errorCode) return 'pass';
  return 'fail';
}
