// Turns a response body into the small, redaction-safe summary a probe keeps:
// page kind and title, the WordPress REST error, and a few facts rules need
// (REST namespaces and authentication schemes, the login error, generator).
// Plugged into the HTTP engine as its `summarizeBody` hook.
import type { BodySummary } from '../model.js';
import { pluginsByText } from '../catalog/index.js';
import { readPage } from './page.js';
import { parseRestError } from './rest-error.js';
import { pluginSlugsIn, sameOriginLinks, sitemapLocs } from './links.js';

type Details = Partial<Pick<BodySummary, 'title' | 'pageKind' | 'restError' | 'excerpt' | 'facts'>>;

const MAX_ROUTES = 400;

function restIndexFacts(json: unknown): BodySummary['facts'] | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.namespaces) || typeof o.routes !== 'object' || o.routes === null) return undefined;
  const routes: string[] = [];
  for (const [route, spec] of Object.entries(o.routes as Record<string, unknown>)) {
    if (routes.length >= MAX_ROUTES) break;
    if (route.includes('(?P<')) continue;
    const endpoints = (spec as { endpoints?: { methods?: string[]; args?: Record<string, { required?: boolean }> }[] })?.endpoints ?? [];
    const getNoArgs = endpoints.some(
      (e) => (e.methods ?? []).includes('GET') && !Object.values(e.args ?? {}).some((a) => a && a.required === true),
    );
    if (getNoArgs) routes.push(route);
  }
  const auth = o.authentication && typeof o.authentication === 'object' && !Array.isArray(o.authentication) ? Object.keys(o.authentication) : [];
  const facts: NonNullable<BodySummary['facts']> = {
    restIndex: true,
    restNamespaces: (o.namespaces as unknown[]).filter((n): n is string => typeof n === 'string').slice(0, 200),
    restAuthentication: auth,
    restRoutes: routes,
  };
  if (typeof o.home === 'string') facts.restHome = o.home.slice(0, 500);
  if (typeof o.url === 'string') facts.restUrl = o.url.slice(0, 500);
  return facts;
}

function parseJsonBounded(text: string): unknown {
  if (text.length > 4 * 1024 * 1024) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function summarizeBody(text: string, contentType: string | undefined, url: string, status: number): Details {
  const ct = (contentType ?? '').toLowerCase();
  const trimmed = text.trimStart();
  if (ct.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const out: Details = { pageKind: 'json' };
    const restError = parseRestError(text, contentType);
    if (restError) {
      out.pageKind = 'rest-json';
      out.restError = { code: restError.code, message: restError.message.slice(0, 500), status: restError.status ?? undefined };
      return out;
    }
    const facts = restIndexFacts(parseJsonBounded(text));
    if (facts) {
      out.pageKind = 'rest-json';
      out.facts = facts;
    }
    return out;
  }
  if (ct.includes('xml') || trimmed.startsWith('<?xml')) {
    const out: Details = { pageKind: 'xml' };
    const fault = /<name>faultCode<\/name>\s*<value><int>(\d+)<\/int>/.exec(text.slice(0, 65536));
    if (fault?.[1]) out.facts = { xmlrpcFault: Number(fault[1]) };
    // an XML-RPC answer without a fault: the call was accepted (a method that needs a login logged in)
    else if (/<methodResponse>\s*<params>/.test(text.slice(0, 65536))) out.facts = { xmlrpcOk: true };
    const locs = sitemapLocs(text, url);
    if (locs.length) out.facts = { ...out.facts, sitemapLocs: locs };
    return out;
  }
  const { page, hrefs } = readPage(text, url, { status });
  const out: Details = { pageKind: page.kind };
  if (page.title) out.title = page.title;
  if (page.excerpt) out.excerpt = page.excerpt;
  const facts: NonNullable<BodySummary['facts']> = {};
  if (page.message) facts.message = page.message.slice(0, 500);
  const head = text.slice(0, 262144);
  const generator = /<meta[^>]+name=["']generator["'][^>]+content=["']WordPress\s*([\d.]+)/i.exec(head);
  if (generator?.[1]) facts.generator = generator[1];
  if (/wp-content\/|wp-includes\//.test(head)) facts.wpAssets = true;
  if (/<form[^>]+id=["']loginform["']/i.test(head)) {
    facts.loginForm = true;
    const action = /<form[^>]+id=["']loginform["'][^>]*action=["']([^"']+)["']/i.exec(head) ?? /<form[^>]+action=["']([^"']+)["'][^>]*id=["']loginform["']/i.exec(head);
    if (action?.[1]) facts.loginAction = action[1].replace(/&amp;/g, '&').slice(0, 500);
  }
  // for the crawler and the plugin fingerprint: same-origin links, plugin asset slugs, catalog page marks
  if (status < 300 || status >= 400) {
    const links = sameOriginLinks(hrefs, url);
    if (links.length) facts.links = links;
  }
  // wp-admin/user-edit.php (core 5.6+) shows #application-passwords-section when they are available for the user
  // (with the "Add New" form) or when they are not supported at all (then only its "requires HTTPS" notice); a
  // filter that makes them unavailable on a supported site hides the section.
  if (/id=["']application-passwords-section["']/.test(text)) facts.appPasswordsSection = /id=["']new_application_password_name["']/.test(text) ? 'available' : 'unsupported';
  else if (/id=["']your-profile["']/.test(head)) facts.appPasswordsSection = 'hidden';
  const slugs = pluginSlugsIn(text);
  if (slugs.length) facts.pluginSlugs = slugs;
  // Catalog page marks live in small pages (block and login pages) or at the
  // ends of big ones (cache plugins' closing comments, footers): the whole of
  // a small page, the first and last 16 KiB of a big one.
  const markText = text.length <= 32768 ? text : `${text.slice(0, 16384)}\n${text.slice(-16384)}`;
  const found = pluginsByText(markText);
  // a verified mark shows the plugin; a catalog hint only that it may be there
  const marked = [...new Set(found.filter((m) => m.confidence === 'verified').map((m) => m.plugin.slug))];
  if (marked.length) facts.pluginMarks = marked;
  const hinted = [...new Set(found.filter((m) => m.confidence !== 'verified').map((m) => m.plugin.slug))].filter((s) => !marked.includes(s));
  if (hinted.length) facts.pluginHints = hinted;
  // which marks, so a rule can quote them and tell verified marks from hints
  const texts = [...new Set(found.flatMap((m) => (m.text ? [m.text] : [])))];
  if (texts.length) facts.pluginMarkTexts = texts.slice(0, 10);
  if (Object.keys(facts).length) out.facts = facts;
  return out;
}
