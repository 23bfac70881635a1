// v2 request signing for the wp401 bridge, byte for byte the same as the
// plugin's WP401_Canonical (see wp-plugin/wp401-bridge/PROTOCOL.md). Pure:
// the clock and the nonce can be passed in, so vectors are reproducible.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HEADER_NONCE, HEADER_PROBE, HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_TROUBLESHOOT, PROBE_ID_PATTERN } from './protocol.js';

export const SIGNATURE_VERSION_TAG = 'wp401-v2';
/** Prefix of the X-WP401-Signature value (and of X-WP401-Answer). */
export const SIGNATURE_PREFIX = 'v2=';
export {
  HEADER_ANSWER,
  HEADER_NONCE,
  HEADER_PROBE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  HEADER_TROUBLESHOOT,
  HEADER_TROUBLESHOOT_REFUSED,
  PROBE_ID_PATTERN,
  SIGNATURE_WINDOW_SECONDS,
} from './protocol.js';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function isHex(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66))
  );
}

/** Percent-decode as PHP's rawurldecode does: bytes in, bytes out, stray "%" kept. */
function percentDecode(raw: string): Buffer {
  const input = Buffer.from(raw.replace(/\+/g, ' '), 'utf8');
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] as number;
    if (byte === 0x25 && isHex(input[i + 1]) && isHex(input[i + 2])) {
      out.push(Number.parseInt(String.fromCharCode(input[i + 1] as number, input[i + 2] as number), 16));
      i += 2;
    } else {
      out.push(byte);
    }
  }
  return Buffer.from(out);
}

/** RFC 3986 encoding of raw bytes (PHP's rawurlencode). */
function percentEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Canonical query: decode, re-encode per RFC 3986, join with "&" in the order
 * sent. The order is signed: PHP resolves a repeated key to the last one, so
 * a sorted canonical form would let a reordered query mean something else.
 */
export function canonicalQuery(rawQuery: string): string {
  const raw = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  if (raw === '') return '';
  const out: string[] = [];
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = eq === -1 ? piece : piece.slice(0, eq);
    const value = eq === -1 ? '' : piece.slice(eq + 1);
    out.push(`${percentEncode(percentDecode(key))}=${percentEncode(percentDecode(value))}`);
  }
  return out.join('&');
}

/** Canonical host: lower case, default ports (":80", ":443") removed. */
export function canonicalHost(host: string): string {
  return host.trim().toLowerCase().replace(/:(80|443)$/, '');
}

export interface StringToSignParts {
  method: string;
  /** Host header as sent (host[:port]) */
  host: string;
  /** path as sent, no query */
  path: string;
  /** raw query as sent, without "?" */
  query: string;
  timestamp: string;
  nonce: string;
  /** lowercase hex SHA-256 of the body */
  bodySha256: string;
  probe?: string;
  troubleshoot?: string;
}

export function stringToSign(parts: StringToSignParts): string {
  return [
    SIGNATURE_VERSION_TAG,
    parts.method.toUpperCase(),
    canonicalHost(parts.host),
    parts.path,
    canonicalQuery(parts.query),
    parts.timestamp,
    parts.nonce,
    parts.bodySha256.toLowerCase(),
    parts.probe ?? '',
    parts.troubleshoot ?? '',
  ].join('\n');
}

export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** "v2=" + lowercase hex HMAC-SHA256; the key is used as its UTF-8 bytes, not hex-decoded. */
export function signature(key: string, toSign: string): string {
  return `${SIGNATURE_PREFIX}${createHmac('sha256', key).update(toSign, 'utf8').digest('hex')}`;
}

/** The X-WP401-Answer value the bridge sends for an answer to the request with this nonce. */
export function answerSignature(key: string, nonce: string, status: number, body: Uint8Array | string): string {
  const toSign = ['wp401-v2-answer', nonce, String(status), sha256Hex(body)].join('\n');
  return `${SIGNATURE_PREFIX}${createHmac('sha256', key).update(toSign, 'utf8').digest('hex')}`;
}

/** Constant-time check of an X-WP401-Answer header. */
export function verifyAnswer(key: string, nonce: string, status: number, body: Uint8Array | string, header: string | null): boolean {
  if (header === null) return false;
  const expected = Buffer.from(answerSignature(key, nonce, status, body), 'utf8');
  const got = Buffer.from(header.trim(), 'utf8');
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export function randomNonce(): string {
  return randomBytes(18).toString('base64url');
}

export interface SignRequestInput {
  key: string;
  method: string;
  url: string | URL;
  body?: string | Uint8Array;
  probe?: string;
  /** plugin basenames to leave out of this request */
  troubleshoot?: string[] | string;
  /** unix seconds; default now */
  timestamp?: number;
  nonce?: string;
}

/**
 * Signature headers for one request. Host, path and query are taken from the
 * URL exactly as fetch/undici will send them (WHATWG serialisation). The body
 * signed is the body that must be sent, byte for byte: no body means an empty
 * one, and a request sent with any other body is refused by the bridge.
 */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? randomNonce();
  const troubleshoot = Array.isArray(input.troubleshoot) ? input.troubleshoot.join(',') : (input.troubleshoot ?? '');
  const probe = input.probe ?? '';
  if (probe !== '' && !PROBE_ID_PATTERN.test(probe)) {
    throw new RangeError('probe id must match [A-Za-z0-9_-]{1,64}');
  }
  const toSign = stringToSign({
    method: input.method,
    host: url.host,
    path: url.pathname,
    query: url.search.slice(1),
    timestamp,
    nonce,
    bodySha256: sha256Hex(input.body ?? ''),
    probe,
    troubleshoot,
  });
  const headers: Record<string, string> = {
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_NONCE]: nonce,
    [HEADER_SIGNATURE]: signature(input.key, toSign),
  };
  if (probe !== '') headers[HEADER_PROBE] = probe;
  if (troubleshoot !== '') headers[HEADER_TROUBLESHOOT] = troubleshoot;
  return headers;
}
