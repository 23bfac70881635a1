// Keep secrets out of what the session records: known secret values are
// replaced wherever they appear, and URL parameters that carry nonces or
// tokens lose their values.

const SECRET_PARAM = /nonce|token|key|pass|pwd|secret|auth|code|sig|session/i;
// Parameters WordPress puts on login URLs that explain a loop and hold no secret.
const KEEP_PARAM = new Set(['redirect_to', 'reauth', 'loggedout', 'action', 'interim-login', 'checkemail', 'page', 'post_type', 'taxonomy']);

/** The URL with secret-looking query values replaced by "REDACTED". Never throws. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.length > 300 ? `${url.slice(0, 300)}…` : url;
  }
  u.username = '';
  u.password = '';
  for (const key of [...u.searchParams.keys()]) {
    if (!KEEP_PARAM.has(key) && SECRET_PARAM.test(key)) u.searchParams.set(key, 'REDACTED');
  }
  return u.toString();
}

export class Scrubber {
  readonly #secrets = new Set<string>();

  /** Remember a secret value; short values (under 4 characters) are ignored, they would scrub ordinary words. */
  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4) return;
    this.#secrets.add(value);
    // The same secret as it appears URL- or form-encoded.
    const enc = encodeURIComponent(value);
    if (enc !== value) this.#secrets.add(enc);
  }

  /** The text with every known secret replaced, cut to max characters. */
  text(s: string, max = 500): string {
    let out = String(s);
    for (const v of this.#secrets) out = out.split(v).join('[redacted]');
    out = out.replace(/\s+/g, ' ').trim();
    return out.length > max ? `${out.slice(0, max)}…` : out;
  }

  /** Replace known secrets in a string, nothing else. */
  replace(s: string): string {
    let out = s;
    for (const v of this.#secrets) if (out.includes(v)) out = out.split(v).join('[redacted]');
    return out;
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
    return this.text(redactUrl(u), 2000);
  }
}
