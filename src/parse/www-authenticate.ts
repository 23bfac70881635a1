// WWW-Authenticate parser (RFC 9110 §11.6.1). Hand-written scanner: one pass,
// no regular expressions, so hostile header values cost linear time.
//
//   WWW-Authenticate = #challenge
//   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param  = token BWS "=" BWS ( token / quoted-string )
//   token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// Commas separate both challenges and the params inside one challenge; a list
// element that is `token =` belongs to the current challenge, anything else
// starts a new one.

export interface Challenge {
  /** canonical for well-known schemes (`Basic`, `Bearer`, `Digest`, …), otherwise as sent */
  scheme: string;
  /** auth-params, names lower-cased, quoted values unescaped; the first of a duplicated name wins */
  params: Record<string, string>;
  token68?: string;
  /** the `realm` param, surfaced because it is what a report quotes */
  realm?: string;
  /** set when this challenge did not follow the grammar and was recovered best-effort */
  malformed?: true;
}

export interface WwwAuthenticateResult {
  challenges: Challenge[];
  /** any part of any value did not follow the grammar */
  malformed: boolean;
  /** a value was longer than MAX_VALUE_LENGTH, or limits on counts were hit */
  truncated: boolean;
}

/** Values longer than this are cut; nothing legitimate comes close. */
export const MAX_VALUE_LENGTH = 16 * 1024;
const MAX_VALUES = 64;
const MAX_CHALLENGES = 128;
const MAX_PARAMS = 128;

const CANONICAL_SCHEMES: ReadonlyMap<string, string> = new Map(
  [
    'Basic',
    'Bearer',
    'Digest',
    'Negotiate',
    'NTLM',
    'HOBA',
    'Mutual',
    'DPoP',
    'vapid',
    'SCRAM-SHA-1',
    'SCRAM-SHA-256',
    'AWS4-HMAC-SHA256',
    'Kerberos',
    'PrivateToken',
    'Concealed',
  ].map((s) => [s.toLowerCase(), s]),
);

/** The canonical spelling of a scheme name: `BASIC` → `Basic`; unknown schemes are returned as given. */
export function canonicalScheme(scheme: string): string {
  return CANONICAL_SCHEMES.get(scheme.toLowerCase()) ?? scheme;
}

/** Parse one or several WWW-Authenticate (or Proxy-Authenticate) values. Never throws. */
export function parseWwwAuthenticate(values: string | string[]): Challenge[] {
  return parseWwwAuthenticateDetailed(values).challenges;
}

/** Like parseWwwAuthenticate, plus whether anything was malformed or cut. Never throws. */
export function parseWwwAuthenticateDetailed(values: string | string[] | null | undefined): WwwAuthenticateResult {
  const result: WwwAuthenticateResult = { challenges: [], malformed: false, truncated: false };
  try {
    const list = Array.isArray(values) ? values : [values];
    let count = 0;
    for (const value of list) {
      if (typeof value !== 'string') {
        if (value !== undefined && value !== null) result.malformed = true;
        continue;
      }
      if (++count > MAX_VALUES) {
        result.truncated = true;
        break;
      }
      let text = value;
      if (text.length > MAX_VALUE_LENGTH) {
        text = text.slice(0, MAX_VALUE_LENGTH);
        result.truncated = true;
      }
      new Scanner(text, result).run();
      if (result.challenges.length >= MAX_CHALLENGES) break;
    }
  } catch {
    // Defensive: the scanner has no known throwing path, but a parser of
    // hostile input must not be the thing that crashes a scan.
    result.malformed = true;
  }
  for (const c of result.challenges) {
    if (c.malformed) result.malformed = true;
  }
  return result;
}

function isTchar(c: number): boolean {
  // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
  if (c >= 0x30 && c <= 0x39) return true;
  if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return true;
  switch (c) {
    case 0x21:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x27:
    case 0x2a:
    case 0x2b:
    case 0x2d:
    case 0x2e:
    case 0x5e:
    case 0x5f:
    case 0x60:
    case 0x7c:
    case 0x7e:
      return true;
    default:
      return false;
  }
}

function isToken68Char(c: number): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return true;
  return c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e || c === 0x2b || c === 0x2f;
}

/** OWS is SP / HTAB; CR and LF are tolerated too (folded headers). */
function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

class Scanner {
  private i = 0;
  private current: Challenge | null = null;

  constructor(
    private readonly s: string,
    private readonly out: WwwAuthenticateResult,
  ) {}

  run(): void {
    const s = this.s;
    // true once an element is complete and the next one needs a comma first
    let needComma = false;
    // true right after `scheme SP`: only auth-params may follow without a comma
    let afterScheme = false;
    while (this.i < s.length) {
      this.skipWhitespace();
      if (this.i >= s.length) break;
      if (s.charCodeAt(this.i) === COMMA) {
        this.i++;
        needComma = false;
        afterScheme = false;
        continue;
      }
      const name = this.readToken();
      if (name === '') {
        this.flag();
        this.skipElement();
        needComma = false;
        afterScheme = false;
        continue;
      }
      const afterName = this.i;
      this.skipWhitespace();
      if (this.peek() === EQUALS) {
        if (this.current === null) {
          // an auth-param before any scheme
          this.out.malformed = true;
          this.skipElement();
          continue;
        }
        if (needComma) this.flag();
        this.i++;
        this.readParam(name.toLowerCase());
        needComma = true;
        afterScheme = false;
        continue;
      }
      // A new challenge.
      if ((needComma || afterScheme) && this.current !== null) this.flag();
      afterScheme = false;
      if (this.out.challenges.length >= MAX_CHALLENGES) {
        this.out.truncated = true;
        this.i = s.length;
        return;
      }
      this.i = afterName;
      const challenge: Challenge = { scheme: canonicalScheme(name), params: {} };
      this.out.challenges.push(challenge);
      this.current = challenge;
      if (this.i < s.length && (s.charCodeAt(this.i) === 0x20 || s.charCodeAt(this.i) === 0x09)) {
        this.skipWhitespace();
        if (this.tryToken68(challenge)) {
          needComma = true;
          continue;
        }
        // auth-params follow the scheme after whitespace, no comma needed
        needComma = false;
        afterScheme = true;
        continue;
      }
      needComma = true;
    }
  }

  private peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  private flag(): void {
    if (this.current !== null) this.current.malformed = true;
    else this.out.malformed = true;
  }

  private skipWhitespace(): void {
    while (this.i < this.s.length && isWhitespace(this.s.charCodeAt(this.i))) this.i++;
  }

  private readToken(): string {
    const start = this.i;
    while (this.i < this.s.length && isTchar(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }

  /** Skip to the next comma outside a quoted string (or to the end). Always advances. */
  private skipElement(): void {
    const s = this.s;
    let inQuote = false;
    if (this.i < s.length && s.charCodeAt(this.i) !== COMMA) {
      while (this.i < s.length) {
        const c = s.charCodeAt(this.i);
        if (inQuote) {
          if (c === BACKSLASH) this.i++;
          else if (c === DQUOTE) inQuote = false;
        } else if (c === DQUOTE) {
          inQuote = true;
        } else if (c === COMMA) {
          return;
        }
        this.i++;
      }
      if (this.i > s.length) this.i = s.length;
    }
  }

  /** token68 right after the scheme; only if followed by a comma or the end. */
  private tryToken68(challenge: Challenge): boolean {
    const s = this.s;
    const start = this.i;
    let j = start;
    while (j < s.length && isToken68Char(s.charCodeAt(j))) j++;
    if (j === start) return false;
    while (j < s.length && s.charCodeAt(j) === EQUALS) j++;
    const end = j;
    while (j < s.length && isWhitespace(s.charCodeAt(j))) j++;
    if (j < s.length && s.charCodeAt(j) !== COMMA) return false;
    challenge.token68 = s.slice(start, end);
    this.i = j;
    return true;
  }

  /** After `name =`: BWS, then a token or a quoted-string. */
  private readParam(name: string): void {
    const challenge = this.current;
    if (challenge === null) return;
    this.skipWhitespace();
    let value: string;
    if (this.peek() === DQUOTE) {
      value = this.readQuoted(challenge);
    } else {
      value = this.readToken();
      if (value === '') {
        challenge.malformed = true;
        // a stray non-token value such as `realm=<x>`: take it up to the next separator
        const start = this.i;
        const s = this.s;
        while (this.i < s.length && s.charCodeAt(this.i) !== COMMA && !isWhitespace(s.charCodeAt(this.i))) this.i++;
        value = s.slice(start, this.i);
      }
    }
    if (challenge.token68 !== undefined) {
      // params after a token68 are not allowed in the same challenge
      challenge.malformed = true;
      return;
    }
    if (Object.hasOwn(challenge.params, name)) {
      challenge.malformed = true;
      return;
    }
    if (Object.keys(challenge.params).length >= MAX_PARAMS) {
      this.out.truncated = true;
      return;
    }
    // defineProperty so that a param called `__proto__` is stored like any other
    Object.defineProperty(challenge.params, name, { value, enumerable: true, writable: true, configurable: true });
    if (name === 'realm') challenge.realm = value;
  }

  private readQuoted(challenge: Challenge): string {
    const s = this.s;
    this.i++; // opening quote
    const parts: string[] = [];
    let runStart = this.i;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === DQUOTE) {
        parts.push(s.slice(runStart, this.i));
        this.i++;
        return parts.join('');
      }
      if (c === BACKSLASH) {
        parts.push(s.slice(runStart, this.i));
        this.i++;
        if (this.i >= s.length) break;
        runStart = this.i; // the escaped character starts the next run
        this.i++;
        continue;
      }
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) challenge.malformed = true;
      this.i++;
    }
    // unterminated quoted-string: keep what we have
    parts.push(s.slice(runStart, this.i));
    challenge.malformed = true;
    return parts.join('');
  }
}
