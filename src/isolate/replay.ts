// The replay adapter: turns "these plugins off" into one replay of the
// failing request (sent by the gather stage's engine, through `send`) and
// reads back what the bridge says it actually dropped. Every replay becomes
// an Experiment.
import { DROPPED_HEADER, parsePluginList } from '../bridge/protocol.js';
import { judgeExperiment, failureOf } from '../facts/experiment.js';
import type { Experiment, Probe } from '../model.js';
import type { Oracle } from './search.js';

export interface ReplayDeps {
  /** sends `original` again with these plugins switched off for that request only, and returns the replay */
  send: (original: Probe, pluginsOff: readonly string[]) => Promise<Probe>;
  /**
   * What the bridge says it dropped for a replay, when the response header is
   * not readable (the engine redacts x-wp401-* response headers): read from
   * the probe ledger. null: the bridge has no record (unsigned or rejected).
   */
  readDropped?: (replay: Probe) => Promise<string[] | null>;
  /** next experiment id: e001, e002… shared by every isolation of a scan */
  nextId: () => string;
  /** receives every experiment as it is made */
  record: (exp: Experiment) => void;
}

async function droppedOf(replay: Probe, deps: ReplayDeps): Promise<string[] | undefined> {
  const header = replay.headers[DROPPED_HEADER]?.[0];
  if (header !== undefined && !header.includes('redacted')) return parsePluginList(header);
  if (!deps.readDropped) return undefined;
  const fromLedger = await deps.readDropped(replay).catch(() => null);
  return fromLedger ? [...fromLedger].sort() : undefined;
}

/** An oracle that replays `original` with plugins switched off and records each replay. */
export function createReplayOracle(original: Probe, deps: ReplayDeps): Oracle {
  const failure = failureOf(original);
  return async (pluginsOff) => {
    const off = [...pluginsOff];
    const replay = await deps.send(original, off);
    const exp: Experiment = { id: deps.nextId(), probe: original.id, pluginsOff: off, status: replay.status };
    const code = replay.body?.restError?.code;
    if (code) exp.errorCode = code;
    const dropped = replay.status > 0 ? await droppedOf(replay, deps) : undefined;
    if (dropped) exp.droppedReported = dropped;
    deps.record(exp);
    return judgeExperiment(failure, exp);
  };
}
