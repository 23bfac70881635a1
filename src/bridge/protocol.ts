// The bridge protocol's names and small value formats, in one place for the
// scanner: the REST namespace, the header names and how a list of plugin
// basenames comes back in a header. (The list goes out as data —
// ProbeRequest.pluginsOff — and becomes a header only when it is signed.) wp-plugin/wp401-bridge/PROTOCOL.md is the
// same contract seen from the PHP side. Pure: no I/O.

export const BRIDGE_NAMESPACE = 'wp401/v1';

/** The shortest key the client accepts (the plugin makes longer ones): anything shorter is a truncated paste. */
export const BRIDGE_KEY_MIN_LENGTH = 32;

/** The server accepts timestamps within this many seconds of its clock. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** Signatures go out on our own clock while the server's differs by at most this (s): the window less room for the request's own time. */
export const UNCORRECTED_SKEW_SECONDS = SIGNATURE_WINDOW_SECONDS - 30;

export const HEADER_TIMESTAMP = 'X-WP401-Timestamp';
export const HEADER_NONCE = 'X-WP401-Nonce';
export const HEADER_SIGNATURE = 'X-WP401-Signature';
export const HEADER_PROBE = 'X-WP401-Probe';
export const HEADER_TROUBLESHOOT = 'X-WP401-Troubleshoot';
/** Response header: the plugin basenames the troubleshooting loader actually left out ("-": none). */
export const HEADER_DROPPED = 'X-WP401-Dropped';

/** Response header: the bridge's signature over its answer (early door and REST), see verifyAnswer(). */
export const HEADER_ANSWER = 'X-WP401-Answer';
/** Response header: troubleshooting was refused or cut short, and why (method, body, endpoint, action, plugin-change). */
export const HEADER_TROUBLESHOOT_REFUSED = 'X-WP401-Troubleshoot-Refused';

/** Query parameter of the early door (the must-use loader): `?wp401_bridge=env|time|ledger` on the home URL. */
export const EARLY_DOOR_PARAM = 'wp401_bridge';

/** The largest clock correction the scanner applies to its signatures, seconds (warned above). */
export const MAX_CLOCK_CORRECTION_SECONDS = 600;

/** The response header as the engine keeps it (lower case). */
export const DROPPED_HEADER = HEADER_DROPPED.toLowerCase();

export const PROBE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A plugin-list header back to basenames; "-" and "" mean none. Sorted, so lists compare as sets. */
export function parsePluginList(value: string): string[] {
  const v = value.trim();
  if (v === '' || v === '-') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
}
