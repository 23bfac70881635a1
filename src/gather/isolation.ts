// The isolation stage of a scan: pick the failing requests the rules (or the
// ledger) blame on WordPress, isolate each distinct one, and collect the
// experiments. All I/O of isolation happens here.
import type { Engine, ProbeRequest } from '../http/index.js';
import type { AuthMode, Experiment, Finding, Probe } from '../model.js';
import type { Observations } from '../observations/index.js';
import type { BridgeStage } from './bridge.js';
import { isolate, type IsolateOutput } from '../isolate/isolate.js';
import { isolationTargets } from '../isolate/targets.js';

export interface IsolationRun {
  experiments: Experiment[];
  results: { probe: string; output: IsolateOutput }[];
}

export interface IsolationDeps {
  engine: Engine;
  bridge: BridgeStage;
  /** the credentials a probe of this auth mode carried; null when they cannot be replayed */
  credentialsFor: (auth: AuthMode) => ProbeRequest['credentials'] | null;
  /** at most this many distinct requests are isolated; default 4 */
  maxTargets?: number;
}

const BRIDGE_BASENAME = 'wp401-bridge/wp401-bridge.php';

/** Active plugins that can be switched off per request, in a stable order. */
export function switchablePlugins(obs: Observations): string[] {
  const list = obs.bridge?.environment?.plugins;
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const raw of list) {
    const p = raw as { basename?: unknown; bridge?: unknown };
    if (typeof p.basename !== 'string' || p.bridge === true || p.basename === BRIDGE_BASENAME) continue;
    if (!out.includes(p.basename)) out.push(p.basename);
  }
  return out.sort();
}

function loaderInstalled(obs: Observations): boolean {
  const b = (obs.bridge?.environment as { bridge?: { muLoader?: { installed?: unknown; ours?: unknown } } } | undefined)?.bridge;
  return b?.muLoader?.installed === true && b.muLoader.ours !== false;
}

/** The original request again, with the same credential, and these plugins left out of it (the list becomes a header when it is signed). */
function replayRequest(original: Probe, pluginsOff: readonly string[], credentials: ProbeRequest['credentials']): ProbeRequest {
  const cookieAuth = original.auth === 'cookie' || original.auth === 'cookie+nonce';
  const req: ProbeRequest = {
    source: 'isolate',
    method: (original.method.toUpperCase() as ProbeRequest['method']) ?? 'GET',
    url: original.url,
    auth: original.auth,
    useJar: cookieAuth,
    pluginsOff: [...pluginsOff],
  };
  if (credentials) req.credentials = credentials;
  return req;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runIsolation(findings: Finding[], obs: Observations, deps: IsolationDeps): Promise<IsolationRun> {
  const experiments: Experiment[] = [...obs.experiments];
  const results: IsolationRun['results'] = [];
  const ready = obs.bridge?.status === 'ok' && loaderInstalled(obs);
  const plugins = switchablePlugins(obs);
  let n = experiments.length;
  const nextId = () => `e${String(++n).padStart(3, '0')}`;
  const readDropped = async (replay: Probe): Promise<string[] | null> => {
    // The ledger entry is written when the replay's PHP request shuts down: allow it a moment.
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = deps.bridge.ledgerId(replay.id);
      const entry = (await deps.bridge.client.ledger([id]))[id];
      if (entry) return Array.isArray(entry.dropped) ? entry.dropped.filter((d): d is string => typeof d === 'string') : [];
      await sleep(60 * (attempt + 1));
    }
    return null;
  };
  for (const probe of isolationTargets(findings, obs).slice(0, deps.maxTargets ?? 4)) {
    const credentials = deps.credentialsFor(probe.auth);
    if (credentials === null) continue;
    const output = await isolate({
      probe,
      plugins,
      bridgeReady: ready,
      environment: obs.bridge?.environment,
      rawLedger: obs.bridge?.ledger?.[probe.id],
      replay: {
        send: (original, pluginsOff) => deps.engine.probe(replayRequest(original, pluginsOff, credentials)),
        readDropped,
        nextId,
        record: (exp) => experiments.push(exp),
      },
    });
    results.push({ probe: probe.id, output });
  }
  return { experiments, results };
}
