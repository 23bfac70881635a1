// Network failures are observations, not exceptions: every error the engine
// meets is turned into one of these stable codes plus a readable message.

export const ENGINE_ERROR_CODES = [
  'invalid-url',
  'unsupported-protocol',
  'dns-error',
  'connection-refused',
  'connection-reset',
  'network-unreachable',
  'timeout',
  'tls-error',
  'invalid-response',
  'invalid-request',
  'body-too-large',
  'redirect-loop',
  'too-many-redirects',
  'invalid-redirect',
  'redirect-blocked',
  'budget-exhausted',
  'aborted',
  'hook-error',
  'network-error',
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export interface EngineError {
  code: EngineErrorCode;
  message: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

const BY_CODE: Record<string, EngineErrorCode> = {
  ENOTFOUND: 'dns-error',
  EAI_AGAIN: 'dns-error',
  EAI_FAIL: 'dns-error',
  EAI_NONAME: 'dns-error',
  EAI_NODATA: 'dns-error',
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  UND_ERR_SOCKET: 'connection-reset',
  ECONNABORTED: 'connection-reset',
  EHOSTUNREACH: 'network-unreachable',
  ENETUNREACH: 'network-unreachable',
  EADDRNOTAVAIL: 'network-unreachable',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'body-too-large',
  UND_ERR_INVALID_ARG: 'invalid-request',
  ERR_INVALID_CHAR: 'invalid-request',
  ERR_INVALID_ARG_VALUE: 'invalid-request',
  ERR_INVALID_HTTP_TOKEN: 'invalid-request',
  ERR_INVALID_URL: 'invalid-url',
  UND_ERR_HEADERS_OVERFLOW: 'invalid-response',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'invalid-response',
  UND_ERR_INFO: 'invalid-response',
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  name?: unknown;
}

function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 6 && cur !== null && typeof cur === 'object'; i++) {
    out.push(cur as ErrorLike);
    cur = (cur as ErrorLike).cause;
  }
  if (out.length === 0 && err !== undefined) out.push({ message: String(err) });
  return out;
}

const BY_NAME: Record<string, EngineErrorCode> = {
  HTTPParserError: 'invalid-response',
  ResponseContentLengthMismatchError: 'invalid-response',
  HeadersOverflowError: 'invalid-response',
  ConnectTimeoutError: 'timeout',
  HeadersTimeoutError: 'timeout',
  BodyTimeoutError: 'timeout',
  SocketError: 'connection-reset',
};

function codeOf(code: string, name: string, message: string): EngineErrorCode | undefined {
  if (BY_CODE[code]) return BY_CODE[code];
  if (BY_NAME[name]) return BY_NAME[name];
  if (TLS_CODES.has(code) || /^ERR_(TLS|SSL)_/.test(code) || code.startsWith('CERT_')) return 'tls-error';
  if (code.startsWith('HPE_')) return 'invalid-response';
  if (/certificate|SSL routines|TLS/i.test(message)) return 'tls-error';
  return undefined;
}

/** Turn anything thrown by undici, node or a hook into a stable code and message. */
export function classifyError(err: unknown): EngineError {
  const links = chain(err);
  for (const link of links) {
    const code = typeof link.code === 'string' ? link.code : '';
    const message = typeof link.message === 'string' ? link.message : '';
    const name = typeof link.name === 'string' ? link.name : '';
    const mapped = codeOf(code, name, message);
    if (mapped) return { code: mapped, message: `${code || name || 'Error'}: ${message}` };
  }
  const first = links[0];
  const code = first && typeof first.code === 'string' ? first.code : '';
  const message = first && typeof first.message === 'string' ? first.message : String(err);
  return { code: 'network-error', message: code ? `${code}: ${message}` : message };
}
