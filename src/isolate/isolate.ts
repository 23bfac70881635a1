// isolate(): for one failing request, find the plugin(s) behind it by
// replaying it with plugins switched off through the bridge.
import type { Experiment, Probe } from '../model.js';
import { type Handover, handoverFor, neverReachedPhp } from './handover.js';
import { createReplayOracle, type ReplayDeps } from './replay.js';
import { searchCulprits, type SearchOptions } from './search.js';

export type IsolationVerdict = 'plugin' | 'not-a-plugin' | 'flaky' | 'no-bridge' | 'inconclusive';

export interface IsolateInput {
  /** the failing request, as the scan recorded it */
  probe: Probe;
  /** active plugin basenames that may be switched off (never the bridge itself) */
  plugins: string[];
  /** false when the bridge (or its must-use loader) is not usable */
  bridgeReady: boolean;
  /** the bridge's environment report and its raw ledger entry for the probe, for the hand-over */
  environment?: Record<string, unknown>;
  rawLedger?: unknown;
  replay: ReplayDeps;
  search?: SearchOptions;
}

export interface IsolateOutput {
  experiments: Experiment[];
  /** plugin basenames, in the order given */
  culprits: string[];
  groups: string[][];
  verdict: IsolationVerdict;
  /** where to look when it is not a plugin */
  handover?: Handover;
  notes: string[];
}

export async function isolate(input: IsolateInput): Promise<IsolateOutput> {
  const experiments: Experiment[] = [];
  const none = (verdict: IsolationVerdict, notes: string[], handover?: Handover): IsolateOutput => ({
    experiments,
    culprits: [],
    groups: [],
    verdict,
    notes,
    ...(handover ? { handover } : {}),
  });
  if (!input.bridgeReady) return none('no-bridge', ['the bridge and its must-use loader are needed to switch plugins off per request']);
  if (neverReachedPhp(input.probe)) {
    const h = handoverFor(input.probe, input.rawLedger, input.environment);
    return none('not-a-plugin', [`nothing to isolate: ${h.reason}`], h);
  }
  const deps: ReplayDeps = {
    ...input.replay,
    record: (exp) => {
      experiments.push(exp);
      input.replay.record(exp);
    },
  };
  const result = await searchCulprits(input.plugins, createReplayOracle(input.probe, deps), input.search);
  if (result.verdict === 'not-a-plugin') {
    const h = handoverFor(input.probe, input.rawLedger, input.environment);
    return none('not-a-plugin', [...result.notes, `hand over: ${h.reason}`], h);
  }
  return { experiments, culprits: result.culprits, groups: result.groups, verdict: result.verdict, notes: result.notes };
}
