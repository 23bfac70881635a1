// Client for the wp401 bridge plugin's REST routes. Signs every request,
// turns each way of failing into a typed error, and keeps the key in a
// private field so it never shows up in inspection, logs or thrown values.

import { BridgeBlocked, BridgeNotInstalled, BridgeUnreachable, BridgeWrongKey } from './errors.js';
import { BRIDGE_NAMESPACE, PROBE_ID_PATTERN, SIGNATURE_WINDOW_SECONDS } from './protocol.js';
import { signRequest } from './sign.js';
import type { BridgeEnvironment, BridgeLedgerEntry, BridgeTime } from '../observations/bridge.js';

const MAX_LEDGER_IDS = 200;

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
  /** for tests */
  fetch?: typeof fetch;
  /** local clock, ms; for tests */
  now?: () => number;
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

function basicRealm(header: string | null): string | null {
  if (header === null || !/^\s*basic\b/i.test(header)) return null;
  const m = /realm\s*=\s*"([^"]*)"|realm\s*=\s*([^\s,]+)/i.exec(header);
  return m ? (m[1] ?? m[2] ?? '') : '';
}

export class BridgeClient {
  readonly #key: string;
  readonly #authorization: string | null;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly siteUrl: string;
  readonly restRoot: string;
  readonly timeoutMs: number;
  /** server clock minus ours, seconds, applied to signatures once measured as outside the window */
  clockOffsetSeconds = 0;

  constructor(options: BridgeClientOptions) {
    if (typeof options.key !== 'string' || options.key.length < 32) {
      throw new RangeError('The bridge key must be at least 32 characters (see Tools → wp401 on the site).');
    }
    const site = new URL(options.siteUrl);
    if (site.username !== '' || site.password !== '') {
      throw new RangeError('Pass site-wide basic-auth credentials as basicAuth, not in the URL.');
    }
    this.siteUrl = site.href;
    this.restRoot = options.restRoot ?? new URL('?rest_route=/', site).href;
    this.#key = options.key;
    this.#authorization = options.basicAuth
      ? `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`, 'utf8').toString('base64')}`
      : null;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** URL of a bridge route, e.g. routeUrl('/env'), in the style of restRoot. */
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
   * Signature headers for any request to the site (probes, troubleshooting
   * replays). Sign each hop separately: the path is part of the signature.
   */
  signHeaders(method: string, url: string | URL, body?: string | Uint8Array, extra: SignExtra = {}): Record<string, string> {
    const input: Parameters<typeof signRequest>[0] = {
      key: this.#key,
      method,
      url,
      timestamp: Math.floor(this.#now() / 1000) + this.clockOffsetSeconds,
    };
    if (body !== undefined) input.body = body;
    if (extra.probe !== undefined) input.probe = extra.probe;
    if (extra.troubleshoot !== undefined && extra.troubleshoot.length > 0) input.troubleshoot = extra.troubleshoot;
    return signRequest(input);
  }

  /** The environment report. */
  async env(): Promise<BridgeEnvironment> {
    return (await this.#get('/env')) as BridgeEnvironment;
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
      const body = (await this.#get('/ledger', { probe: batch.join(',') })) as { entries?: Record<string, BridgeLedgerEntry | null> };
      for (const id of batch) out[id] = body.entries?.[id] ?? null;
    }
    return out;
  }

  /** Server time and the skew between its clock and ours. */
  async time(): Promise<BridgeTime> {
    const started = this.#now();
    const body = (await this.#get('/time')) as { unixMs?: number; unix?: number };
    const ended = this.#now();
    const serverMs = typeof body.unixMs === 'number' ? body.unixMs : (body.unix ?? 0) * 1000;
    return { serverMs, skewMs: Math.round(serverMs - (started + ended) / 2), rttMs: ended - started };
  }

  async #get(route: string, query: Record<string, string> = {}): Promise<unknown> {
    try {
      return await this.#getOnce(route, query);
    } catch (error) {
      // A clock outside the window looks like a wrong key; correct once from the Date header and retry.
      if (error instanceof BridgeWrongKey && error.clockSkewSeconds !== null && this.clockOffsetSeconds === 0) {
        this.clockOffsetSeconds = error.clockSkewSeconds;
        return await this.#getOnce(route, query);
      }
      throw error;
    }
  }

  async #getOnce(route: string, query: Record<string, string>): Promise<unknown> {
    const url = this.routeUrl(route, query);
    const shown = publicUrl(url);
    const headers: Record<string, string> = { accept: 'application/json', ...this.signHeaders('GET', url) };
    if (this.#authorization !== null) headers.authorization = this.#authorization;

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
      const code = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : typeof cause?.code === 'string' ? cause.code : 'network';
      throw new BridgeUnreachable(shown, 0, code, code === 'timeout' ? `no answer within ${this.timeoutMs} ms` : `network error ${code}`);
    }

    const body = parseJson(text);
    const code = restCode(body);
    const status = response.status;
    if (status === 200 && body !== undefined && code === null) return body;

    if (status === 401 || status === 403) {
      const realm = basicRealm(response.headers.get('www-authenticate'));
      if (status === 401 && code === 'rest_forbidden' && realm === null) {
        throw new BridgeWrongKey(shown, this.#skewFromDate(response.headers.get('date')));
      }
      throw new BridgeBlocked(shown, status, { realm, restCode: code, server: response.headers.get('server') });
    }
    if (status === 404) {
      throw new BridgeNotInstalled(shown, status, code === 'rest_no_route' ? 'WordPress has no such REST route' : 'no WordPress REST answer at this address');
    }
    if (status >= 300 && status < 400) {
      throw new BridgeUnreachable(shown, status, 'redirect', `redirected to ${response.headers.get('location') ?? 'elsewhere'}; pass the final site URL`);
    }
    return this.#unexpected(shown, status, body === undefined ? 'the answer is not JSON' : `unexpected answer${code ? ` "${code}"` : ''}`);
  }

  #unexpected(url: string, status: number, detail: string): never {
    throw new BridgeUnreachable(url, status, 'unexpected-response', `HTTP ${status}: ${detail}`);
  }

  /** Seconds the server's Date header is ahead of us, when beyond the signature window. */
  #skewFromDate(date: string | null): number | null {
    if (date === null) return null;
    const server = Date.parse(date);
    if (Number.isNaN(server)) return null;
    const skew = Math.round((server - this.#now()) / 1000);
    return Math.abs(skew) > SIGNATURE_WINDOW_SECONDS - 30 ? skew : null;
  }

  /** Keep inspection and JSON free of secrets. */
  toJSON(): Record<string, unknown> {
    return { siteUrl: this.siteUrl, restRoot: this.restRoot, timeoutMs: this.timeoutMs };
  }
}
