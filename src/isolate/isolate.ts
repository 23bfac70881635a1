// isolate(): for one failing request, replay it with plugins switched off
// through the bridge until the search settles, and return the experiments.
// What they prove (which plugin, confirmed or not) is judged by the rules
// (src/rules/isolation/), from the experiments alone.
import type { Experiment, Probe } from '../model.js';
import { createReplayOracle, type ReplayDeps } from './replay.js';
import { searchCulprits, type SearchOptions } from './search.js';

export interface IsolateInput {
  /** the failing request, as the scan recorded it */
  probe: Probe;
  /** active plugin basenames that may be switched off (never the bridge itself) */
  plugins: string[];
  replay: ReplayDeps;
  search?: SearchOptions;
}

/** The replays made for one failing request, in order. */
export async function isolate(input: IsolateInput): Promise<Experiment[]> {
  const experiments: Experiment[] = [];
  const deps: ReplayDeps = {
    ...input.replay,
    record: (exp) => {
      experiments.push(exp);
      input.replay.record(exp);
    },
  };
  await searchCulprits(input.plugins, createReplayOracle(input.probe, deps), input.search);
  return experiments;
}
