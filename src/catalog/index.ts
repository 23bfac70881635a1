// The known-plugin catalog: plugins that commonly cause or explain a 401,
// and the marks they leave that can be seen from outside. Data lives in
// plugins.json; this module types it and answers the few look-ups rules need.
import data from './plugins.json' with { type: 'json' };

export type PluginCategory = 'security' | 'cache' | 'login-lock' | 'rest-restriction' | 'auth' | 'cdn' | 'other';
/** "unverified" marks are plausible but not checked against the plugin's code */
export type MarkConfidence = 'known' | 'unverified';

export interface RestCodeMark {
  code: string;
  message?: string;
  confidence?: 'unverified';
}
export interface HeaderMark {
  name: string;
  /** a substring of the value, case-insensitive; absent = the header's presence is the mark */
  value?: string;
  confidence?: 'unverified';
}
export interface CookieMark {
  prefix: string;
  confidence?: 'unverified';
}
export interface HtmlMark {
  text: string;
  confidence?: 'unverified';
}

export interface CatalogPlugin {
  slug: string;
  name: string;
  category: PluginCategory;
  confidence?: 'unverified';
  marks: { restCodes?: RestCodeMark[]; headers?: HeaderMark[]; cookies?: CookieMark[]; html?: HtmlMark[] };
  /** where in the plugin (or its service) to look */
  settings: string;
}

export interface CatalogMatch {
  plugin: CatalogPlugin;
  /** what matched, in words: "REST error code rest_login_required" */
  mark: string;
  confidence: MarkConfidence;
}

export const PLUGINS: readonly CatalogPlugin[] = (data as { plugins: CatalogPlugin[] }).plugins;

const conf = (m: { confidence?: string }, p: CatalogPlugin): MarkConfidence => (m.confidence === 'unverified' || p.confidence === 'unverified' ? 'unverified' : 'known');

// every page of a crawl is matched against these: lower-cased once, here
const HTML_MARKS = PLUGINS.flatMap((plugin) => (plugin.marks.html ?? []).map((mark) => ({ plugin, mark, needle: mark.text.toLowerCase() })));

export function pluginBySlug(slug: string): CatalogPlugin | undefined {
  return PLUGINS.find((p) => p.slug === slug);
}

/** Plugins known to answer with this REST error code (a matching message makes it stronger, never required). */
export function pluginsByRestCode(code: string, message?: string): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const m of p.marks.restCodes ?? []) {
      if (m.code !== code) continue;
      const sameMessage = m.message !== undefined && message !== undefined && m.message.trim().toLowerCase() === message.trim().toLowerCase();
      out.push({ plugin: p, mark: `REST error code ${code}${sameMessage ? ' with the same message' : ''}`, confidence: conf(m, p) });
    }
  }
  // an exact message match first
  return out.sort((a, b) => Number(b.mark.endsWith('message')) - Number(a.mark.endsWith('message')));
}

/** Plugins whose headers appear in a response (names lower-case). */
export function pluginsByHeaders(headers: Record<string, string[]>): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const m of p.marks.headers ?? []) {
      const values = headers[m.name.toLowerCase()];
      if (!values) continue;
      if (m.value !== undefined && !values.some((v) => v.toLowerCase().includes((m.value as string).toLowerCase()))) continue;
      out.push({ plugin: p, mark: m.value ? `header ${m.name}: ${m.value}` : `header ${m.name}`, confidence: conf(m, p) });
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
      if (hit) out.push({ plugin: p, mark: `cookie ${hit}`, confidence: conf(m, p) });
    }
  }
  return out;
}

/** Plugins whose page text marks appear in this text (a title, an excerpt, a message). */
export function pluginsByText(text: string): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  const lower = text.toLowerCase();
  for (const { plugin, mark, needle } of HTML_MARKS) {
    if (lower.includes(needle)) out.push({ plugin, mark: `page text "${mark.text}"`, confidence: conf(mark, plugin) });
  }
  return out;
}

/** Catalog plugins among slugs seen in asset paths (/wp-content/plugins/<slug>/). */
export function pluginsBySlugs(slugs: string[]): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const slug of new Set(slugs)) {
    const p = pluginBySlug(slug);
    if (p) out.push({ plugin: p, mark: `assets under /wp-content/plugins/${slug}/`, confidence: 'known' });
  }
  return out;
}
