// Whether the companion plugin (the bridge) took part in the scan, and if
// not, why — in one place, for the JSON result (environment.bridge.status),
// the terminal, the top of the HTML report, the rules' advice and the
// --isolate stop. Degrade loudly: a key that was given and not used is never
// silent.
//
// What each status rests on (wp-plugin/wp401-bridge/PROTOCOL.md):
//   ok            — a door answered with the bridge's signature on its answer.
//   key-refused   — the bridge itself refused our signature (a signed 401:
//                   clock, replay) or its rate limit (429); or no door answered
//                   while its must-use loader is on the site (copied there on
//                   activation, removed on deactivation): the plugin is active
//                   and the key is not the one it holds. A badly signed
//                   request sees exactly what it would see without the
//                   plugin, so this is the only way to tell from outside.
//   not-installed — no door answered and the loader is not there (the
//                   readme says whether the plugin's files are, inactive).
//   unreachable   — something else answered first: a Basic lock (the
//                   server's or PHP's), WordPress or a plugin refusing REST
//                   while the early door is not reachable, TLS, the network.
//   not-used      — no key was given: the scan saw the site from outside.
import type { BridgeObservation, CredentialsGiven } from '../observations/index.js';

export const BRIDGE_STATUSES = ['ok', 'not-installed', 'unreachable', 'key-refused', 'not-used'] as const;
export type BridgeStatusCode = (typeof BRIDGE_STATUSES)[number];

export interface BridgeStatus {
  status: BridgeStatusCode;
  /** one word for why (see BridgeObservation.reason), when not ok */
  reason?: string;
  /** one sentence a site owner can act on; never a secret */
  message: string;
  /** which door answered each call, when it answered */
  doors?: BridgeObservation['doors'];
}

const REASON_WORDS: Record<string, string> = {
  'server-lock': 'a Basic-auth lock (a password prompt) answered instead; give its user and password in WP401_HTTP_USER / WP401_HTTP_PASSWORD',
  'rest-blocked': 'WordPress or a plugin refused the REST route, and the early door (the must-use loader) did not answer either',
  refused: 'the web server, a proxy or a firewall refused the request (401/403) before WordPress',
  tls: 'the TLS connection failed (use --ca with the site\'s CA, or --insecure)',
  timeout: 'no answer in time',
  network: 'a network error',
  redirect: 'the site redirected the call elsewhere (scan the final site URL)',
  'unsigned-answer': 'an answer came without the bridge\'s signature (a cache, a proxy or another application answered)',
  'unexpected-response': 'the site answered with an error instead of the bridge',
};

/** The bridge's status for this scan, from what was gathered (and which credentials were given). */
export function bridgeStatusOf(obs: { bridge: BridgeObservation | null; credentials: Pick<CredentialsGiven, 'bridgeKey'> & Partial<Pick<CredentialsGiven, 'siteBasic'>> }): BridgeStatus {
  const b = obs.bridge;
  if (!obs.credentials.bridgeKey || !b) {
    return { status: 'not-used', message: 'Companion plugin not used (no WP401_BRIDGE_KEY): the scan saw the site from outside only.' };
  }
  const doors = b.doors && Object.keys(b.doors).length > 0 ? { doors: b.doors } : {};
  switch (b.status) {
    case 'ok': {
      const early = Object.values(b.doors ?? {}).includes('early');
      return { status: 'ok', message: `Companion plugin answered${early ? ' (through its early door)' : ''}: the scan saw inside WordPress.${b.message ? ` ${b.message}.` : ''}`, ...doors };
    }
    case 'wrong-key':
      return {
        status: 'key-refused',
        reason: b.reason ?? 'refused',
        message:
          b.reason === 'expired'
            ? "Companion plugin refused the signatures' time: this machine's clock and the server's differ by more than 5 minutes. Fix the clock and scan again."
            : `Companion plugin refused the signed requests (${b.reason ?? 'refused'}). Check WP401_BRIDGE_KEY against Tools → wp401 on the site.`,
        ...doors,
      };
    case 'rate-limited':
      return { status: 'key-refused', reason: 'rate-limited', message: 'Companion plugin refused more requests with this key for now (its limit per 10 minutes). Wait a few minutes, or regenerate the key on Tools → wp401.', ...doors };
    case 'not-installed': {
      const f = b.files;
      if (f?.loader === true) {
        return {
          status: 'key-refused',
          reason: 'wrong-key',
          message: 'Companion plugin is active on the site (its must-use loader is there) but refused the key: WP401_BRIDGE_KEY is not the key shown on Tools → wp401 (a reactivated plugin has a new key).',
        };
      }
      if (f?.readme === true) {
        return {
          status: 'not-installed',
          reason: 'inactive',
          message: "Companion plugin's files are on the site but it did not answer: it is not activated (Plugins → wp401 Bridge → Activate), or its must-use loader could not be installed and the key is wrong.",
        };
      }
      return {
        status: 'not-installed',
        reason: f ? 'absent' : 'unknown',
        message: `Companion plugin did not answer${f?.readme === false ? ' and its files are not on the site' : ''}: install and activate it (\`wp401 bridge zip\` writes it)${f?.readme === false ? '' : ', or check WP401_BRIDGE_KEY (a wrong key looks exactly like no plugin)'}.`,
      };
    }
    case 'blocked':
    case 'unreachable':
    case 'error': {
      const reason = b.reason ?? (b.status === 'blocked' ? 'refused' : 'network');
      const words = reason === 'server-lock' && obs.credentials.siteBasic ? 'a Basic-auth lock (a password prompt) refused the WP401_HTTP_USER / WP401_HTTP_PASSWORD given' : (REASON_WORDS[reason] ?? reason);
      return { status: 'unreachable', reason, message: `Companion plugin could not be reached: ${words}. The scan saw the site from outside only.`, ...doors };
    }
    case 'unusable':
      return { status: 'unreachable', reason: 'outdated', message: "Companion plugin answered without what wp401 reads: update it (`wp401 bridge zip` writes the current one). The scan saw the site from outside only.", ...doors };
  }
}

/** The status a result carries (environment.bridge), for the reporters; null in results written before it existed. */
export function bridgeStatusIn(environment: Record<string, unknown> | null | undefined): BridgeStatus | null {
  const b = environment?.bridge as Partial<BridgeStatus> | undefined;
  if (!b || typeof b.status !== 'string' || !(BRIDGE_STATUSES as readonly string[]).includes(b.status) || typeof b.message !== 'string') return null;
  return { status: b.status as BridgeStatusCode, message: b.message, ...(typeof b.reason === 'string' ? { reason: b.reason } : {}) };
}
