// The known-plugin catalog: plugins that commonly cause or explain a 401,
// and the marks they leave that can be seen from outside. Data lives in
// plugins.json; this module types it and answers the few look-ups rules need.
// A plugin's "marks" were each read in its own code (a source: version, file,
// line); its "hints" could not be (a proxy service's header, code not stored)
// and say why. Look-ups return both, a hint as confidence "unverified": rules
// name a culprit only from verified marks (catalogVerdict in rules/util.ts).
import data from './plugins.json' with { type: 'json' };

export type PluginCategory = 'security' | 'cache' | 'login-lock' | 'rest-restriction' | 'auth' | 'cdn' | 'other';
/** "verified": a mark read in the plugin's own code (its source); "unverified": a hint, never names a culprit */
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

/** A mark carries its source; a hint says why it could not be verified (catalogProblems checks both). */
interface MarkBase {
  source?: MarkSource;
  /** a hint's reason: why it could not be checked against the plugin's code */
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

export interface MarkLists {
  restCodes?: RestCodeMark[];
  headers?: HeaderMark[];
  cookies?: CookieMark[];
  html?: HtmlMark[];
  redirects?: RedirectMark[];
}
export type MarkKind = keyof MarkLists;

export interface CatalogPlugin {
  slug: string;
  name: string;
  category: PluginCategory;
  /** read in the plugin's own code: every one carries its source */
  marks: MarkLists;
  /** not verified (each says why): may tell that the plugin may be installed, never names it */
  hints?: MarkLists;
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

const MARK_KINDS: readonly MarkKind[] = ['restCodes', 'headers', 'cookies', 'html', 'redirects'];
type Listed = { plugin: CatalogPlugin; kind: MarkKind; mark: AnyMark };
const listed = (plugins: readonly CatalogPlugin[], lists: (p: CatalogPlugin) => MarkLists | undefined): Listed[] =>
  plugins.flatMap((plugin) => MARK_KINDS.flatMap((kind) => ((lists(plugin)?.[kind] ?? []) as AnyMark[]).map((mark) => ({ plugin, kind, mark }))));

/** Every mark of every plugin, with its kind (for the catalog's own checks). */
export function allMarks(plugins: readonly CatalogPlugin[] = PLUGINS): Listed[] {
  return listed(plugins, (p) => p.marks);
}

/** Every hint of every plugin, with its kind. */
export function allHints(plugins: readonly CatalogPlugin[] = PLUGINS): Listed[] {
  return listed(plugins, (p) => p.hints);
}

/** A mark is verified only with a complete source; anything else is a hint. */
export function isVerified(m: MarkBase): boolean {
  const s = m.source;
  return s !== undefined && m.unverified === undefined && !!s.plugin && !!s.version && !!s.file && Number.isInteger(s.line) && s.line > 0 && !!s.read;
}

/** The words a mark leaves ("rest_login_required", "page text"), to name it in a problem. */
const markId = (x: Listed) => {
  const m = x.mark as unknown as Record<string, unknown>;
  return `${x.plugin.slug} ${x.kind} ${String(m.code ?? m.name ?? m.prefix ?? m.text ?? m.from)}`;
};

/**
 * What is wrong with a catalog: a mark without a complete source read in that
 * plugin's code (at a stated version, file and line, from the plugin mirror or
 * a GitHub commit), a mark that also claims to be unverified, a hint without
 * its reason or with a source (a verified mark belongs in marks), a mark kind
 * the look-ups do not read. Empty when every mark has a verified source.
 */
export function catalogProblems(plugins: readonly CatalogPlugin[]): string[] {
  const out: string[] = [];
  for (const p of plugins) {
    for (const lists of [p.marks, p.hints ?? {}]) for (const k of Object.keys(lists)) if (!MARK_KINDS.includes(k as MarkKind)) out.push(`${p.slug}: unknown mark kind ${k}`);
  }
  for (const x of allMarks(plugins)) {
    const s = x.mark.source;
    if (x.mark.unverified !== undefined) out.push(`${markId(x)}: a mark says it is unverified — move it to hints`);
    if (!s) out.push(`${markId(x)}: a mark without a source`);
    else if (!isVerified({ source: s })) out.push(`${markId(x)}: an incomplete source ${JSON.stringify(s)}`);
    else {
      if (s.plugin !== x.plugin.slug) out.push(`${markId(x)}: verified in another plugin's code (${s.plugin})`);
      if (!/^(mirror|github:[\w.-]+\/[\w.-]+@[0-9a-f]{40})$/.test(s.read)) out.push(`${markId(x)}: where it was read ("${s.read}") is neither the plugin mirror nor a GitHub commit`);
    }
  }
  for (const x of allHints(plugins)) {
    if (typeof x.mark.unverified !== 'string' || x.mark.unverified.trim().length <= 10) out.push(`${markId(x)}: a hint without its reason`);
    if (x.mark.source !== undefined) out.push(`${markId(x)}: a hint with a source — a verified mark belongs in marks`);
  }
  return out;
}

/** A mark counts as verified only when it is one (its source complete); a hint never does. */
const conf = (m: MarkBase, hint: boolean): MarkConfidence => (!hint && isVerified(m) ? 'verified' : 'unverified');
const withSource = (m: MarkBase, hint: boolean) => (!hint && isVerified(m) ? { source: m.source } : {});
/** A plugin's marks, then its hints, of one kind (a hint flagged). */
function entries<K extends MarkKind>(p: CatalogPlugin, kind: K): { mark: NonNullable<MarkLists[K]>[number]; hint: boolean }[] {
  return [...(p.marks[kind] ?? []).map((mark) => ({ mark, hint: false })), ...(p.hints?.[kind] ?? []).map((mark) => ({ mark, hint: true }))] as { mark: NonNullable<MarkLists[K]>[number]; hint: boolean }[];
}

/** "loginizer 2.0.6, init.php line 875" */
export function sourceWords(s: MarkSource): string {
  return `${s.plugin} ${s.version}, ${s.file} line ${s.line}`;
}

// every page of a crawl is matched against these: lower-cased once, here
const HTML_MARKS = PLUGINS.flatMap((plugin) => entries(plugin, 'html').map(({ mark, hint }) => ({ plugin, mark, hint, needle: mark.text.toLowerCase() })));

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
    for (const { mark: m, hint } of entries(p, 'restCodes')) {
      if (m.code !== code) continue;
      const sameMessage = m.message !== undefined && message !== undefined && norm(message).startsWith(norm(m.message));
      const otherMessage = m.message !== undefined && !sameMessage;
      out.push({ plugin: p, mark: `REST error code ${code}${sameMessage ? ` with its message "${m.message}"` : ''}`, confidence: conf(m, hint), ...withSource(m, hint), sameMessage, otherMessage });
    }
  }
  return out.sort((a, b) => Number(b.sameMessage) - Number(a.sameMessage));
}

/** Plugins whose headers appear in a response (names lower-case). */
export function pluginsByHeaders(headers: Record<string, string[]>): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const { mark: m, hint } of entries(p, 'headers')) {
      const values = headers[m.name.toLowerCase()];
      if (!values) continue;
      if (m.value !== undefined && !values.some((v) => v.toLowerCase().includes((m.value as string).toLowerCase()))) continue;
      out.push({ plugin: p, mark: m.value ? `header ${m.name}: ${m.value}` : `header ${m.name}`, confidence: conf(m, hint), ...withSource(m, hint) });
    }
  }
  return out;
}

/** Plugins whose cookie names appear among these names. */
export function pluginsByCookies(names: string[]): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  for (const p of PLUGINS) {
    for (const { mark: m, hint } of entries(p, 'cookies')) {
      const hit = names.find((n) => n.startsWith(m.prefix));
      if (hit) out.push({ plugin: p, mark: `cookie ${hit}`, confidence: conf(m, hint), ...withSource(m, hint) });
    }
  }
  return out;
}

/** Plugins whose page text marks appear in this text (a title, an excerpt, a message). */
export function pluginsByText(text: string): CatalogMatch[] {
  const out: CatalogMatch[] = [];
  const lower = text.toLowerCase();
  for (const { plugin, mark, hint, needle } of HTML_MARKS) {
    if (lower.includes(needle)) out.push({ plugin, mark: `page text "${mark.text}"`, text: mark.text, confidence: conf(mark, hint), ...withSource(mark, hint) });
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
    for (const { mark: m, hint } of entries(p, 'redirects')) {
      if (m.from === from && path.endsWith(m.to)) out.push({ plugin: p, mark: `/${from} sent to ${m.to}`, text: m.to, confidence: conf(m, hint), ...withSource(m, hint) });
    }
  }
  return out;
}
