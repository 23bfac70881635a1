// Public types of the request engine.

import type { LookupFunction } from 'node:net';
import type { CookieJar } from 'tough-cookie';
import type { AuthMode, Probe } from '../model.js';
import type { SummarizeBody } from './body.js';
import type { ImportedCookie, ImportResult } from './cookies.js';
import type { Redactor } from '../redact.js';

import type { HopEvent } from '../observations/progress.js';

export type { HopEvent };

export interface EngineHooks {
  /** Extra headers for a request (the bridge signature). Called per hop, and only for the probe's own origin. */
  signHeaders?(method: string, url: string, body: string, ctx: { probeId: string; pluginsOff: readonly string[] }): Record<string, string>;
  /** Told of each hop as it starts and ends (progress, --verbose). The URL is redacted; a throwing observer is ignored. */
  onHop?(event: HopEvent): void;
}


export interface EngineOptions {
  /** per request (one hop), total including the body; default 15000 */
  timeoutMs?: number;
  /** body bytes kept for the final answer; default 4 MiB */
  maxBodyBytes?: number;
  /** past maxBodyBytes the body is still counted up to this hard cap, then the connection is dropped; default 4 × maxBodyBytes */
  drainLimitBytes?: number;
  /** default 10 */
  maxRedirects?: number;
  /** probes in flight at once, at most; default 4 */
  concurrency?: number;
  /**
   * back off below `concurrency` when answers slow down as more requests are
   * in flight (src/http/adaptive.ts); default true
   */
  adaptive?: boolean;
  /** minimum time between two request starts; default 0 */
  minIntervalMs?: number;
  /** requests sent (every hop and retry counts); past it probes fail with `budget-exhausted`; default 500 */
  maxRequests?: number;
  /** accept certificates that do not verify (self-signed staging); default false */
  insecure?: boolean;
  /** extra trusted CA certificate(s), PEM */
  ca?: string | string[];
  /** default `wp401/<version> (+https://github.com/wp401)` */
  userAgent?: string;
  /** wait for a 429/503 Retry-After and retry once when the wait is at most this; default 10000 */
  retryAfterMaxMs?: number;
  /** aborting it ends every probe quickly with error `aborted` */
  signal?: AbortSignal;
  hooks?: EngineHooks;
  /** fills title/pageKind/restError/excerpt of the final body; plugged in by the parsers module */
  summarizeBody?: SummarizeBody;
  /** secrets to scrub by value from everything recorded (passwords, keys) */
  secrets?: string[];
  /** host name → IP address, like curl --resolve; skips DNS for those names */
  resolve?: Record<string, string>;
  /** probe ids are this prefix and a counter (p001…); a second engine of one scan takes another prefix */
  idPrefix?: string;
  /** DNS lookup used for every other name (tests, custom resolvers) */
  lookup?: LookupFunction;
}

export type ProbeMethod = 'GET' | 'HEAD' | 'POST' | 'OPTIONS';

export interface ProbeRequest {
  /** which prober made it (e.g. "anon", "app-password", "crawl") */
  source: string;
  /**
   * On the scan's longest chain (the login, then its nonce, which must age):
   * it waits for a free slot ahead of the requests already waiting, never past
   * the concurrency limit.
   */
  first?: boolean;
  method?: ProbeMethod;
  url: string;
  /** which credential the probe carries; default 'none' */
  auth?: AuthMode;
  headers?: Record<string, string>;
  /** plugin basenames the companion plugin is asked to leave out of this request only; the signing hook turns them into its header */
  pluginsOff?: string[];
  /** the request carries its own bridge signature (a call to the bridge itself): the signing hook stays out */
  ownSignature?: boolean;
  /** receives the final answer's exact body bytes (bounded like every body) and its raw headers; neither is recorded */
  onAnswer?: (bytes: Uint8Array, header: (name: string) => string | null) => void;
  credentials?: { basic?: { user: string; password: string } };
  /** the login form (sent url-encoded), or a raw body such as an XML-RPC call; never recorded. `secrets` are redacted wherever they echo back. */
  body?: { form: Record<string, string> } | { raw: string; contentType: string; secrets: string[] };
  /** send and store jar cookies; default true */
  useJar?: boolean;
  /** default true */
  followRedirects?: boolean;
  /** after a final 401: refresh a credential. Called at most once; its headers are merged in and the probe retried once. */
  onUnauthorized?: () => Promise<Record<string, string> | null>;
}

/** What the engine noticed beyond the Probe model (cookie verdicts, stripped credentials, retries). Redacted. */
export type ProbeNote =
  | { probe: string; kind: 'cookie-rejected'; hop: number; url: string; cookie: string; reason: string }
  | { probe: string; kind: 'credentials-stripped'; hop: number; from: string; to: string; headers: string[] }
  | { probe: string; kind: 'retry-after'; retryAfter: string; waitMs: number | null; honoured: boolean }
  | { probe: string; kind: 'retry'; of: string; reason: 'retry-after' | 'unauthorized' }
  | { probe: string; kind: 'unauthorized-refresh'; refreshed: boolean; error?: string }
  | { probe: string; kind: 'hook-error'; hook: 'signHeaders' | 'summarizeBody' | 'onUnauthorized'; message: string };

export interface Engine {
  probe(req: ProbeRequest): Promise<Probe>;
  /** every probe made, in order of creation */
  probes(): Probe[];
  /** notes, for one probe or all */
  notes(probeId?: string): ProbeNote[];
  readonly jar: CookieJar;
  readonly redactor: Redactor;
  /** requests sent so far (against maxRequests) */
  readonly requestsSent: number;
  importCookies(cookies: ImportedCookie[], url: string): Promise<ImportResult>;
  /** how many requests were allowed in flight, and how that changed */
  concurrency(): ConcurrencyReport;
  /** close pooled connections */
  close(): Promise<void>;
  /**
   * Keep `slots` of the concurrency limit for requests the engine does not
   * make (the browser's) until `until` settles: probes then share the rest,
   * and always keep one place (Limiter.reserve).
   */
  reserve(slots: number, until: Promise<unknown>): void;
}

/** What the engine's limiter did: for the result's notes and the benchmarks. */
export interface ConcurrencyReport {
  /** the configured ceiling */
  max: number;
  /** the limit at the end */
  final: number;
  /** the most probes that were in flight at once */
  peak: number;
  adaptive: boolean;
  changes: { atMs: number; from: number; to: number; reason: string }[];
}
