// Client for the wp401 bridge plugin. Every request is signed; the answer is
// accepted only when the bridge signed it back (X-WP401-Answer), so a cache,
// a proxy or another site can never pass for the bridge. Each call tries the
// early door (the must-use loader, answering before any plugin runs) first,
// then the REST routes, and records which door answered. Each way of failing
// becomes a typed error, and the key stays in a private field so it never
// shows up in inspection, logs or thrown values.

import { randomBytes } from 'node:crypto';
import { parseWwwAuthenticate } from '../parse/www-authenticate.js';
import { BridgeBlocked, BridgeNotInstalled, BridgeRateLimited, BridgeUnreachable, BridgeWrongKey } from './errors.js';
import { parseLedgerEntry } from './parse.js';
import type { BridgeEnvironment, BridgeLedgerEntry, BridgeTime } from '../observations/bridge.js';
import {
  BRIDGE_KEY_MIN_LENGTH,
  BRIDGE_NAMESPACE,
  EARLY_DOOR_PARAM,
  HEADER_ANSWER,
  HEADER_NONCE,
  MAX_CLOCK_CORRECTION_SECONDS,
  PROBE_ID_PATTERN,
  UNCORRECTED_SKEW_SECONDS,
} from './protocol.js';
import { signRequest, verifyAnswer } from './sign.js';
const MAX_LEDGER_IDS = 200;

export type BridgeDoor = 'early' | 'rest';
export type BridgeRoute = 'env' | 'time' | 'ledger';

export interface BridgeClientOptions {
  /** the site's home URL */
  siteUrl: string;
  key: string;
  /**
   * REST root, e.g. "https://site/wp-json/" or "https://site/?rest_route=/".
   * Default: "<siteUrl>?rest_route=/", which works whatever the permalinks.
   */
  restRoot?: string;
  /** site-wide basic auth (the staging lock), sent as Authorization: Basic */
  basicAuth?: { user: string; password: string };
  /** per request; default 15 000 ms */
  timeoutMs?: number;
  /**
   * How a request reaches the site. A scan passes its request engine (same
   * TLS, --resolve, budget, redaction and probe record as every probe);
   * default: plain fetch with the timeout above.
   */
  transport?: BridgeTransport;
  /** for tests, with the default transport */
  fetch?: typeof fetch;
  /** local clock, ms; for tests */
  now?: () => number;
}

/** One answer as the client needs it: status (0: none), raw headers by lower-case name, the exact body bytes. */
export interface BridgeAnswer {
  status: number;
  header(name: string): string | null;
  bytes: Uint8Array;
  /** why no answer came (status 0): "timeout", a network error code… */
  failure?: { code: string };
}

/** Sends one signed GET (the headers are final) and returns the answer; never follows a redirect, never throws. */
export type BridgeTransport = (url: URL, headers: Record<string, string>) => Promise<BridgeAnswer>;

/** The default transport: fetch, no redirects, a timeout per request. */
export function fetchTransport(fetchImpl: typeof fetch, timeoutMs: number): BridgeTransport {
  return async (url, headers) => {
    try {
      const response = await fetchImpl(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, header: (name) => response.headers.get(name), bytes };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
      const code = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : typeof cause?.code === 'string' ? cause.code : 'network';
      return { status: 0, header: () => null, bytes: new Uint8Array(), failure: { code } };
    }
  };
}

export interface SignExtra {
  probe?: string;
  troubleshoot?: string[];
}

/** A URL without user info, for messages. */
function publicUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function restCode(body: unknown): string | null {
  if (body !== null && typeof body === 'object' && 'code' in body && typeof (body as { code: unknown }).code === 'string') {
    return (body as { code: string }).code;
  }
  return null;
}

function refusalReason(body: unknown): string {
  const data = body !== null && typeof body === 'object' ? (body as { data?: { reason?: unknown } }).data : undefined;
  return typeof data?.reason === 'string' ? data.reason : 'refused';
}

/** The realm of a Basic challenge ("" without one); null when the answer carries none. */
function basicRealm(header: string | null): string | null {
  const basic = parseWwwAuthenticate(header === null ? [] : [header]).find((c) => /^basic$/i.test(c.scheme));
  return basic ? (basic.realm ?? '') : null;
}

/** One call through one door: the bridge's own (signed) answer, or what came back instead. */
type Attempt =
  | { kind: 'answer'; status: number; body: unknown; url: string }
  | { kind: 'other'; status: number; body: unknown; text: string; header: (name: string) => string | null; url: string }
  | { kind: 'network'; error: BridgeUnreachable };

export class BridgeClient {
  readonly #key: string;
  readonly #authorization: string | null;
  readonly #transport: BridgeTransport;
  readonly #now: () => number;
  readonly #host: string;
  #clockChecked = false;
  readonly siteUrl: string;
  readonly restRoot: string;
  readonly timeoutMs: number;
  /** server clock minus ours, seconds, applied to signatures; capped at ±MAX_CLOCK_CORRECTION_SECONDS */
  clockOffsetSeconds = 0;
  /** which door answered the last call of each route */
  readonly doors: Partial<Record<BridgeRoute, BridgeDoor>> = {};
  /** things the user should know (a clock too far off to correct) */
  readonly warnings: string[] = [];

  constructor(options: BridgeClientOptions) {
    if (typeof options.key !== 'string' || options.key.length < BRIDGE_KEY_MIN_LENGTH) {
      throw new RangeError(`The bridge key must be at least ${BRIDGE_KEY_MIN_LENGTH} characters (see Tools → wp401 on the site).`);
    }
    const site = new URL(options.siteUrl);
    if (site.username !== '' || site.password !== '') {
      throw new RangeError('Pass site-wide basic-auth credentials as basicAuth, not in the URL.');
    }
    this.siteUrl = site.href;
    this.#host = site.hostname;
    this.restRoot = options.restRoot ?? new URL('?rest_route=/', site).href;
    this.#key = options.key;
    this.#authorization = options.basicAuth
      ? `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`, 'utf8').toString('base64')}`
      : null;
    this.#now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.#transport = options.transport ?? fetchTransport(options.fetch ?? fetch, this.timeoutMs);
  }

  /** URL of a bridge REST route, e.g. routeUrl('/env'), in the style of restRoot. */
  routeUrl(route: string, query: Record<string, string> = {}): URL {
    const root = new URL(this.restRoot);
    const restRoute = root.searchParams.get('rest_route');
    let url: URL;
    if (restRoute !== null) {
      url = new URL(root.href);
      url.searchParams.set('rest_route', `${restRoute.replace(/\/$/, '')}/${BRIDGE_NAMESPACE}${route}`);
    } else {
      url = new URL(`${BRIDGE_NAMESPACE}${route}`, root.href.endsWith('/') ? root.href : `${root.href}/`);
    }
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  /**
   * URL of the early door for a route: the home URL with ?wp401_bridge=<route>
   * and a random part, so that a page cache keyed by URL (one that ignores
   * Cache-Control and DONOTCACHEPAGE) never serves an answer to anyone else.
   */
  earlyUrl(route: BridgeRoute, query: Record<string, string> = {}): URL {
    const url = new URL(this.siteUrl);
    url.search = '';
    url.searchParams.set(EARLY_DOOR_PARAM, route);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    url.searchParams.set('wp401_n', randomBytes(9).toString('base64url'));
    return url;
  }

  /**
   * Signature headers for any request to the site (probes, troubleshooting
   * replays). Sign each hop separately: host and path are part of the
   * signature. Only the site's own host is ever signed for: for any other
   * host this returns no headers at all, so nothing made with the key leaves
   * the target.
   */
  signHeaders(method: string, url: string | URL, body?: string | Uint8Array, extra: SignExtra = {}): Record<string, string> {
    const target = typeof url === 'string' ? new URL(url) : url;
    if (target.hostname !== this.#host) return {};
    const input: Parameters<typeof signRequest>[0] = {
      key: this.#key,
      method,
      url: target,
      timestamp: Math.floor(this.#now() / 1000) + this.clockOffsetSeconds,
    };
    if (body !== undefined) input.body = body;
    if (extra.probe !== undefined) input.probe = extra.probe;
    if (extra.troubleshoot !== undefined && extra.troubleshoot.length > 0) input.troubleshoot = extra.troubleshoot;
    return signRequest(input);
  }

  /**
   * The environment report. The early door answers before plugins load, so
   * its report cannot say which plugin hooked what; when REST also answers,
   * its complete report is used instead.
   */
  async env(): Promise<BridgeEnvironment> {
    const early = (await this.#get('env')) as BridgeEnvironment;
    if (this.doors.env !== 'early' || (early.bridge as { hooksComplete?: unknown }).hooksComplete !== false) return early;
    try {
      const full = (await this.#through('rest', 'env', {})) as BridgeEnvironment | null;
      if (full !== null) {
        this.doors.env = 'rest';
        return full;
      }
    } catch {
      // REST refused (that is why the early door exists): the early report stands.
    }
    this.doors.env = 'early';
    return early;
  }

  /** Ledger entries by probe id; null when the probe never reached PHP (or was not validly signed). */
  async ledger(ids: readonly string[]): Promise<Record<string, BridgeLedgerEntry | null>> {
    const unique = [...new Set(ids)];
    for (const id of unique) {
      if (!PROBE_ID_PATTERN.test(id)) throw new RangeError(`Invalid probe id "${id}"`);
    }
    const out: Record<string, BridgeLedgerEntry | null> = {};
    for (let i = 0; i < unique.length; i += MAX_LEDGER_IDS) {
      const batch = unique.slice(i, i + MAX_LEDGER_IDS);
      if (batch.length === 0) continue;
      const body = (await this.#get('ledger', { probe: batch.join(',') })) as { entries?: Record<string, unknown> };
      for (const id of batch) out[id] = parseLedgerEntry(body.entries?.[id]);
    }
    return out;
  }

  /** Server time and the skew between its clock and ours (the bridge answers /time even when our clock is off). */
  async time(): Promise<BridgeTime> {
    const started = this.#now();
    const body = (await this.#get('time', {}, false)) as { unixMs?: number; unix?: number };
    const ended = this.#now();
    const serverMs = typeof body.unixMs === 'number' ? body.unixMs : (body.unix ?? 0) * 1000;
    return { serverMs, skewMs: Math.round(serverMs - (started + ended) / 2), rttMs: ended - started };
  }

  /**
   * Measure the server's clock with the bridge's signed /time and correct our
   * signatures when it is outside the window. The correction is capped at
   * ±10 minutes (a warning says so): a wildly different clock is a problem to
   * fix, and adopting it would make signatures that stay valid for later.
   */
  async syncClock(): Promise<BridgeTime> {
    this.#clockChecked = true;
    const t = await this.time();
    const skew = Math.round(t.skewMs / 1000);
    if (Math.abs(skew) <= UNCORRECTED_SKEW_SECONDS) return t;
    const capped = Math.max(-MAX_CLOCK_CORRECTION_SECONDS, Math.min(MAX_CLOCK_CORRECTION_SECONDS, skew));
    this.clockOffsetSeconds = capped;
    if (capped !== skew) {
      this.warnings.push(
        `The site's clock differs from ours by ${skew} s; signatures are corrected by at most ${MAX_CLOCK_CORRECTION_SECONDS} s, so the bridge will refuse them. Fix the server's (or this machine's) clock.`,
      );
    }
    return t;
  }

  async #get(route: BridgeRoute, query: Record<string, string> = {}, syncFirst = true): Promise<unknown> {
    if (syncFirst && !this.#clockChecked) {
      try {
        await this.syncClock();
      } catch {
        // The route itself will say what is wrong.
      }
    }
    const early = await this.#attempt('early', route, query);
    if (early.kind === 'answer') {
      this.doors[route] = 'early';
      return this.#accept(early);
    }
    const rest = await this.#attempt('rest', route, query);
    if (rest.kind === 'answer') {
      this.doors[route] = 'rest';
      return this.#accept(rest);
    }
    if (rest.kind === 'network') throw rest.error;
    return this.#classify(rest, early);
  }

  /** One door only; null when that door did not answer as the bridge. */
  async #through(door: BridgeDoor, route: BridgeRoute, query: Record<string, string>): Promise<unknown> {
    const a = await this.#attempt(door, route, query);
    return a.kind === 'answer' ? this.#accept(a) : null;
  }

  #accept(a: Extract<Attempt, { kind: 'answer' }>): unknown {
    if (a.status === 200) return a.body;
    if (a.status === 429) throw new BridgeRateLimited(a.url);
    if (a.status === 401) throw new BridgeWrongKey(a.url, null, refusalReason(a.body));
    return this.#unexpected(a.url, a.status, `the bridge answered "${restCode(a.body) ?? 'error'}"`);
  }

  async #attempt(door: BridgeDoor, route: BridgeRoute, query: Record<string, string>): Promise<Attempt> {
    const url = door === 'early' ? this.earlyUrl(route, query) : this.routeUrl(`/${route}`, query);
    const shown = publicUrl(url);
    const signed = this.signHeaders('GET', url);
    const nonce = signed[HEADER_NONCE] ?? '';
    const headers: Record<string, string> = { accept: 'application/json', ...signed };
    if (this.#authorization !== null) headers.authorization = this.#authorization;
    const answer = await this.#transport(url, headers);
    if (answer.status === 0) {
      const code = answer.failure?.code ?? 'network';
      return { kind: 'network', error: new BridgeUnreachable(shown, 0, code, code === 'timeout' ? `no answer within ${this.timeoutMs} ms` : `network error ${code}`) };
    }
    const bytes = answer.bytes;
    const text = Buffer.from(bytes).toString('utf8');
    const body = parseJson(text);
    if (nonce !== '' && verifyAnswer(this.#key, nonce, answer.status, bytes, answer.header(HEADER_ANSWER))) {
      return { kind: 'answer', status: answer.status, body, url: shown };
    }
    return { kind: 'other', status: answer.status, body, text, header: answer.header, url: shown };
  }

  /** Neither door answered as the bridge: say who answered instead. */
  #classify(rest: Extract<Attempt, { kind: 'other' }>, early: Attempt): never {
    const { status, body, url } = rest;
    const code = restCode(body);
    if (status === 401 || status === 403) {
      const realm = basicRealm(rest.header('www-authenticate'));
      // wp_die()'s default handler writes <body id="error-page"> (wp-includes/functions.php, _default_wp_die_handler)
      throw new BridgeBlocked(url, status, { realm, restCode: code, server: rest.header('server'), wpDie: /<body[^>]*id=["']?error-page/i.test(rest.text) });
    }
    if (status === 404) {
      const earlyStatus = early.kind === 'other' ? early.status : 0;
      throw new BridgeNotInstalled(
        url,
        status,
        `${code === 'rest_no_route' ? 'WordPress has no such REST route' : 'no WordPress REST answer at this address'}; the early door answered HTTP ${earlyStatus} without the bridge's signature — the plugin is not active, or it does not accept this key (a wrong key looks exactly like no bridge)`,
      );
    }
    if (status >= 300 && status < 400) {
      throw new BridgeUnreachable(url, status, 'redirect', `redirected to ${rest.header('location') ?? 'elsewhere'}; pass the final site URL`);
    }
    if (status === 200) {
      throw new BridgeUnreachable(url, status, 'unsigned-answer', 'an answer without the bridge\'s signature (a cache, a proxy or another application answered)');
    }
    return this.#unexpected(url, status, body === undefined ? 'the answer is not JSON' : `unexpected answer${code ? ` "${code}"` : ''}`);
  }

  #unexpected(url: string, status: number, detail: string): never {
    throw new BridgeUnreachable(url, status, 'unexpected-response', `HTTP ${status}: ${detail}`);
  }

  /** Keep inspection and JSON free of secrets. */
  toJSON(): Record<string, unknown> {
    return { siteUrl: this.siteUrl, restRoot: this.restRoot, timeoutMs: this.timeoutMs };
  }
}
