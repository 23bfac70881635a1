// Listen to the DevTools protocol's network events and keep, per request hop,
// what explains a login: status, a few cache/server headers, which cookies
// were set (judged at once, values dropped), which were refused and why, and
// which were sent or kept off the request.

import type { CDPSession, Protocol } from 'puppeteer-core';
import { judgeSetCookie } from '../parse/set-cookie.js';
import { refusalOf } from './cookie-facts.js';
import type { Scrubber } from './scrub.js';
import { CACHE_MARK_HEADERS, PROXY_HEADERS } from '../facts/marks.js';
import type { CookieNotSent, NavigationHop, SetCookieSeen } from '../observations/browser.js';

// Headers that say who answered and whether it came from a cache.
const EXPLAINING: readonly string[] = [...CACHE_MARK_HEADERS, ...PROXY_HEADERS, 'cache-control', 'server', 'www-authenticate', 'retry-after'];

// Scoping by host and path is how cookies are meant to work; these refusals are not evidence.
const ORDINARY_NOT_SENT = new Set(['NotOnPath', 'DomainMismatch']);

export interface LoggedHop {
  requestId: string;
  method: string;
  url: string;
  type: string;
  frameId: string | null;
  status: number;
  location?: string;
  headers: Record<string, string>;
  setCookies: SetCookieSeen[];
  sent: string[];
  fromDiskCache: boolean;
  responded: boolean;
  hasRespExtra: boolean;
  hasReqExtra: boolean;
}

type RespExtra = Protocol.Network.ResponseReceivedExtraInfoEvent;
type ReqExtra = Protocol.Network.RequestWillBeSentExtraInfoEvent;

function headerValues(headers: Record<string, string>, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) out.push(...String(v).split('\n'));
  return out;
}

export class NetworkLog {
  readonly hops: LoggedHop[] = [];
  readonly #byId = new Map<string, LoggedHop[]>();
  readonly #pendingResp = new Map<string, RespExtra[]>();
  readonly #pendingReq = new Map<string, ReqExtra[]>();
  readonly #notSent = new Map<string, CookieNotSent>();
  readonly #scrub: Scrubber;
  mainFrameId: string | null = null;

  constructor(scrub: Scrubber) {
    this.#scrub = scrub;
  }

  attach(client: CDPSession): void {
    client.on('Network.requestWillBeSent', (e) => this.#onRequest(e));
    client.on('Network.responseReceived', (e) => this.#onResponse(e));
    client.on('Network.responseReceivedExtraInfo', (e) => this.#onRespExtra(e));
    client.on('Network.requestWillBeSentExtraInfo', (e) => this.#onReqExtra(e));
  }

  #onRequest(e: Protocol.Network.RequestWillBeSentEvent): void {
    const list = this.#byId.get(e.requestId) ?? [];
    if (e.redirectResponse) {
      const prev = list[list.length - 1];
      if (prev) this.#fillResponse(prev, e.redirectResponse);
    }
    const hop: LoggedHop = {
      requestId: e.requestId,
      method: e.request.method,
      url: e.request.url,
      type: e.type ?? 'Other',
      frameId: e.frameId ?? null,
      status: 0,
      headers: {},
      setCookies: [],
      sent: [],
      fromDiskCache: false,
      responded: false,
      hasRespExtra: false,
      hasReqExtra: false,
    };
    list.push(hop);
    this.#byId.set(e.requestId, list);
    this.hops.push(hop);
    // ExtraInfo events may come before the hop they belong to.
    const reqQ = this.#pendingReq.get(e.requestId);
    while (reqQ?.length && this.#nextWithout(list, 'hasReqExtra')) this.#applyReqExtra(reqQ.shift() as ReqExtra);
    const respQ = this.#pendingResp.get(e.requestId);
    while (respQ?.length && this.#nextWithout(list, 'hasRespExtra')) this.#applyRespExtra(respQ.shift() as RespExtra);
  }

  #fillResponse(hop: LoggedHop, r: Protocol.Network.Response): void {
    hop.responded = true;
    hop.status = r.status;
    hop.fromDiskCache = Boolean(r.fromDiskCache);
    for (const [k, v] of Object.entries(r.headers ?? {})) {
      const key = k.toLowerCase();
      if (EXPLAINING.includes(key)) hop.headers[key] = String(v).slice(0, 200);
      if (key === 'location') hop.location = String(v);
    }
  }

  #onResponse(e: Protocol.Network.ResponseReceivedEvent): void {
    const list = this.#byId.get(e.requestId);
    const hop = list?.[list.length - 1];
    if (hop) this.#fillResponse(hop, e.response);
  }

  #nextWithout(list: LoggedHop[], flag: 'hasRespExtra' | 'hasReqExtra'): LoggedHop | undefined {
    return list.find((h) => !h[flag]);
  }

  #onRespExtra(e: RespExtra): void {
    const list = this.#byId.get(e.requestId);
    if (list && this.#nextWithout(list, 'hasRespExtra')) this.#applyRespExtra(e);
    else this.#pendingResp.set(e.requestId, [...(this.#pendingResp.get(e.requestId) ?? []), e]);
  }

  #onReqExtra(e: ReqExtra): void {
    const list = this.#byId.get(e.requestId);
    if (list && this.#nextWithout(list, 'hasReqExtra')) this.#applyReqExtra(e);
    else this.#pendingReq.set(e.requestId, [...(this.#pendingReq.get(e.requestId) ?? []), e]);
  }

  #applyRespExtra(e: RespExtra): void {
    const list = this.#byId.get(e.requestId) ?? [];
    const hop = this.#nextWithout(list, 'hasRespExtra');
    if (!hop) return;
    hop.hasRespExtra = true;
    if (!hop.status && e.statusCode) hop.status = e.statusCode;
    const blocked = e.blockedCookies ?? [];
    // The raw lines hold cookie values: judged here, then let go.
    for (const line of headerValues(e.headers, 'set-cookie')) {
      if (!line.trim()) continue;
      const j = judgeSetCookie(line, hop.url, { loopbackIsSecure: false });
      const refused = blocked.find((b) => b.cookieLine === line);
      const browserReasons = refused ? [...refused.blockedReasons] : [];
      hop.setCookies.push({
        name: j.name ?? '(unparseable)',
        url: this.#scrub.url(hop.url),
        status: e.statusCode,
        wordpress: j.wordpress,
        domain: j.domain,
        path: j.path,
        secure: j.secure,
        httpOnly: j.httpOnly,
        sameSite: j.sameSite,
        clearing: j.clearing,
        blocked: refused !== undefined,
        browserReasons,
        reason: refused ? refusalOf(browserReasons) : null,
        problems: j.problems.map((p) => p.code).filter((c) => c !== 'path-mismatch'),
      });
    }
  }

  #applyReqExtra(e: ReqExtra): void {
    const list = this.#byId.get(e.requestId) ?? [];
    const hop = this.#nextWithout(list, 'hasReqExtra');
    if (!hop) return;
    hop.hasReqExtra = true;
    for (const a of e.associatedCookies ?? []) {
      const reasons = a.blockedReasons ?? [];
      if (reasons.length === 0) {
        hop.sent.push(a.cookie.name);
        continue;
      }
      if (reasons.every((r) => ORDINARY_NOT_SENT.has(r))) continue;
      const key = `${a.cookie.name}\u0000${reasons.join(',')}`;
      const seen = this.#notSent.get(key);
      if (seen) seen.count++;
      else this.#notSent.set(key, { name: a.cookie.name, url: this.#scrub.url(hop.url), browserReasons: [...reasons], reason: refusalOf(reasons), count: 1 });
    }
  }

  /** Index to pass to navigations() later. */
  mark(): number {
    return this.hops.length;
  }

  /** Main-frame document hops since a mark, as recorded data. */
  navigations(from = 0): NavigationHop[] {
    return this.hops
      .slice(from)
      .filter((h) => h.type === 'Document' && (this.mainFrameId === null || h.frameId === this.mainFrameId))
      .map((h) => this.toNavigationHop(h));
  }

  toNavigationHop(h: LoggedHop): NavigationHop {
    const hop: NavigationHop = {
      method: h.method,
      url: this.#scrub.url(h.url),
      status: h.status,
      setCookies: h.setCookies.map((c) => c.name),
      sentCookies: [...new Set(h.sent)],
      headers: { ...h.headers },
    };
    if (h.location) hop.location = this.#scrub.url(h.location);
    if (h.fromDiskCache) hop.fromDiskCache = true;
    return hop;
  }

  /** Every Set-Cookie seen, in order. */
  setCookies(): SetCookieSeen[] {
    return this.hops.flatMap((h) => h.setCookies);
  }

  notSent(): CookieNotSent[] {
    return [...this.#notSent.values()];
  }
}
