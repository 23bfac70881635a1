// Which failing requests to isolate: those a rule blamed on WordPress or a
// plugin. When no rule did, the bridge's ledger can still point at a plugin:
// a refused request in which a plugin's callback changed the authentication
// outcome. Pure.
import type { Finding, Probe } from '../../model.js';
import type { BridgeLedgerEntry } from '../../observations/bridge.js';
import type { Observations } from '../../observations/index.js';

const ISOLATABLE_AUTH = new Set<Probe['auth']>(['none', 'app-password', 'basic-site', 'app-password+basic-site', 'cookie', 'cookie+nonce']);

export function failing(p: Probe): boolean {
  return p.status >= 400 && p.status < 500 && ISOLATABLE_AUTH.has(p.auth) && !p.error;
}

export function requestKey(p: Probe): string {
  return `${p.method.toUpperCase()} ${p.url} ${p.auth}`;
}

/** Probe ids named by error findings at the plugin or WordPress layer. */
export function blamedProbes(findings: Finding[]): string[] {
  const ids: string[] = [];
  for (const f of findings) {
    if (f.severity !== 'error' || (f.layer !== 'plugin' && f.layer !== 'wordpress')) continue;
    for (const e of f.evidence) if (e.kind === 'probe' && !ids.includes(e.probe)) ids.push(e.probe);
  }
  return ids;
}

/** The ledger says a plugin's callback refused or downgraded this request. */
export function ledgerBlamesPlugin(entry: BridgeLedgerEntry | null | undefined): boolean {
  if (entry?.reachedPhp !== true) return false;
  if (entry.authError?.ownerType === 'plugin') return true;
  return entry.hookEvents.some((e) => e.owner?.type === 'plugin' && (e.change === 'error' || e.change === 'disabled' || (e.change === 'user' && e.to === 0)));
}

/** The bridge says a wp_is_application_passwords_available filter turned them off (often via core's __return_false, so no file names the plugin). */
export function appPasswordsDisabledByFilter(obs: Observations): boolean {
  const ap = obs.bridge?.environment?.applicationPasswords;
  return ap?.available === false && ap.reason === 'disabled-by-filter';
}

/** The failing requests to isolate, one per method + URL + credential. */
export function isolationTargets(findings: Finding[], obs: Observations): Probe[] {
  const byId = new Map(obs.probes.map((p) => [p.id, p]));
  let candidates = blamedProbes(findings)
    .map((id) => byId.get(id))
    .filter((p): p is Probe => !!p && failing(p));
  if (candidates.length === 0 && !findings.some((f) => f.severity === 'error' && f.layer !== 'plugin' && f.layer !== 'wordpress')) {
    const ledger = obs.bridge?.ledger ?? {};
    const appPasswordsFiltered = appPasswordsDisabledByFilter(obs);
    candidates = obs.probes.filter((p) => failing(p) && (ledgerBlamesPlugin(ledger[p.id]) || (appPasswordsFiltered && p.auth === 'app-password' && p.status === 401)));
  }
  const seen = new Set<string>();
  const out: Probe[] = [];
  for (const p of candidates) {
    const k = requestKey(p);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}
