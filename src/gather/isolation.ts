// The isolation stage of a scan: replay each failing request the rules (or
// the ledger) blame on WordPress, through the replay engine and the bridge,
// and collect the experiments. All I/O of isolation happens here.
import type { Engine, ProbeRequest } from '../http/index.js';
import type { AuthMode, Experiment, Probe } from '../model.js';
import type { Observations } from '../observations/index.js';
import type { BridgeStage } from './bridge.js';
import { isolate } from '../isolate/isolate.js';
import { RULES, runRules } from '../rules/index.js';
import { stoppedBeforePhp } from '../facts/reached.js';
import { isolationTargets } from '../rules/isolation/targets.js';

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
  const out: string[] = [];
  for (const p of obs.bridge?.environment?.plugins ?? []) {
    if (p.bridge || p.basename === BRIDGE_BASENAME) continue;
    if (!out.includes(p.basename)) out.push(p.basename);
  }
  return out.sort();
}

function loaderInstalled(obs: Observations): boolean {
  const loader = obs.bridge?.environment?.bridge?.muLoader;
  return loader?.installed === true && loader.ours !== false;
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

/**
 * The experiments of a scan: the failing requests the rules blame on
 * WordPress or a plugin (or the ledger does), each replayed with plugins
 * switched off. Needs the bridge and its must-use loader; without them, none.
 */
export async function runIsolation(obs: Observations, deps: IsolationDeps): Promise<Experiment[]> {
  const experiments: Experiment[] = [...obs.experiments];
  if (obs.bridge?.status !== 'ok' || !loaderInstalled(obs)) return experiments;
  const plugins = switchablePlugins(obs);
  let n = experiments.length;
  const nextId = () => `e${String(++n).padStart(3, '0')}`;
  const readDropped = async (replay: Probe): Promise<string[] | null> => {
    // The ledger entry is written when the replay's PHP request shuts down: allow it a moment.
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = deps.bridge.ledgerId(replay.id);
      const entry = (await deps.bridge.client.ledger([id]))[id];
      if (entry) return entry.dropped;
      await sleep(60 * (attempt + 1));
    }
    return null;
  };
  // Which requests to replay is the rules' judgement, made on what was gathered.
  for (const probe of isolationTargets(runRules(RULES, obs), obs).slice(0, deps.maxTargets ?? 4)) {
    const credentials = deps.credentialsFor(probe.auth);
    // refused before PHP ran: switching plugins off cannot change it (the rules hand it over to the server or edge)
    if (credentials === null || stoppedBeforePhp(probe)) continue;
    await isolate({
      probe,
      plugins,
      replay: {
        send: (original, pluginsOff) => deps.engine.probe(replayRequest(original, pluginsOff, credentials)),
        readDropped,
        nextId,
        record: (exp) => experiments.push(exp),
      },
    });
  }
  return experiments;
}
