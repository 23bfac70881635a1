// The request engine: undici + tough-cookie, bounded and redacted.

export { type BodyDetails, type BodyRead, decodeText, readBounded, type SummarizeBody } from './body.js';
export { type CookieVerdict, cookieNameOf, type ImportedCookie, type ImportResult, importCookies, storeSetCookies } from './cookies.js';
export { createEngine } from './engine.js';
export { classifyError, ENGINE_ERROR_CODES, type EngineError, type EngineErrorCode } from './errors.js';
export { createLimiter, createPacer, type Limiter, sleep } from './limiter.js';
export {
  base64Cores,
  createRedactor,
  type HeaderInput,
  isSecretHeader,
  isSecretParam,
  MIN_SECRET_LENGTH,
  REDACTED,
  type Redactor,
} from '../redact.js';
export { parseRetryAfter, RETRY_AFTER_CEILING_MS } from './retry-after.js';
export type { ConcurrencyReport, Engine, EngineHooks, EngineOptions, HopEvent, ProbeMethod, ProbeNote, ProbeRequest } from './types.js';
export { DEFAULT_USER_AGENT, WP401_VERSION } from './version.js';
