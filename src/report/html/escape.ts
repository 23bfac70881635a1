// The one escaping function of the HTML report. Everything that came from the
// scanned site (titles, headers, realms, REST messages, URLs) may be hostile,
// so every value goes through escapeHtml before it becomes markup. It is safe
// for text content and for double- or single-quoted attribute values.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(/[&<>"'`]/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * A value that is already markup, built by this report from escaped parts.
 * Templates accept Html or strings; strings are escaped, Html is not.
 */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(part);
}

/**
 * Tagged template for markup: every interpolated value is escaped unless it
 * is Html made by another `html` call, so site data cannot become markup by
 * accident.
 */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Joins already-built markup. */
export function join(parts: readonly Html[], separator = ''): Html {
  return new Html(parts.map((p) => p.value).join(separator));
}

/**
 * A link only when the URL is plain http(s); anything else (javascript:,
 * data:, relative paths) is shown as text. The href is escaped like any other
 * attribute value.
 */
export function urlText(url: string): Html {
  if (isHttpUrl(url)) {
    return html`<a class="url" href="${url}" rel="noreferrer noopener nofollow">${url}</a>`;
  }
  return html`<span class="url">${url}</span>`;
}

export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !hasSpaceOrControl(url);
  } catch {
    return false;
  }
}

function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the
 * JavaScript line separators become \u escapes so no string in the data can
 * end the script element or start a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
