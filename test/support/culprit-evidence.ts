// What counts as "evidence for a culprit", for the invariant tests over every
// recorded observation (test/unit/rules/invariants.test.ts).
//
// A finding NAMES a culprit when `culprit` is set and its name is not
// "unknown". A pair ("a + b") names each of its parts; each part needs its own
// evidence. An evidence item of that finding CARRIES THE MARK of a culprit
// part when one of these holds (nothing else counts — a free-text note never
// does, and neither does an observation the finding does not cite):
//
//  experiment  the cited experiment exists, switched the part's plugin off
//              (its basename is in `pluginsOff`), and — judged against the
//              recorded failure of its probe (facts/experiment.ts) — passed.
//  ledger      a cited `bridge` fact `ledger.<probe>…` whose value names the
//              part (its slug as an owner/plugin, or its file) — the bridge
//              saw that code act on that request. For a culprit that is not
//              code (a server setting, a proxy, a cookie), a ledger entry of a
//              request the finding cites is the mark: it records what arrived
//              in PHP (Authorization, cookies, whether the request got there).
//  bridge      a cited `bridge` fact (the companion plugin's report) whose
//              fact path or value names the part (slug, file, the drop-in's
//              file name), or that reads the wp-config.php setting the culprit
//              names (COOKIE_DOMAIN → cookies.domain, HTTPS → server.https /
//              wordpress.isSsl).
//  observed    a cited probe/header/cookie that carries the mechanism's own
//              mark: for a plugin, a mark wp401's catalog attributes to that
//              plugin (REST code, header, cookie prefix, page text quoted in
//              the finding); for the advanced-cache.php drop-in, an answer a
//              cache served (facts/marks.ts cacheHits); for an .htaccess Basic
//              lock or a credential colliding with it, a Basic challenge; for
//              a wp-config.php cookie setting or a cookie, a cookie evidence
//              about that cookie or setting; for a server setting or proxy
//              that drops Authorization or cookies, a credentialed (or
//              cookie-carrying) request cited with its answer; for a
//              credential mistake (src/facts/credentials.ts), WordPress's own
//              words: the login page's "is not registered" or REST's
//              invalid_username for the user name, REST's incorrect_password
//              for the application password; an XML-RPC refusal of the same
//              credentials in the body (not unique alone: either can be
//              wrong); for WP_ENVIRONMENT_TYPE, the profile page's "requires
//              HTTPS" notice (unique), or a REST index without application
//              passwords (not unique: a plugin's filter looks the same).
//
// UNIQUE marks (what `likely` needs): experiment, ledger and bridge marks; an
// observed mark only when it separates this culprit from the alternatives —
// a catalog mark that is verified (not "unverified"), that the catalog gives
// to this plugin alone, on a plugin seen installed (its assets in a page, or
// the bridge's plugin list); a cookie Domain/Secure/Path refusal for the
// wp-config.php setting that writes it; a cookie evidence for that cookie.
// A cache hit, a Basic challenge or a refused credential alone are NOT
// unique: a proxy cache, a PHP-level lock, a wrong password produce them too.
import { pluginsByCookies, pluginsByHeaders, pluginsByRestCode, pluginsByText, type CatalogMatch } from '../../src/catalog/index.js';
import { failureOf, judgeExperiment } from '../../src/facts/experiment.js';
import { cacheHits } from '../../src/facts/marks.js';
import { challengesOf } from '../../src/facts/challenge.js';
import type { Culprit, Evidence, Experiment, Finding, Probe } from '../../src/model.js';

export type MarkKind = 'experiment' | 'ledger' | 'bridge' | 'observed';

export interface MarkContext {
  probes: Probe[];
  experiments: Experiment[];
  /** plugin slugs the scan saw installed: asset paths in pages, or the bridge's plugin list */
  installed: Set<string>;
}

export interface Mark {
  kind: MarkKind;
  unique: boolean;
  evidence: Evidence;
}

const CONSTANT_FACTS: Record<string, string[]> = {
  COOKIE_DOMAIN: ['cookies.domain'],
  HTTPS: ['server.https', 'wordpress.isSsl'],
  ADMIN_COOKIE_PATH: ['cookies.adminPath'],
  WP_ENVIRONMENT_TYPE: ['applicationPasswords'],
};

const PLUGIN_KINDS = new Set<Culprit['kind']>(['plugin', 'mu-plugin']);

export function namesCulprit(f: Finding): boolean {
  return f.culprit !== null && f.culprit.name !== 'unknown' && f.culprit.name.trim() !== '';
}

/** The parts of a culprit: "a + b" is a pair, each named on its own. */
export function culpritParts(c: Culprit): string[] {
  return c.name.split(' + ').map((s) => s.trim()).filter(Boolean);
}

const slugOf = (basename: string) => (basename.includes('/') ? (basename.split('/')[0] as string) : basename.replace(/\.php$/, ''));

/** `needle` as a whole token in `hay` (slugs are [a-z0-9-_]). */
function namesToken(hay: string, needle: string): boolean {
  if (!needle) return false;
  const esc = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_-])${esc}([^A-Za-z0-9_-]|$)`).test(hay);
}

export function installedSlugs(probes: Probe[], bridgePlugins: { slug?: string; basename?: string }[] | undefined): Set<string> {
  const out = new Set<string>();
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const p of probes) for (const s of [...list(p.body?.facts?.pluginSlugs), ...list(p.body?.facts?.pluginMarks)]) out.add(s);
  for (const p of bridgePlugins ?? []) {
    if (p.slug) out.add(p.slug);
    if (p.basename) out.add(slugOf(p.basename));
  }
  return out;
}

function probeOf(e: Evidence, byId: Map<string, Probe>): Probe | undefined {
  if (e.kind === 'probe' || e.kind === 'header') return byId.get(e.probe);
  if (e.kind === 'cookie' && e.probe) return byId.get(e.probe);
  return undefined;
}

/** The probe ids a finding cites (probe, header, cookie and ledger evidence). */
function citedProbes(f: Finding): Set<string> {
  const out = new Set<string>();
  for (const e of f.evidence) {
    if (e.kind === 'probe' || e.kind === 'header') out.add(e.probe);
    else if (e.kind === 'cookie' && e.probe) out.add(e.probe);
  }
  return out;
}

function catalogMatchesOf(p: Probe, texts: string[]): CatalogMatch[] {
  const err = p.body?.restError;
  const setCookies = (p.headers['set-cookie'] ?? []).map((c) => c.split('=')[0]?.trim() ?? '');
  return [
    ...(err ? pluginsByRestCode(err.code, err.message) : []),
    ...pluginsByHeaders(p.headers),
    ...pluginsByCookies(setCookies),
    ...texts.flatMap((t) => pluginsByText(t)),
  ];
}

/** Every evidence item of `f` that carries the mark of culprit part `part`. */
export function marksFor(f: Finding, part: string, ctx: MarkContext): Mark[] {
  const c = f.culprit as Culprit;
  const byId = new Map(ctx.probes.map((p) => [p.id, p]));
  const cited = citedProbes(f);
  const file = culpritParts(c).length === 1 ? c.file : undefined;
  const isCode = PLUGIN_KINDS.has(c.kind) || c.kind === 'drop-in';
  const out: Mark[] = [];
  const notes = f.evidence.flatMap((e) => (e.kind === 'note' ? [e.text] : e.kind === 'probe' && e.note ? [e.note] : []));
  for (const e of f.evidence) {
    if (e.kind === 'experiment') {
      const exp = ctx.experiments.find((x) => x.id === e.experiment);
      const probe = exp ? byId.get(exp.probe) : undefined;
      if (!exp || !probe || !isCode) continue;
      if (!exp.pluginsOff.some((b) => slugOf(b) === part || b === file)) continue;
      if (judgeExperiment(failureOf(probe), exp) === 'pass') out.push({ kind: 'experiment', unique: true, evidence: e });
      continue;
    }
    if (e.kind === 'bridge') {
      const text = `${e.fact} ${JSON.stringify(e.value ?? null)}`;
      const names = namesToken(text, part) || (file !== undefined && text.includes(file));
      if (e.fact.startsWith('ledger.')) {
        const probeId = e.fact.split('.')[1] ?? '';
        if (isCode ? names : cited.has(probeId) || names) out.push({ kind: 'ledger', unique: true, evidence: e });
        continue;
      }
      const setting = (CONSTANT_FACTS[part] ?? []).includes(e.fact);
      if (names || (c.kind === 'wp-config' && setting)) out.push({ kind: 'bridge', unique: true, evidence: e });
      continue;
    }
    const p = probeOf(e, byId);
    const observed = observedMark(c, part, e, p, notes, ctx, [...cited].flatMap((id) => byId.get(id) ?? []));
    if (observed) out.push({ kind: 'observed', unique: observed.unique, evidence: e });
  }
  return out;
}

const basic = (p: Probe) => challengesOf(p).some((ch) => ch.scheme.toLowerCase() === 'basic');

/** A cited login that shows the user exists: it logged in (a redirect away from the login page), or core said only the password is wrong. */
const userExists = (cited: Probe[]) =>
  cited.some((p) => p.source === 'login' && p.method === 'POST' && ((p.chain[0]?.status === 302 && !/wp-login\.php/.test(p.chain[0]?.location ?? '')) || /password you entered for the (username|email address)/i.test(String(p.body?.facts?.message ?? ''))));

function observedMark(c: Culprit, part: string, e: Evidence, p: Probe | undefined, notes: string[], ctx: MarkContext, cited: Probe[] = []): { unique: boolean } | null {
  switch (c.kind) {
    case 'plugin':
    case 'mu-plugin': {
      if (!p) return null;
      // a catalog hint (not verified in the plugin's code) is no evidence that names a plugin
      const mine = catalogMatchesOf(p, notes).filter((m) => m.plugin.slug === part && m.confidence === 'verified');
      if (mine.length === 0) return null;
      const err = p.body?.restError;
      // unique: a verified mark that no other catalog plugin shares, on a plugin seen installed
      const shared = (m: CatalogMatch) => {
        if (m.mark.startsWith('REST error code') && err) return pluginsByRestCode(err.code, err.message).some((o) => o.plugin.slug !== part);
        if (m.mark.startsWith('page text')) return notes.some((t) => pluginsByText(t).some((o) => o.plugin.slug !== part && o.mark === m.mark));
        return pluginsByHeaders(p.headers).some((o) => o.plugin.slug !== part && o.mark === m.mark);
      };
      const unique = ctx.installed.has(part) && mine.some((m) => m.confidence === 'verified' && !shared(m));
      return { unique };
    }
    case 'drop-in':
      return p && cacheHits((n) => p.headers[n]?.join(', ')).length > 0 ? { unique: false } : null;
    case 'htaccess':
      // a Basic challenge; unique to the server's lock only on the server's own error page (a PHP lock answers with wp_die)
      return p && basic(p) ? { unique: p.body?.pageKind === 'apache-error' || p.body?.pageKind === 'nginx-error' } : null;
    case 'credential': {
      if (!p) return null;
      const said = `${p.body?.restError?.code ?? ''} ${String(p.body?.facts?.message ?? '')}`;
      if (part === 'user' && /invalid_username|invalid_email|is not registered on this site/i.test(said)) return { unique: true };
      if (part === 'application-password' && /incorrect_password/.test(said)) return { unique: true };
      // the same credentials refused in an XML-RPC body: wrong ones, and with a login that shows the user exists, the application password
      if (p.auth === 'app-password-xmlrpc' && p.body?.facts?.xmlrpcFault === 403) return { unique: part === 'application-password' && userExists(cited) };
      // a credential refused; a Basic challenge to a request that carried it proves the lock took its header
      return p.auth !== 'none' && p.status >= 400 ? { unique: basic(p) } : null;
    }
    case 'wp-config':
      if (part === 'WP_ENVIRONMENT_TYPE' && p) {
        if (p.body?.facts?.appPasswordsSection === 'unsupported') return { unique: true };
        const offered = p.body?.facts?.restAuthentication;
        return Array.isArray(offered) && !offered.includes('application-passwords') ? { unique: false } : null;
      }
      return e.kind === 'cookie' && (part === 'COOKIE_DOMAIN' ? /domain/i.test(e.reason) : part === 'HTTPS' ? /secure/i.test(e.reason) : part === 'ADMIN_COOKIE_PATH' ? /\bpath\b/i.test(e.reason) : false) ? { unique: true } : null;
    case 'cookie':
      return e.kind === 'cookie' && e.name === part ? { unique: true } : null;
    case 'server-config':
    case 'proxy':
      // the request that carried the credential or the cookies, and what came back
      if (e.kind === 'cookie') return /stripped|not-received/.test(e.reason) ? { unique: false } : null;
      return p && (p.auth !== 'none' || p.source === 'login' || (p.requestHeaders.cookie ?? []).length > 0) ? { unique: false } : null;
    default:
      return null;
  }
}
