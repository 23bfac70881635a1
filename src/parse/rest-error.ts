// WordPress REST error bodies: what WP_REST_Server makes of a WP_Error.
//
//   {"code":"rest_not_logged_in","message":"…","data":{"status":401},
//    "additional_errors":[{"code":"…","message":"…","data":…}]}
//
// Also batch answers ({"responses":[{"body":{…},"status":401}]}) and plain
// arrays of errors. A body that is not one of these gives null.

export interface RestErrorItem {
  code: string;
  message: string;
  status?: number;
}

export interface RestError extends RestErrorItem {
  /** further errors WordPress attached to the same WP_Error (`additional_errors`) */
  additionalErrors: RestErrorItem[];
  /**
   * Set when the body held several errors (a batch answer or an array): all
   * of them in order. The primary error above is the first 401 among them,
   * else the first.
   */
  batchErrors?: RestErrorItem[];
}

/** Bodies longer than this are not parsed. */
export const MAX_REST_BODY_LENGTH = 1024 * 1024;
const MAX_ITEMS = 100;
const MAX_CODE_LENGTH = 200;
const MAX_MESSAGE_LENGTH = 1000;

/**
 * The WordPress REST error in `body`, or null when the body is not one.
 * `contentType` is a hint only: WordPress answers with JSON even when a
 * plugin's stray output made the content type wrong. Never throws.
 */
export function parseRestError(body: string, contentType?: string): RestError | null {
  try {
    if (typeof body !== 'string' || body.length > MAX_REST_BODY_LENGTH) return null;
    const value = parseJsonish(body, contentType);
    if (value === undefined) return null;
    return fromValue(value);
  } catch {
    return null;
  }
}

function parseJsonish(body: string, contentType: string | undefined): unknown {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  // Every error this module reads has a "code" member, and JSON encoders
  // (PHP's json_encode among them) write that name as it is: a body without
  // it is not parsed at all (the REST index and route lists are large).
  if (!text.includes('"code"')) return undefined;
  const first = firstNonSpace(text);
  if (first === '{' || first === '[') {
    const value = tryJson(text);
    if (value !== undefined) return value;
  }
  // PHP notices printed before the JSON: look for where the error object starts.
  const ct = typeof contentType === 'string' ? contentType.toLowerCase() : '';
  if (ct === '' || ct.includes('json') || ct.startsWith('text/html')) {
    const at = text.indexOf('{"code"');
    if (at > 0) {
      const end = text.lastIndexOf('}');
      if (end > at) return tryJson(text.slice(at, end + 1));
    }
  }
  return undefined;
}

function firstNonSpace(s: string): string {
  for (let i = 0; i < s.length && i < 4096; i++) {
    const c = s.charAt(i);
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return c;
  }
  return '';
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function fromValue(value: unknown): RestError | null {
  if (Array.isArray(value)) return fromList(value);
  if (!isObject(value)) return null;
  const single = toItem(value);
  if (single !== null) return { ...single, additionalErrors: additionalOf(value) };
  // Batch answer: {"responses":[{"body":{…},"status":…,"headers":{…}}], "failed"?: "validation"}
  const responses = value.responses;
  if (Array.isArray(responses)) {
    const bodies: { body: unknown; status?: number }[] = [];
    for (const r of responses.slice(0, MAX_ITEMS)) {
      if (!isObject(r)) continue;
      const status = toStatus(r.status);
      bodies.push(status === undefined ? { body: r.body } : { body: r.body, status });
    }
    return fromBodies(bodies);
  }
  return null;
}

function fromList(list: unknown[]): RestError | null {
  return fromBodies(list.slice(0, MAX_ITEMS).map((body) => ({ body })));
}

function fromBodies(bodies: { body: unknown; status?: number }[]): RestError | null {
  const found: { item: RestErrorItem; additional: RestErrorItem[] }[] = [];
  for (const { body, status } of bodies) {
    if (!isObject(body)) continue;
    const item = toItem(body);
    if (item === null) continue;
    if (item.status === undefined && status !== undefined) item.status = status;
    found.push({ item, additional: additionalOf(body) });
  }
  const primary = found.find((f) => f.item.status === 401) ?? found[0];
  if (primary === undefined) return null;
  return {
    ...primary.item,
    additionalErrors: primary.additional,
    batchErrors: found.map((f) => ({ ...f.item })),
  };
}

function additionalOf(obj: Record<string, unknown>): RestErrorItem[] {
  const list = obj.additional_errors;
  if (!Array.isArray(list)) return [];
  const out: RestErrorItem[] = [];
  for (const entry of list.slice(0, MAX_ITEMS)) {
    if (!isObject(entry)) continue;
    const item = toItem(entry);
    if (item !== null) out.push(item);
  }
  return out;
}

/** `{code, message, data: {status}}` with a string code; anything else is not a REST error. */
function toItem(obj: Record<string, unknown>): RestErrorItem | null {
  const code = obj.code;
  if (typeof code !== 'string' || code === '' || code.length > MAX_CODE_LENGTH) return null;
  const message = typeof obj.message === 'string' ? cap(obj.message, MAX_MESSAGE_LENGTH) : '';
  // `code` alone is too weak a signal (many JSON bodies have one): require the
  // `message` key or a `data` object as WP_REST_Server always sends both.
  if (!('message' in obj) && !('data' in obj)) return null;
  const item: RestErrorItem = { code, message };
  const data = obj.data;
  if (isObject(data)) {
    const status = toStatus(data.status);
    if (status !== undefined) item.status = status;
  }
  return item;
}

function toStatus(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{3}$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cap(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
