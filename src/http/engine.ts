// The request engine: every HTTP request the scanner makes goes through here
// and comes out as a redacted Probe. It follows redirects itself (to record
// each hop and keep credentials on their origin), keeps a cookie jar, bounds
// time, body size, concurrency and request count, and never throws: every
// failure is recorded as `probe.error`.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { EventEmitter } from 'node:events';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CookieJar } from 'tough-cookie';
import { Agent, request } from 'undici';
import { LatePool } from './late-pool.js';
import type { BodySummary, HeaderMap, Probe } from '../model.js';
import { type BodyRead, decodeText, readBounded } from './body.js';
import { importCookies, storeSetCookies } from './cookies.js';
import { classifyError, type EngineError, type EngineErrorCode } from './errors.js';
import { createAdaptiveLimiter } from './adaptive.js';
import { createLimiter, createPacer, sleep } from './limiter.js';
import { createRedactor, isSecretHeader, isSecretParam, type Redactor } from '../redact.js';
import { parseRetryAfter } from './retry-after.js';
import type { Engine, EngineOptions, HopEvent, ProbeNote, ProbeRequest } from './types.js';
import { DEFAULT_USER_AGENT } from './version.js';

const MiB = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** how much of a redirect's own body is read before the connection is dropped */
const REDIRECT_BODY_DRAIN = 64 * 1024;
/** cookie values at least this long are treated as session tokens and scrubbed by value too */
const TOKEN_COOKIE_LENGTH = 16;

type Settings = Required<Omit<EngineOptions, 'signal' | 'hooks' | 'summarizeBody' | 'secrets' | 'resolve' | 'lookup' | 'ca' | 'idPrefix'>>;

function settingsOf(opts: EngineOptions): Settings {
  const num = (v: number | undefined, d: number, min = 0) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : d);
  const maxBodyBytes = num(opts.maxBodyBytes, 4 * MiB);
  return {
    timeoutMs: num(opts.timeoutMs, 15_000, 1),
    maxBodyBytes,
    drainLimitBytes: Math.max(num(opts.drainLimitBytes, 4 * maxBodyBytes), maxBodyBytes),
    maxRedirects: num(opts.maxRedirects, 10),
    concurrency: num(opts.concurrency, 4, 1),
    adaptive: opts.adaptive !== false,
    minIntervalMs: num(opts.minIntervalMs, 0),
    maxRequests: num(opts.maxRequests, 500),
    insecure: opts.insecure === true,
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    retryAfterMaxMs: num(opts.retryAfterMaxMs, 10_000),
  };
}

function makeLookup(resolve: Record<string, string> | undefined, fallback: LookupFunction | undefined): LookupFunction | undefined {
  if (!resolve && !fallback) return undefined;
  const table = new Map(Object.entries(resolve ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const base = fallback ?? (dnsLookup as unknown as LookupFunction);
  return (hostname, options, callback) => {
    const address = table.get(hostname.toLowerCase());
    if (address === undefined) return base(hostname, options, callback);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function lowerKeys(headers: Record<string, string> | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

function headerList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

interface HopResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  read: BodyRead;
  error?: EngineError;
}

export function createEngine(opts: EngineOptions = {}): Engine {
  const s = settingsOf(opts);
  const redactor: Redactor = createRedactor(opts.secrets ?? []);
  const jar = new CookieJar();
  const started = Date.now();
  const adaptive = s.adaptive ? createAdaptiveLimiter(s.concurrency) : null;
  const limiter = adaptive ?? createLimiter(s.concurrency);
  const pace = createPacer(s.minIntervalMs);
  const lookup = makeLookup(opts.resolve, opts.lookup);
  const connect = {
    rejectUnauthorized: !s.insecure,
    timeout: s.timeoutMs,
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(lookup ? { lookup } : {}),
  };
  // Requests are bound to connections late (src/http/late-pool.ts).
  const agent = new Agent({
    factory: (origin) => new LatePool(origin, { connect, headersTimeout: s.timeoutMs, bodyTimeout: s.timeoutMs, maxConnections: s.concurrency }),
  });
  const all: Probe[] = [];
  const notes: ProbeNote[] = [];
  let counter = 0;
  let sent = 0;

  const note = (n: ProbeNote) => notes.push(n);
  const fail = (code: EngineErrorCode, message: string): EngineError => ({ code, message: redactor.scrub(message) });
  const observe = (event: HopEvent): void => {
    try {
      opts.hooks?.onHop?.(event);
    } catch {
      // An observer (progress, --verbose) never changes a scan.
    }
  };

  /** Register every credential a request carries, so its value is scrubbed wherever it turns up. */
  function registerSecrets(headers: Record<string, string>, form?: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) {
      if (name === 'cookie') {
        for (const pair of value.split(';')) redactor.addSecret(pair.slice(pair.indexOf('=') + 1).trim());
      } else if (isSecretHeader(name)) {
        redactor.addSecret(value);
        const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(value);
        if (m?.[2]) {
          redactor.addSecret(m[2]);
          if (m[1]?.toLowerCase() === 'basic') {
            const decoded = Buffer.from(m[2], 'base64').toString('utf8');
            redactor.addSecret(decoded);
            redactor.addSecret(decoded.slice(decoded.indexOf(':') + 1));
          }
        }
      }
    }
    for (const [name, value] of Object.entries(form ?? {})) if (isSecretParam(name)) redactor.addSecret(value);
  }

  /** One request on the wire, bounded by timeoutMs from connect to the body's last byte. */
  async function sendOnce(url: URL, method: string, headers: Record<string, string>, body: string | undefined, followRedirects: boolean): Promise<HopResult> {
    // undici accepts an EventEmitter as its abort signal; it is much cheaper than an AbortController per request.
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, s.timeoutMs);
    const onAbort = () => abort.emit('abort');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const why = (err: unknown): EngineError =>
      timedOut
        ? fail('timeout', `no complete answer within ${s.timeoutMs} ms`)
        : opts.signal?.aborted
          ? fail('aborted', 'the scan was interrupted')
          : ((e) => fail(e.code, e.message))(classifyError(err));
    try {
      const res = await request(url, { dispatcher: agent, method, headers, body, signal: abort });
      // A redirect's own body is thrown away; only a final answer's body is kept.
      const redirect = followRedirects && REDIRECT_STATUSES.has(res.statusCode) && res.headers.location !== undefined;
      const keep = redirect ? 0 : s.maxBodyBytes;
      const drain = redirect ? REDIRECT_BODY_DRAIN : s.drainLimitBytes;
      const read = await readBounded(res.body, keep, drain);
      const result: HopResult = { status: res.statusCode, headers: res.headers, read };
      if (read.error !== undefined) result.error = why(read.error);
      else if (read.tooLarge && !redirect) result.error = fail('body-too-large', `body larger than ${drain} bytes; kept the first ${read.data.length}`);
      return result;
    } catch (err) {
      return { status: 0, headers: {}, read: { data: Buffer.alloc(0), bytes: 0, truncated: false, tooLarge: false }, error: why(err) };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One attempt: the first request and every redirect after it, recorded as one probe. */
  async function attempt(req: ProbeRequest, extra: Record<string, string>): Promise<Probe> {
    counter++;
    const id = `${opts.idPrefix ?? 'p'}${String(counter).padStart(3, '0')}`;
    const t0 = performance.now();
    const method0 = req.method ?? 'GET';
    const probe: Probe = {
      id,
      source: req.source,
      method: method0,
      url: redactor.url(String(req.url)),
      auth: req.auth ?? 'none',
      requestHeaders: {},
      chain: [],
      status: 0,
      finalUrl: redactor.url(String(req.url)),
      headers: {},
      startedAt: new Date().toISOString(),
      durationMs: 0,
    };
    all.push(probe);
    try {
      await follow(req, extra, probe);
    } catch (err) {
      // follow() records its own failures; this is the last safety net
      const e = classifyError(err);
      probe.error = fail(e.code, e.message);
    }
    probe.durationMs = Math.round(performance.now() - t0);
    return probe;
  }

  async function follow(req: ProbeRequest, extra: Record<string, string>, probe: Probe): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      probe.error = fail('invalid-url', `not a URL: ${req.url}`);
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      probe.error = fail('unsupported-protocol', `only http and https are probed, not ${url.protocol}`);
      return;
    }
    const origin = url.origin;
    const useJar = req.useJar !== false;
    let method: string = req.method ?? 'GET';
    const form = req.body && 'form' in req.body ? req.body.form : undefined;
    const raw = req.body && 'raw' in req.body ? req.body : undefined;
    let body = form ? new URLSearchParams(form).toString() : raw?.raw;
    let headers: Record<string, string> = { 'user-agent': s.userAgent, accept: '*/*', ...lowerKeys(req.headers), ...lowerKeys(extra) };
    const basic = req.credentials?.basic;
    if (basic && headers.authorization === undefined) {
      headers.authorization = `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}`;
      redactor.addSecret(basic.password);
      redactor.addSecret(`${basic.user}:${basic.password}`);
    }
    if (body !== undefined) headers['content-type'] = raw ? raw.contentType : 'application/x-www-form-urlencoded';
    registerSecrets(headers, form);
    for (const secret of raw?.secrets ?? []) redactor.addSecret(secret);

    let onOrigin = true;
    let troubleshootLeft = false;
    let lastStatus = 0;
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      probe.finalUrl = redactor.url(url.href);
      seen.add(`${method} ${withoutFragment(url)}`);
      if (opts.signal?.aborted) {
        probe.error = fail('aborted', 'the scan was interrupted');
        return;
      }
      if (sent >= s.maxRequests) {
        probe.error = fail('budget-exhausted', `request budget of ${s.maxRequests} used up`);
        return;
      }
      if (onOrigin && url.origin !== origin) {
        onOrigin = false;
        // A troubleshooting replay is for the target only: off it, no bridge header and no cookie at all (the jar's included).
        if (headers['x-wp401-troubleshoot'] !== undefined) troubleshootLeft = true;
        const stripped = Object.keys(headers).filter((h) => h === 'cookie' || h.startsWith('x-wp401-') || isSecretHeader(h));
        headers = Object.fromEntries(Object.entries(headers).filter(([h]) => !stripped.includes(h)));
        if (opts.hooks?.signHeaders) stripped.push('bridge signature');
        if (stripped.length > 0) {
          note({ probe: probe.id, kind: 'credentials-stripped', hop, from: origin, to: url.origin, headers: stripped });
        }
      }
      const sendHeaders = { ...headers };
      if (onOrigin && opts.hooks?.signHeaders && !req.ownSignature) {
        try {
          const signed = lowerKeys(opts.hooks.signHeaders(method, url.href, body ?? '', { probeId: probe.id, pluginsOff: req.pluginsOff ?? [] }));
          registerSecrets(signed);
          Object.assign(sendHeaders, signed);
        } catch (err) {
          const e = classifyError(err);
          note({ probe: probe.id, kind: 'hook-error', hook: 'signHeaders', message: redactor.scrub(e.message) });
          probe.error = fail('hook-error', `signHeaders failed: ${e.message}`);
          return;
        }
      }
      if (useJar && !troubleshootLeft) {
        const fromJar = await jar.getCookieString(url.href).catch(() => '');
        if (fromJar) sendHeaders.cookie = sendHeaders.cookie ? `${sendHeaders.cookie}; ${fromJar}` : fromJar;
      }
      if (hop === 0) probe.requestHeaders = redactor.requestHeaders(sendHeaders);

      await pace(opts.signal);
      sent++;
      const hopStart = performance.now();
      const inFlight = limiter.active;
      const followRedirects = req.followRedirects !== false;
      const hop0 = { probe: probe.id, method, url: redactor.url(url.href), sent, max: s.maxRequests };
      observe({ phase: 'start', ...hop0 });
      const res = await sendOnce(url, method, sendHeaders, body, followRedirects);
      const timingMs = Math.round(performance.now() - hopStart);
      observe({ phase: 'end', ...hop0, status: res.status, ms: timingMs });
      // A request's level is the most in flight around it (at its start or
      // its end): one that started alone and was joined by others was slowed
      // by them. An interrupted request says nothing about the server's speed.
      if (!opts.signal?.aborted) adaptive?.observe(timingMs, Math.max(inFlight, limiter.active));
      if (res.status === 0) {
        probe.status = lastStatus;
        probe.error = res.error ?? fail('network-error', 'no answer');
        return;
      }
      lastStatus = res.status;
      const location = headerList(res.headers.location)[0];
      const hopRecord = {
        url: redactor.url(url.href),
        status: res.status,
        ...(location !== undefined ? { location: redactor.url(location) } : {}),
        headers: redactor.responseHeaders(res.headers),
        timingMs,
      };
      probe.chain.push(hopRecord);

      if (useJar) {
        const verdicts = await storeSetCookies(jar, headerList(res.headers['set-cookie']), url.href);
        for (const v of verdicts) {
          if (v.stored && v.value && v.value.length >= TOKEN_COOKIE_LENGTH) redactor.addSecret(v.value);
          if (!v.stored) {
            note({ probe: probe.id, kind: 'cookie-rejected', hop, url: redactor.url(url.href), cookie: v.name, reason: redactor.scrub(v.reason ?? '') });
          }
        }
      }

      const redirect = followRedirects && REDIRECT_STATUSES.has(res.status) && location !== undefined && res.error === undefined;
      if (!redirect) {
        finish(probe, url, res, req.onAnswer);
        return;
      }
      probe.status = res.status;
      probe.headers = hopRecord.headers;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        probe.error = fail('invalid-redirect', `Location is not a URL: ${location}`);
        return;
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        probe.error = fail('unsupported-protocol', `redirect to ${next.protocol} not followed`);
        return;
      }
      let nextMethod = method;
      let nextBody = body;
      if (res.status === 303 ? method !== 'HEAD' : (res.status === 301 || res.status === 302) && method === 'POST') {
        nextMethod = 'GET';
        nextBody = undefined;
        delete headers['content-type'];
      }
      if (nextBody !== undefined && next.origin !== origin) {
        probe.error = fail('redirect-blocked', `${res.status} to another origin would resend the form body; not followed`);
        return;
      }
      if (seen.has(`${nextMethod} ${withoutFragment(next)}`)) {
        probe.error = fail('redirect-loop', `${nextMethod} ${next.href} was already requested in this chain`);
        return;
      }
      if (hop + 1 > s.maxRedirects) {
        probe.error = fail('too-many-redirects', `more than ${s.maxRedirects} redirects`);
        return;
      }
      url = next;
      method = nextMethod;
      body = nextBody;
    }
  }

  function finish(probe: Probe, url: URL, res: HopResult, onAnswer?: ProbeRequest['onAnswer']): void {
    probe.status = res.status;
    probe.finalUrl = redactor.url(url.href);
    probe.headers = probe.chain[probe.chain.length - 1]?.headers ?? ({} as HeaderMap);
    const contentType = headerList(res.headers['content-type'])[0];
    probe.body = {
      bytes: res.read.bytes,
      truncated: res.read.truncated,
      ...(contentType !== undefined ? { contentType } : {}),
    };
    if (res.error) probe.error = res.error;
    if (onAnswer) onAnswer(new Uint8Array(res.read.data), (name) => headerList(res.headers[name.toLowerCase()])[0] ?? null);
    if (opts.summarizeBody && probe.method !== 'HEAD') {
      try {
        const details = opts.summarizeBody(decodeText(res.read.data, contentType), contentType, probe.finalUrl, res.status);
        if (details.title !== undefined) probe.body.title = redactor.scrub(details.title);
        if (details.excerpt !== undefined) probe.body.excerpt = redactor.scrub(details.excerpt);
        if (details.pageKind !== undefined) probe.body.pageKind = details.pageKind;
        if (details.restError) {
          probe.body.restError = { ...details.restError, code: redactor.scrub(details.restError.code), message: redactor.scrub(details.restError.message) };
        }
        if (details.facts) probe.body.facts = scrubFacts(details.facts, redactor.scrub);
      } catch (err) {
        note({ probe: probe.id, kind: 'hook-error', hook: 'summarizeBody', message: redactor.scrub(classifyError(err).message) });
      }
    }
  }

  /**
   * An attempt plus at most one Retry-After retry and at most one retry after
   * refreshing a credential. A POST is never resent on Retry-After: it may be
   * a login, and a second login attempt is what a login limiter counts.
   */
  async function run(req: ProbeRequest): Promise<Probe> {
    let probe = await attempt(req, {});
    let extra: Record<string, string> = {};
    if ((probe.status === 429 || probe.status === 503) && !probe.error) {
      const header = probe.headers['retry-after']?.[0];
      if (header !== undefined) {
        const waitMs = parseRetryAfter(header);
        const honoured = waitMs !== null && waitMs <= s.retryAfterMaxMs && (req.method ?? 'GET') !== 'POST';
        note({ probe: probe.id, kind: 'retry-after', retryAfter: header, waitMs, honoured });
        if (honoured && !opts.signal?.aborted) {
          await sleep(waitMs, opts.signal);
          const first = probe.id;
          probe = await attempt(req, extra);
          note({ probe: probe.id, kind: 'retry', of: first, reason: 'retry-after' });
        }
      }
    }
    if (probe.status === 401 && req.onUnauthorized && !opts.signal?.aborted) {
      let refreshed: Record<string, string> | null = null;
      try {
        refreshed = await req.onUnauthorized();
        note({ probe: probe.id, kind: 'unauthorized-refresh', refreshed: refreshed !== null && refreshed !== undefined });
      } catch (err) {
        const message = redactor.scrub(classifyError(err).message);
        note({ probe: probe.id, kind: 'unauthorized-refresh', refreshed: false, error: message });
        note({ probe: probe.id, kind: 'hook-error', hook: 'onUnauthorized', message });
      }
      if (refreshed) {
        extra = { ...extra, ...lowerKeys(refreshed) };
        const first = probe.id;
        probe = await attempt(req, extra);
        note({ probe: probe.id, kind: 'retry', of: first, reason: 'unauthorized' });
      }
    }
    return probe;
  }

  return {
    probe: (req: ProbeRequest) => limiter.run(() => run(req), req.first === true),
    reserve: (slots: number, until: Promise<unknown>) => limiter.reserve(slots, until),
    probes: () => [...all],
    notes: (probeId?: string) => (probeId === undefined ? [...notes] : notes.filter((n) => n.probe === probeId)),
    jar,
    redactor,
    get requestsSent() {
      return sent;
    },
    importCookies: async (cookies, url) => {
      const result = await importCookies(jar, cookies, url);
      for (const c of cookies) if (typeof c.value === 'string' && c.value.length >= TOKEN_COOKIE_LENGTH) redactor.addSecret(c.value);
      return result;
    },
    concurrency: () => ({
      max: s.concurrency,
      final: adaptive?.limit ?? s.concurrency,
      peak: adaptive?.peak ?? s.concurrency,
      adaptive: adaptive !== null,
      changes: (adaptive?.changes ?? []).map((c) => ({ atMs: c.at - started, from: c.from, to: c.to, reason: c.reason })),
    }),
    close: async () => {
      await agent.destroy().catch(() => undefined);
    },
  };
}

/** Facts a parser took from a body, with every registered secret scrubbed from their strings. */
function scrubFacts(facts: NonNullable<BodySummary['facts']>, scrub: (s: string) => string): NonNullable<BodySummary['facts']> {
  const out: NonNullable<BodySummary['facts']> = {};
  for (const [k, v] of Object.entries(facts)) {
    out[k] = typeof v === 'string' ? scrub(v) : Array.isArray(v) ? v.map((x) => scrub(String(x))) : v;
  }
  return out;
}
