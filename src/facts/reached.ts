// "Did this request reach PHP?", from the companion plugin's ledger: an entry
// means WordPress ran for it; null means the bridge never saw it (the web
// server or an edge answered first); no ledger at all means nobody knows. Pure.
import type { Probe } from '../model.js';
import { serverChallenge } from './challenge.js';

/** true: reached PHP · false: never did · undefined: unknown (no bridge, or the ledger was not read). */
export function reachedPhp(p: Pick<Probe, 'ledger'>): boolean | undefined {
  if (p.ledger === undefined) return undefined;
  return p.ledger?.reachedPhp === true;
}

/** The answer came before WordPress ran: a server challenge, or the ledger says the request never reached PHP. */
export function stoppedBeforePhp(p: Pick<Probe, 'status' | 'headers' | 'ledger'>): boolean {
  return serverChallenge(p) !== undefined || reachedPhp(p) === false;
}
