// When switching plugins off cannot help: say which layer to look at next,
// from what the probe and the bridge already know. Pure.
import { serverChallenge } from '../../facts/challenge.js';
import { reachedPhp } from '../../facts/reached.js';
import type { CulpritKind, Layer, Probe } from '../../model.js';
import type { BridgeEnvironment, BridgeLedgerEntry } from '../../observations/bridge.js';

export interface Handover {
  layer: Layer;
  kind: CulpritKind | 'theme' | 'core';
  /** file or setting to look at, when known */
  name?: string;
  file?: string;
  reason: string;
}

/** Hooks where a must-use plugin, drop-in or theme can refuse a request. */
const AUTH_HOOKS = ['rest_authentication_errors', 'determine_current_user', 'authenticate', 'wp_authenticate_user', 'rest_pre_dispatch', 'wp_is_application_passwords_available', 'application_password_is_api_request', 'template_redirect', 'login_init'];

/**
 * @param entry the bridge's ledger entry for the probe (obs.bridge.ledger[probe.id])
 * @param environment the bridge's environment report
 */
export function handoverFor(probe: Probe, entry: BridgeLedgerEntry | null | undefined, environment: BridgeEnvironment | undefined): Handover {
  if (serverChallenge(probe)) {
    return { layer: 'server', kind: 'htaccess', reason: 'the answer is a Basic challenge from the web server (or a proxy): WordPress never ran, so no plugin can be the cause' };
  }
  if (reachedPhp(probe) === false) {
    return { layer: 'server', kind: 'server-config', reason: 'the bridge never saw this request: it was refused before PHP (web server, proxy or CDN)' };
  }
  // Who produced the error, according to the ledger.
  const authError = entry?.authError;
  const ownerType: string | undefined = authError?.ownerType;
  const owner = authError?.plugin;
  const fromType = (type: string | undefined, name: string | undefined, how: string): Handover | null => {
    if (type === 'mu-plugin') return { layer: 'plugin', kind: 'mu-plugin', ...(name ? { name } : {}), reason: `a must-use plugin ${how}; must-use plugins cannot be switched off per request` };
    if (type === 'dropin' || type === 'drop-in') return { layer: 'plugin', kind: 'drop-in', ...(name ? { name } : {}), reason: `a drop-in ${how}` };
    if (type === 'theme') return { layer: 'wordpress', kind: 'theme', ...(name ? { name } : {}), reason: `the theme ${how}` };
    return null;
  };
  const direct = fromType(ownerType, owner, `produced the error (${String(authError?.code ?? 'unknown')})`);
  if (direct) return direct;
  // Otherwise: a must-use plugin, drop-in or theme attached to an authentication hook.
  const hooks = environment?.hooks;
  if (hooks) {
    for (const hook of AUTH_HOOKS) {
      for (const cb of hooks[hook] ?? []) {
        const type = cb.owner?.type;
        if (type === 'mu-plugin' && cb.owner?.file?.includes('wp401-troubleshoot')) continue;
        const found = fromType(type, cb.owner?.slug ?? cb.owner?.file ?? undefined, `hooks ${hook} (${cb.callback ?? 'a callback'})`);
        if (found) return { ...found, ...(cb.owner?.file ? { file: cb.owner.file } : {}) };
      }
    }
  }
  return { layer: 'wordpress', kind: 'core', reason: 'no plugin, must-use plugin, drop-in or theme is involved: look at core settings (application passwords, permalinks, wp-config.php constants)' };
}
