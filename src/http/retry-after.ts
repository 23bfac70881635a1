// Retry-After (RFC 9110 §10.2.3): either delta-seconds or an HTTP-date.
// Servers send odd things here, so parsing never throws: anything that is
// neither form yields null, and the result is clamped to [0, maxMs].

/** Upper bound on what the parser reports, whatever the server said. */
export const RETRY_AFTER_CEILING_MS = 24 * 60 * 60 * 1000;

const DELTA = /^\s*(\d{1,12})\s*$/;
/** IMF-fixdate, RFC 850 and asctime all carry a month name; this keeps Date.parse away from bare numbers. */
const LOOKS_LIKE_DATE = /^\s*[A-Za-z]{3}[A-Za-z]*,?\s+[A-Za-z0-9 :,-]+$/;

/**
 * Milliseconds to wait, or null when the value is missing or unparseable.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(
  value: string | string[] | null | undefined,
  now: number = Date.now(),
  maxMs: number = RETRY_AFTER_CEILING_MS,
): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 64) return null;
  const cap = Number.isFinite(maxMs) && maxMs >= 0 ? maxMs : RETRY_AFTER_CEILING_MS;
  const delta = DELTA.exec(raw);
  if (delta) return Math.min(Number(delta[1]) * 1000, cap);
  if (!LOOKS_LIKE_DATE.test(raw)) return null;
  // HTTP dates are always GMT; asctime carries no zone and Date.parse would read it as local time.
  const at = Date.parse(/\b(GMT|UTC|UT)\b|[+-]\d{4}\s*$/.test(raw) ? raw : `${raw} GMT`);
  if (!Number.isFinite(at)) return null;
  const base = Number.isFinite(now) ? now : Date.now();
  return Math.min(Math.max(0, at - base), cap);
}
