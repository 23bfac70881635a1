// Typed failures of the bridge client. None of them ever carries the key,
// the signature or the site-wide basic-auth password.

export type BridgeErrorKind = 'not-installed' | 'wrong-key' | 'blocked' | 'unreachable' | 'rate-limited';

export class BridgeError extends Error {
  readonly kind: BridgeErrorKind;
  /** HTTP status, 0 when no answer arrived */
  readonly status: number;
  readonly url: string;

  constructor(kind: BridgeErrorKind, message: string, status: number, url: string) {
    super(message);
    this.name = 'BridgeError';
    this.kind = kind;
    this.status = status;
    this.url = url;
  }
}

/** WordPress answered rest_no_route (or the REST API is not where we looked). */
export class BridgeNotInstalled extends BridgeError {
  constructor(url: string, status: number, detail: string) {
    super('not-installed', `The wp401 bridge plugin does not answer at ${url} (${detail}). Install and activate it.`, status, url);
    this.name = 'BridgeNotInstalled';
  }
}

/** The bridge refused the signature (it said why, because the key was right but something else was not). */
export class BridgeWrongKey extends BridgeError {
  /** the bridge's reason: expired (clock), replayed, … */
  readonly reason: string;
  /** server clock minus ours, when known to be outside the signature window */
  readonly clockSkewSeconds: number | null;

  constructor(url: string, clockSkewSeconds: number | null, reason = 'refused') {
    super(
      'wrong-key',
      reason === 'expired'
        ? `The wp401 bridge at ${url} refused the signature's timestamp: the server clock and ours differ by more than the 300 s window${clockSkewSeconds === null ? '' : ` (${clockSkewSeconds} s)`}.`
        : `The wp401 bridge refused the signature at ${url} (${reason}): check WP401_BRIDGE_KEY against Tools → wp401 on the site.`,
      401,
      url,
    );
    this.name = 'BridgeWrongKey';
    this.reason = reason;
    this.clockSkewSeconds = clockSkewSeconds;
  }
}

/** The key made more signed requests than the bridge allows in ten minutes (HTTP 429). */
export class BridgeRateLimited extends BridgeError {
  constructor(url: string) {
    super('rate-limited', `The wp401 bridge at ${url} answered 429: too many signed requests with this key in ten minutes. Wait a minute, or regenerate the key on Tools → wp401.`, 429, url);
    this.name = 'BridgeRateLimited';
  }
}

/** A 401/403 that did not come from the bridge: server/proxy auth, or another plugin. */
export class BridgeBlocked extends BridgeError {
  /** realm of a WWW-Authenticate: Basic challenge, if any */
  readonly realm: string | null;
  /** WordPress REST error code when a plugin (not the bridge) refused */
  readonly restCode: string | null;
  readonly server: string | null;
  /** the refusal is WordPress's own wp_die() page: WordPress (a plugin) answered, not the server */
  readonly wpDie: boolean;

  constructor(url: string, status: number, details: { realm: string | null; restCode: string | null; server: string | null; wpDie?: boolean }) {
    const who =
      details.realm !== null
        ? `a Basic authentication challenge (realm "${details.realm}")`
        : details.restCode !== null
          ? `WordPress error "${details.restCode}" from another plugin`
          : details.wpDie
            ? "WordPress's wp_die() page (a plugin stopped the request)"
            : `the ${details.server ?? 'web server or proxy'}`;
    super('blocked', `The request to the wp401 bridge at ${url} was refused with HTTP ${status} by ${who} before it reached the plugin.`, status, url);
    this.name = 'BridgeBlocked';
    this.realm = details.realm;
    this.restCode = details.restCode;
    this.server = details.server;
    this.wpDie = details.wpDie === true;
  }
}

/** No usable answer: network failure, timeout, 5xx, or something that is not the bridge. */
export class BridgeUnreachable extends BridgeError {
  readonly code: string;

  constructor(url: string, status: number, code: string, detail: string) {
    super('unreachable', `The wp401 bridge at ${url} could not be reached (${detail}).`, status, url);
    this.name = 'BridgeUnreachable';
    this.code = code;
  }
}
