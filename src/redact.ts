// The single place where secrets are removed from what the scanner records
// (the engine's probes, the browser's log, the reports, error messages), with
// one marker: [redacted].
// Two mechanisms work together:
//  - by name: header names, cookie values and query parameters that carry
//    credentials are always redacted, whatever their value;
//  - by value: every registered secret (passwords, keys, tokens) is scrubbed
//    from any string, together with its URL-encoded, JSON-escaped and base64
//    forms (at every byte alignment, so it is also caught inside a longer
//    base64 blob such as `Basic base64(user:password)`).

import type { HeaderMap } from './model.js';

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not scrubbed by value (they would eat ordinary text); name-based redaction still applies. */
export const MIN_SECRET_LENGTH = 4;

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = new Set(['x-wp-nonce', 'x-wp401-signature', 'x-wp401-nonce', 'x-wp401-key']);

/** x-wp401-* headers that carry no secret (plugin files to switch off, probe ids). */
const PUBLIC_WP401_HEADERS = new Set(['x-wp401-troubleshoot', 'x-wp401-probe', 'x-wp401-timestamp', 'x-wp401-dropped']);

const SECRET_HEADER_WORDS = /token|secret|passw|api-?key|signature|credential/;

/** Query parameter names that carry credentials: WordPress nonces, reset keys, passwords, tokens. */
const SECRET_PARAM_WORDS = /nonce|passw|token|secret|signature|api_?key|app_password|session/;
const SECRET_PARAM_SUFFIX = /(^|[_-])(pwd|pass|key|sig|auth|hash|code)$/;

export type HeaderInput = Record<string, string | string[] | number | undefined>;

export interface Redactor {
  /** Register a secret to scrub by value from now on. Empty or too-short strings are ignored. */
  addSecret(secret: string): void;
  /** Replace every registered secret (and its encoded forms) in `text`. */
  scrub(text: string): string;
  /** Redact credential-bearing query/fragment parameters and userinfo; works on absolute and relative URLs. */
  url(url: string): string;
  /** Redact request headers as they are recorded in a probe. */
  requestHeaders(headers: HeaderInput): HeaderMap;
  /** Redact response headers as they are recorded in a hop. */
  responseHeaders(headers: HeaderInput): HeaderMap;
  /** Redact one header value (name is case-insensitive). */
  header(name: string, value: string): string;
}

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization' || SECRET_HEADERS.has(n)) return true;
  if (n.startsWith('x-wp401-')) return !PUBLIC_WP401_HEADERS.has(n);
  return SECRET_HEADER_WORDS.test(n);
}

export function isSecretParam(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_PARAM_WORDS.test(n) || SECRET_PARAM_SUFFIX.test(n);
}

/**
 * Base64 fragments that appear whenever `secret` is base64-encoded inside a
 * larger byte stream, for each of the three possible alignments. Only the
 * characters that depend on the secret's bytes alone are kept.
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const n = bytes.length;
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64').replace(/=+$/, '');
    const first = Math.ceil((8 * k) / 6);
    const last = Math.floor((8 * (k + n)) / 6); // exclusive
    if (last - first >= MIN_SECRET_LENGTH) cores.push(encoded.slice(first, last));
  }
  return cores;
}

function variants(secret: string): string[] {
  const out = new Set<string>([secret]);
  const uri = encodeURIComponent(secret);
  out.add(uri);
  out.add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  out.add(uri.replace(/%20/g, '+'));
  out.add(new URLSearchParams({ s: secret }).toString().slice(2));
  out.add(JSON.stringify(secret).slice(1, -1));
  for (const core of base64Cores(secret)) {
    out.add(core);
    out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function redactParams(part: string): string {
  return part
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return isSecretParam(name) && eq < pair.length - 1 ? `${pair.slice(0, eq + 1)}${REDACTED}` : pair;
    })
    .join('&');
}

function redactUrlByName(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? null : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  let base = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? null : beforeHash.slice(queryAt + 1);
  base = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  let out = base;
  if (query !== null) out += `?${redactParams(query)}`;
  if (fragment !== null) out += `#${fragment.includes('=') ? redactParams(fragment) : fragment}`;
  return out;
}

function redactAuthorization(value: string): string {
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value);
  return m ? `${m[1]} ${REDACTED}` : REDACTED;
}

function redactCookieHeader(value: string): string {
  return value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? REDACTED : `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('; ');
}

function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const pair = semi < 0 ? value : value.slice(0, semi);
  const attributes = semi < 0 ? '' : value.slice(semi);
  const eq = pair.indexOf('=');
  if (eq < 0) return `${REDACTED}${attributes}`;
  const cookieValue = pair.slice(eq + 1).trim();
  return `${pair.slice(0, eq)}=${cookieValue === '' ? '' : REDACTED}${attributes}`;
}

const URL_HEADERS = new Set(['location', 'content-location', 'referer', 'origin', 'link', 'refresh']);

export function createRedactor(secrets: string[] = []): Redactor {
  // Every form of every secret, by its first MIN_SECRET_LENGTH characters
  // (each form is at least that long), longest first. A scan registers a
  // few secrets per request (a bridge signature and nonce, session cookies),
  // so hundreds of forms: scrubbing looks each position of the text up once,
  // rather than searching the whole text once per form.
  const byPrefix = new Map<string, string[]>();
  // The first two characters of every form, as one number: most positions of
  // a text start no form, and this tells so without cutting a substring.
  const pairs = new Set<number>();
  const pairAt = (text: string, i: number): number => text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
  const registered = new Set<string>();

  function addSecret(secret: string): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || registered.has(secret)) return;
    registered.add(secret);
    for (const v of variants(secret)) {
      const key = v.slice(0, MIN_SECRET_LENGTH);
      pairs.add(pairAt(v, 0));
      const list = byPrefix.get(key);
      if (!list) byPrefix.set(key, [v]);
      else if (!list.includes(v)) {
        list.push(v);
        list.sort((a, b) => b.length - a.length);
      }
    }
  }

  /**
   * Every stretch of `text` covered by an occurrence of a registered form
   * becomes one REDACTED (overlapping occurrences make one stretch); what no
   * form covers is kept as it is.
   */
  function scrub(text: string): string {
    if (typeof text !== 'string') return '';
    if (byPrefix.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    let out = '';
    let copied = 0;
    let start = -1;
    let end = -1;
    for (let i = 0; i + MIN_SECRET_LENGTH <= text.length; i++) {
      if (!pairs.has(pairAt(text, i))) continue;
      const list = byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH));
      if (!list) continue;
      const hit = list.find((form) => text.startsWith(form, i));
      if (hit === undefined) continue;
      if (i < end) {
        end = Math.max(end, i + hit.length);
        continue;
      }
      if (start >= 0) {
        out += text.slice(copied, start) + REDACTED;
        copied = end;
      }
      start = i;
      end = i + hit.length;
    }
    if (start < 0) return text;
    return out + text.slice(copied, start) + REDACTED + text.slice(end);
  }

  function header(name: string, value: string): string {
    const n = name.toLowerCase();
    let out: string;
    if (n === 'authorization' || n === 'proxy-authorization') out = redactAuthorization(value);
    else if (n === 'cookie') out = redactCookieHeader(value);
    else if (n === 'set-cookie') out = redactSetCookie(value);
    else if (isSecretHeader(n)) out = REDACTED;
    else if (URL_HEADERS.has(n)) out = redactUrlByName(value);
    else out = value;
    return scrub(out);
  }

  function headers(input: HeaderInput): HeaderMap {
    const map: HeaderMap = {};
    for (const [rawName, raw] of Object.entries(input)) {
      if (raw === undefined) continue;
      const name = rawName.toLowerCase();
      const values = Array.isArray(raw) ? raw : [String(raw)];
      const list = map[name] ?? [];
      for (const v of values) list.push(header(name, v));
      map[name] = list;
    }
    return map;
  }

  for (const s of secrets) addSecret(s);

  return {
    addSecret,
    scrub,
    url: (url: string) => scrub(redactUrlByName(url)),
    requestHeaders: headers,
    responseHeaders: headers,
    header,
  };
}
