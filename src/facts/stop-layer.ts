// Where a failing request stopped, read from its own evidence when no finding
// says so: the ledger, the kind of page that answered, and its headers. The
// report shows it for requests no rule explains (often expected ones, such as
// an anonymous REST call); a finding's layer always wins over it. Pure.
import type { Layer, Probe } from '../model.js';
import { serverChallenge } from './challenge.js';
import { proxyMarks } from './marks.js';
import { reachedPhp } from './reached.js';

export function stopLayerOf(probe: Probe): Layer | null {
  if (probe.status === 0 || probe.error) return 'network';
  const ledger = probe.ledger;
  if (ledger) {
    if (ledger.authError?.plugin) return 'plugin';
    if (ledger.authError) return 'wordpress';
  }
  if (ledger && reachedPhp(probe) === false) return proxyMarks((h) => probe.headers[h]?.[0]).length > 0 ? 'edge' : 'server';
  switch (probe.body?.pageKind) {
    case 'captive-portal':
      return 'network';
    case 'login-wall-other-host':
      return 'edge';
    case 'apache-error':
    case 'nginx-error':
      return 'server';
    case 'rest-json':
    case 'wp-login':
    case 'wp-die':
    case 'wp-admin':
      return 'wordpress';
    default:
      break;
  }
  if (probe.body?.restError) return 'wordpress';
  if (serverChallenge(probe)) return 'server';
  return null;
}
