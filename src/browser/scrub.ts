// Keep secrets out of what the browser session records: the one redactor
// (src/redact.ts) with the session's secrets registered, plus the two shapes
// the session needs — one bounded line of text, and a deep copy of built
// observations.
import { createRedactor, type Redactor } from '../redact.js';

/** The URL with userinfo and secret-looking query values redacted. Never throws. */
export function redactUrl(url: string): string {
  return createRedactor().url(url);
}

export class Scrubber {
  readonly #redactor: Redactor = createRedactor();

  /** Remember a secret value (with its encoded forms); short values are ignored, they would scrub ordinary words. */
  add(value: string | undefined | null): void {
    if (typeof value === 'string') this.#redactor.addSecret(value);
  }

  /** The text with every known secret replaced, on one line, cut to max characters. */
  text(s: string, max = 500): string {
    const out = this.#redactor.scrub(String(s)).replace(/\s+/g, ' ').trim();
    return out.length > max ? `${out.slice(0, max)}…` : out;
  }

  /** Replace known secrets in a string, nothing else. */
  replace(s: string): string {
    return this.#redactor.scrub(s);
  }

  /** A copy of a JSON-like value with every string scrubbed (a safety net over built observations). */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.replace(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v);
      return out as T;
    }
    return value;
  }

  url(u: string): string {
    return this.text(this.#redactor.url(u), 2000);
  }
}
