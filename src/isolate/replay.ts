// The replay adapter: turns "these plugins off" into one signed request
// through the scan's request engine and reads back what the bridge says it
// actually dropped. Every replay becomes an Experiment.
import type { Engine, ProbeRequest } from '../http/index.js';
import type { Experiment, Probe } from '../model.js';
import type { Oracle, Outcome } from './search.js';

export const TROUBLESHOOT_HEADER = 'x-wp401-troubleshoot';
const DROPPED_HEADER = 'x-wp401-dropped';

/** What makes a replay "the same failure": final status, and the REST error code when there was one. */
export interface FailureSignature {
  status: number;
  errorCode?: string;
}

export function failureOf(probe: Probe): FailureSignature {
  const code = probe.body?.restError?.code;
  return code ? { status: probe.status, errorCode: code } : { status: probe.status };
}

/** Parses an X-WP401-Dropped value: "-" means nothing was dropped. */
export function parseDropped(value: string): string[] {
  const v = value.trim();
  if (v === '' || v === '-') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
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

export interface ReplayDeps {
  engine: Engine;
  /** credentials the original probe carried (from the scan's secrets; never recorded) */
  credentials?: ProbeRequest['credentials'];
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

function replayRequest(original: Probe, pluginsOff: readonly string[], credentials: ProbeRequest['credentials']): ProbeRequest {
  const cookieAuth = original.auth === 'cookie' || original.auth === 'cookie+nonce';
  const req: ProbeRequest = {
    source: 'isolate',
    method: (original.method.toUpperCase() as ProbeRequest['method']) ?? 'GET',
    url: original.url,
    auth: original.auth,
    useJar: cookieAuth,
    headers: pluginsOff.length > 0 ? { [TROUBLESHOOT_HEADER]: pluginsOff.join(',') } : {},
  };
  if (credentials) req.credentials = credentials;
  return req;
}

async function droppedOf(replay: Probe, deps: ReplayDeps): Promise<string[] | undefined> {
  const header = replay.headers[DROPPED_HEADER]?.[0];
  if (header !== undefined && !header.includes('redacted')) return parseDropped(header);
  if (!deps.readDropped) return undefined;
  const fromLedger = await deps.readDropped(replay).catch(() => null);
  return fromLedger ? [...fromLedger].sort() : undefined;
}

/** An oracle that replays `original` with plugins switched off and records each replay. */
export function createReplayOracle(original: Probe, deps: ReplayDeps): Oracle {
  const failure = failureOf(original);
  return async (pluginsOff) => {
    const off = [...pluginsOff];
    const replay = await deps.engine.probe(replayRequest(original, off, deps.credentials));
    const exp: Experiment = { id: deps.nextId(), probe: original.id, pluginsOff: off, status: replay.status };
    const code = replay.body?.restError?.code;
    if (code) exp.errorCode = code;
    const dropped = replay.status > 0 ? await droppedOf(replay, deps) : undefined;
    if (dropped) exp.droppedReported = dropped;
    deps.record(exp);
    return judgeExperiment(failure, exp);
  };
}
