// HAR 1.2 export of every probe, one entry per hop of its redirect chain, so
// the requests can be opened in Chrome DevTools or Postman. Probes arrive
// redacted; secrets are redacted again here in case a producer missed one.

import { STATUS_CODES } from 'node:http';
import type { HeaderMap, Hop, Probe, ScanResult } from '../model.js';
import { createRedactor, isSecretHeader, REDACTED } from '../redact.js';

const byName = createRedactor();

/** A HAR is shared more widely than the report: credential headers lose their whole value, cookie names included. */
const wholeValue = (name: string) => name === 'cookie' || name === 'set-cookie' || isSecretHeader(name);

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarCookie {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: HarNameValue[];
    queryString: HarNameValue[];
    cookies: HarCookie[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarNameValue[];
    cookies: HarCookie[];
    content: { size: number; mimeType: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; ssl: number; send: number; wait: number; receive: number };
  comment?: string;
  _wp401Probe: string;
  _wp401Hop: number;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: { onContentLoad: number; onLoad: number } }[];
    entries: HarEntry[];
    comment?: string;
  };
}

function headerList(headers: HeaderMap): HarNameValue[] {
  const out: HarNameValue[] = [];
  for (const [rawName, values] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    for (const value of values ?? []) out.push({ name, value: wholeValue(name) ? REDACTED : byName.header(name, value) });
  }
  return out;
}

/** Cookie names from a Cookie request header; values are never kept. */
function requestCookies(headers: HeaderMap): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const [name, values] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const value of values ?? []) {
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        const cookieName = (eq === -1 ? '' : pair.slice(0, eq)).trim();
        if (cookieName) cookies.push({ name: cookieName, value: REDACTED });
      }
    }
  }
  return cookies;
}

/** Cookie names from Set-Cookie response headers; values are never kept. */
function responseCookies(headers: HeaderMap): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const [name, values] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'set-cookie') continue;
    for (const value of values ?? []) {
      const first = value.split(';')[0] ?? '';
      const eq = first.indexOf('=');
      const cookieName = (eq === -1 ? '' : first.slice(0, eq)).trim();
      if (cookieName) cookies.push({ name: cookieName, value: REDACTED });
    }
  }
  return cookies;
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function firstHeader(headers: HeaderMap, name: string): string | undefined {
  for (const [key, values] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return values?.[0];
  }
  return undefined;
}

/** A redirect changes POST to GET for 301/302/303; 307/308 keep the method. */
function nextMethod(method: string, status: number): string {
  if (status === 303 && method !== 'HEAD') return 'GET';
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  return method;
}

function addMs(iso: string, msToAdd: number): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + msToAdd).toISOString();
}

function timings(wait: number): HarEntry['timings'] {
  return { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: Math.max(0, wait), receive: 0 };
}

function probeEntries(probe: Probe, pageref: string): HarEntry[] {
  const entries: HarEntry[] = [];
  const request = (method: string, url: string): HarEntry['request'] => ({
    method,
    url,
    httpVersion: 'HTTP/1.1',
    headers: headerList(probe.requestHeaders),
    queryString: queryString(url),
    cookies: requestCookies(probe.requestHeaders),
    headersSize: -1,
    bodySize: method === 'GET' || method === 'HEAD' ? 0 : -1,
  });

  if (probe.chain.length === 0) {
    const time = Math.max(0, probe.durationMs);
    entries.push({
      pageref,
      startedDateTime: probe.startedAt,
      time,
      request: request(probe.method, probe.url),
      response: {
        status: 0,
        statusText: '',
        httpVersion: '',
        headers: [],
        cookies: [],
        content: { size: 0, mimeType: '' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        _error: probe.error ? `${probe.error.code}: ${probe.error.message}` : 'no response',
      },
      cache: {},
      timings: timings(time),
      comment: probe.error ? `failed: ${probe.error.code}` : 'no response',
      _wp401Probe: probe.id,
      _wp401Hop: 0,
    });
    return entries;
  }

  let method = probe.method;
  let offset = 0;
  probe.chain.forEach((hop: Hop, i: number) => {
    const last = i === probe.chain.length - 1;
    const mimeType = firstHeader(hop.headers, 'content-type') ?? (last ? (probe.body?.contentType ?? '') : '');
    const bodyBytes = last && probe.body ? probe.body.bytes : 0;
    entries.push({
      pageref,
      startedDateTime: addMs(probe.startedAt, offset),
      time: Math.max(0, hop.timingMs),
      request: request(method, hop.url),
      response: {
        status: hop.status,
        statusText: STATUS_CODES[hop.status] ?? '',
        httpVersion: 'HTTP/1.1',
        headers: headerList(hop.headers),
        cookies: responseCookies(hop.headers),
        content: {
          size: bodyBytes,
          mimeType,
          ...(last && probe.body?.truncated ? { comment: 'body read was capped; size is what was read' } : {}),
        },
        redirectURL: hop.location ?? firstHeader(hop.headers, 'location') ?? '',
        headersSize: -1,
        bodySize: last && probe.body ? probe.body.bytes : -1,
      },
      cache: {},
      timings: timings(hop.timingMs),
      _wp401Probe: probe.id,
      _wp401Hop: i,
    });
    offset += Math.max(0, hop.timingMs);
    method = nextMethod(method, hop.status);
  });
  return entries;
}

export function renderHar(result: ScanResult): Har {
  const pageref = 'wp401-scan';
  return {
    log: {
      version: '1.2',
      creator: { name: 'wp401', version: result.tool.version },
      pages: [
        {
          startedDateTime: result.startedAt,
          id: pageref,
          title: `wp401 scan of ${result.target}`,
          pageTimings: { onContentLoad: -1, onLoad: -1 },
        },
      ],
      entries: result.probes.flatMap((probe) => probeEntries(probe, pageref)),
      comment: 'Secret header and cookie values are redacted. Bodies are not included.',
    },
  };
}
