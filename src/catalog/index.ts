// The known-plugin catalog: plugins that commonly cause or explain a 401,
// and the marks they leave that can be seen from outside. Data lives in
// plugins.json; this module types it and answers the few look-ups rules need.
import data from './plugins.json' with { type: 'json' };

export type PluginCategory = 'security' | 'cache' | 'login-lock' | 'rest-restriction' | 'auth' | 'cdn' | 'other';
/** "verified": read in the plugin's own code (the mark's source); "unverified": a hint only, never names a culprit */
export type MarkConfidence = 'verified' | 'unverified';

/** Where a mark was read in the plugin's code: version, file (inside the plugin's folder) and line. */
export interface MarkSource {
  plugin: string;
  version: string;
  file: string;
  line: number;
  /** "mirror" (the test bed's plugin mirror) or "github:owner/repo@commit" */
  read: string;
}

/** Every mark carries a source, or says why it could not be verified. */
interface MarkBase {
  source?: MarkSource;
  /** why the mark could not be checked against the plugin's code */
  unverified?: string;
  /** what the source line holds when the page shows it rendered otherwise */
  sourceText?: string;
}
export interface RestCodeMark extends MarkBase {
  code: string;
  /** the plugin's own message; an answer whose message starts with it matches */
  message?: string;
}
export interface HeaderMark extends MarkBase {
  name: string;
  /** a substring of the value, case-insensitive; absent = the header's presence is the mark */
  value?: string;
}
export interface CookieMark extends MarkBase {
  prefix: string;
}
export interface HtmlMark extends MarkBase {
  text: string;
}
/** Where the plugin sends a request for a path (an anonymous /wp-admin/ sent to its own page instead of the login). */
export interface RedirectMark extends MarkBase {
  /** the path asked, relative to the site ("wp-admin/") */
  from: string;
  /** the end of the redirect target's path ("/404/") */
  to: string;
}
export type AnyMark = RestCodeMark | HeaderMark | CookieMark | HtmlMark | RedirectMark;

export interface CatalogPlugin {
  slug: string;
  name: string;
  category: PluginCategory;
  marks: { restCodes?: RestCodeMark[]; headers?: HeaderMark[]; cookies?: CookieMark[]; html?: HtmlMark[]; redirects?: RedirectMark[] };
  /** where in the plugin (or its service) to look */
  settings: string;
}

export interface CatalogMatch {
  plugin: CatalogPlugin;
  /** what matched, in words: "REST error code rest_login_required" */
  mark: string;
  confidence: MarkConfidence;
  /** where the mark was verified (absent for unverified marks) */
  source?: MarkSource;
  /** the mark's own words (page text marks), to quote as evidence */
  text?: string;
  /** a REST code mark whose message also matched the answer's message */
  sameMessage?: boolean;
  /** the code matched but the answer's message is not the plugin's own: codes are shared, so this alone names no one */
  otherMessage?: boolean;
}

export const PLUGINS: readonly CatalogPlugin[] = (data as { plugins: CatalogPlugin[] }).plugins;

/** Every mark of every plugin, with its kind (for the catalog's own checks). */
export function allMarks(): { plugin: CatalogPlugin; kind: keyof CatalogPlugin['marks']; mark: AnyMark }[] {
  return PLUGINS.flatMap((plugin) =>
    (Object.keys(plugin.marks) as (keyof CatalogPlugin['marks'])[]).flatMap((kind) => (plugin.marks[kind] ?? []).map((mark: AnyMark) => ({ plugin, kind, mark }))),
  );
}

/** A mark is verified only with a complete source; anything else is a hint. */
export function isVerified(m: MarkBase): boolean {
  const s = m.source;
  return s !== undefined && m.unverified === undefined && !!s.plugin && !!s.version && !!s.file && Number.isInteger(s.line) && s.line > 0 && !!s.read;
}

const conf = (m: MarkBase): MarkConfidence => (isVerified(m) ? 'verified' : 'unverified');
const withSource = (m: MarkBase) => (isVerified(m) ? { source: m.source } : {});

/** "loginizer 2.0.6, init.php line 875" */
export function sourceWords(s: MarkSource): string {
  return `${s.plugin} ${s.version}, ${s.file} line ${s.line}`;
}

// every page of a crawl is matched against these: lower-cased once, here
const HTML_MARKS = PLUGINS.flatMap((plugin) => (plugin.marks.html ?? []).map((mark) => ({ plugin, mark, needle: mark.text.toLowerCase() })));

export function pluginBySlug(slug: string): CatalogPlugin | undefined {
  return PLUGINS.find((p) => p.slug === slug);
}

const norm = (t: string) => t.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Plugins known to answer with this REST error code. Codes are shared (many
 * plugins return rest_cannot_access): a mark's message that the answer's
 * message starts with is what sets one plugin apart (sameMessage); those come first.
 */
export function pluginsByRestCode(code: string, message?: string): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const m of p.marks.restCodes ?? []) {
      if (m.code !== code) continue;
      const sameMessage = m.message !== undefined && message !== undefined && norm(message).startsWith(norm(m.message));
      const otherMessage = m.message !== undefined && !sameMessage;
      out.push({ plugin: p, mark: `REST error code ${code}${sameMessage ? ` with its message "${m.message}"` : ''}`, confidence: conf(m), ...withSource(m), sameMessage, otherMessage });
    }
  }
  return out.sort((a, b) => Number(b.sameMessage) - Number(a.sameMessage));
}

/** Plugins whose headers appear in a response (names lower-case). */
export function pluginsByHeaders(headers: Record<string, string[]>): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const m of p.marks.headers ?? []) {
      const values = headers[m.name.toLowerCase()];
      if (!values) continue;
      if (m.value !== undefined && !values.some((v) => v.toLowerCase().includes((m.value as string).toLowerCase()))) continue;
      out.push({ plugin: p, mark: m.value ? `header ${m.name}: ${m.value}` : `header ${m.name}`, confidence: conf(m), ...withSource(m) });
    }
  }
  return out;
}

/** Plugins whose cookie names appear among these names. */
export function pluginsByCookies(names: string[]): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const m of p.marks.cookies ?? []) {
      const hit = names.find((n) => n.startsWith(m.prefix));
      if (hit) out.push({ plugin: p, mark: `cookie ${hit}`, confidence: conf(m), ...withSource(m) });
    }
  }
  return out;
}

/** Plugins whose page text marks appear in this text (a title, an excerpt, a message). */
export function pluginsByText(text: string): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  const lower = text.toLowerCase();
  for (const { plugin, mark, needle } of HTML_MARKS) {
    if (lower.includes(needle)) out.push({ plugin, mark: `page text "${mark.text}"`, text: mark.text, confidence: conf(mark), ...withSource(mark) });
  }
  return out;
}

/** Catalog plugins among slugs seen in asset paths (/wp-content/plugins/<slug>/). */
export function pluginsBySlugs(slugs: string[]): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const slug of new Set(slugs)) {
    const p = pluginBySlug(slug);
    // an asset path is certain evidence that the plugin is installed (not of what it did: the rule judges that)
    if (p) out.push({ plugin: p, mark: `assets under /wp-content/plugins/${slug}/`, confidence: 'verified' });
  }
  return out;
}

/** Plugins known to send a request for `from` (site-relative path) to a target whose path ends with their mark. */
export function pluginsByRedirect(from: string, target: string): CatalogMatch[] {
  let path: string;
  try {
    path = new URL(target).pathname;
  } catch {
    return [];
  }
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const m of p.marks.redirects ?? []) {
      if (m.from === from && path.endsWith(m.to)) out.push({ plugin: p, mark: `/${from} sent to ${m.to}`, text: m.to, confidence: conf(m), ...withSource(m) });
    }
  }
  return out;
}
