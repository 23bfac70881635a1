// What the companion plugin (the bridge) saw, read once for every rule: its
// environment report and, per probe, its ledger entry. Null when the bridge
// did not answer, so rules fall back to what can be seen from outside.
//
// The ledger is what decides the layer with certainty: an entry means the
// probe reached PHP (so a 401 came from WordPress or a plugin, and whatever
// header or cookie is missing there was lost before PHP); `null` means the
// bridge never saw it (the web server or an edge answered first).
import type {
  BridgeDropin,
  BridgeEnvironment,
  BridgeHookCallback,
  BridgeHtaccessDirective,
  BridgeHtaccessFile,
  BridgeLedgerEntry,
  BridgeOwner,
  BridgePlugin,
} from '../observations/bridge.js';
import { parseBridgeObservation } from '../bridge/parse.js';
import type { Culprit, Evidence, Probe } from '../model.js';
import type { Observations } from '../observations/index.js';

/** A plugin (or mu-plugin, drop-in, theme) the bridge holds responsible for something. */
export interface Blamed {
  type: BridgeOwner['type'];
  slug: string;
  /** plugin basename "slug/file.php", or the file for mu-plugins and drop-ins */
  file?: string;
  /** the callback and hook, for words and evidence */
  callback?: string;
  hook?: string;
}

export interface BridgeFacts {
  env: BridgeEnvironment;
  /** the ledger was read back (false: it failed, and no probe can be judged by it) */
  hasLedger: boolean;
  /** the raw ledger entry: an entry (reached PHP), null (the bridge never saw it), undefined (not asked / unknown) */
  ledger(p: Probe): BridgeLedgerEntry | null | undefined;
  /** true: reached PHP · false: never did · undefined: unknown */
  reachedPhp(p: Probe): boolean | undefined;
  /** PHP runs as FastCGI/CGI (php-fpm, mod_fcgid): Apache then passes Authorization only when told to */
  cgi: boolean;
  /** marks inside PHP of a proxy in front: X-Forwarded-Proto arriving, or the outside Server header is not the server PHP runs under */
  proxyMarks: string[];
  /** the active plugin with this slug or basename (the bridge itself left out) */
  plugin(slugOrBasename: string): BridgePlugin | undefined;
  /** callbacks on a hook that do not belong to WordPress core or the bridge */
  thirdParty(hook: string): BridgeHookCallback[];
  /** the auth-related .htaccess directives, per file, that exist and were read */
  htaccess: BridgeHtaccessFile[];
  dropin(file: string): BridgeDropin | undefined;
  /** who returned the authentication error this entry records (a plugin, mu-plugin, theme…; never core) */
  errorOwner(e: BridgeLedgerEntry): Blamed | null;
  /** who called wp_die() or first set a 401/403/429 status on this request (never core) */
  stopOwner(e: BridgeLedgerEntry): Blamed | null;
  /** who called wp_redirect() on this request (a plugin or theme file), when the ledger caught it */
  redirectOwner(e: BridgeLedgerEntry): Blamed | null;
  /** an owner the bridge reported, as blame (null for core, PHP or unknown) */
  blame(owner: BridgeOwner | null | undefined, extra?: { callback?: string; hook?: string }): Blamed | null;
}

const CGI_SAPIS = new Set(['fpm-fcgi', 'cgi-fcgi', 'cgi']);
const NOT_BLAMED = new Set<BridgeOwner['type']>(['core', 'php', 'unknown']);

/** The ledger entry's reachedPhp/authorizationHeader (and cookie names) as a bridge evidence entry. */
export function ledgerEv(p: Probe, e: BridgeLedgerEntry | null, fields: readonly (keyof BridgeLedgerEntry)[] = ['reachedPhp', 'authorizationHeader']): Evidence {
  if (e === null) return { kind: 'bridge', fact: `ledger.${p.id}`, value: { reachedPhp: false } };
  const value: Record<string, unknown> = {};
  for (const k of fields) value[k] = e[k];
  return { kind: 'bridge', fact: `ledger.${p.id}`, value };
}

/** A culprit naming the blamed plugin (slug + basename), mu-plugin or drop-in. */
export function blamedCulprit(b: Blamed): Culprit {
  const kind = b.type === 'mu-plugin' ? 'mu-plugin' : b.type === 'drop-in' ? 'drop-in' : 'plugin';
  return b.file ? { kind, name: b.slug, file: b.file } : { kind, name: b.slug };
}

/** "fixture-rest-guard (fixture_rest_guard_block on rest_authentication_errors)" */
export function blamedWords(b: Blamed): string {
  const what = b.type === 'plugin' ? 'the plugin' : b.type === 'mu-plugin' ? 'the must-use plugin' : b.type === 'drop-in' ? 'the drop-in' : b.type === 'theme' ? 'the theme' : '';
  const where = b.callback ? ` (${b.callback}${b.hook ? ` on ${b.hook}` : ''})` : b.hook ? ` (on ${b.hook})` : '';
  return `${what} ${b.slug}${where}`.trim();
}

/**
 * How to switch the blamed code off to confirm, in the terms that fit what it
 * is: a plugin is deactivated; a must-use plugin has no Deactivate link (WordPress
 * loads every .php file in wp-content/mu-plugins/), so its file is moved out; a
 * drop-in (wp-content/advanced-cache.php, object-cache.php…) is loaded by
 * WordPress by its file name, usually installed by a cache or security plugin.
 */
export function switchOffWords(b: Blamed): string {
  const file = b.file ?? b.slug;
  switch (b.type) {
    case 'mu-plugin':
      return `must-use plugins cannot be deactivated: move wp-content/mu-plugins/${file} out of that folder to confirm (WordPress loads every .php file there)`;
    case 'drop-in':
      return `drop-ins are not deactivated like plugins: turn off the feature of the plugin that installed wp-content/${file} (usually a cache or security plugin), or rename the file to confirm`;
    case 'theme':
      return `switch to another theme to confirm`;
    default:
      return `deactivate ${b.slug} to confirm`;
  }
}

function blamedOf(owner: BridgeOwner | null | undefined, pluginFile: string | undefined, extra: { callback?: string; hook?: string }, plugins: BridgePlugin[]): Blamed | null {
  if (owner && !NOT_BLAMED.has(owner.type) && owner.slug) {
    const file = owner.plugin ?? plugins.find((p) => p.slug === owner.slug)?.basename ?? (owner.type === 'plugin' ? undefined : (owner.file ?? undefined));
    return { type: owner.type, slug: owner.slug, ...(file ? { file } : {}), ...extra };
  }
  if (pluginFile) {
    const p = plugins.find((x) => x.basename === pluginFile || x.slug === pluginFile);
    const slug = p?.slug ?? pluginFile.split('/')[0] ?? pluginFile;
    return { type: 'plugin', slug, file: p?.basename ?? (pluginFile.includes('/') ? pluginFile : undefined), ...extra };
  }
  return null;
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function computeBridgeFacts(obs: Observations, outsideServer: string | null): BridgeFacts | null {
  // typed where it entered; parsed again here only for observations built or saved elsewhere (the same parser, idempotent)
  const b = parseBridgeObservation(obs.bridge);
  if (b?.status !== 'ok' || !b.environment) return null;
  const env = b.environment;
  const raw = b.ledger ?? null;
  const ledger = (p: Probe): BridgeLedgerEntry | null | undefined => {
    if (!raw || !(p.id in raw)) return undefined;
    return raw[p.id] ?? null;
  };
  const plugins = env.plugins.filter((p) => !p.bridge);
  const sapi = String(env.php.sapi ?? '').toLowerCase();
  const inside = String(env.server.software ?? '').toLowerCase();
  const proxyMarks: string[] = [];
  if (env.server.forwardedProto) proxyMarks.push(`X-Forwarded-Proto: ${env.server.forwardedProto} arrives at PHP`);
  const outside = (outsideServer ?? '').toLowerCase();
  const family = (s: string) => s.match(/^[a-z-]+/)?.[0] ?? '';
  if (outside && inside && family(outside) !== family(inside)) proxyMarks.push(`the site answers as "${outsideServer}" while PHP runs under "${env.server.software}"`);
  return {
    env,
    hasLedger: raw !== null,
    ledger,
    reachedPhp: (p) => {
      const e = ledger(p);
      return e === undefined ? undefined : e?.reachedPhp === true;
    },
    cgi: CGI_SAPIS.has(sapi),
    proxyMarks,
    plugin: (s) => plugins.find((p) => p.slug === s || p.basename === s),
    thirdParty: (hook) => (env.hooks[hook] ?? []).filter((cb) => cb.owner && !NOT_BLAMED.has(cb.owner.type) && !(cb.owner.slug && env.plugins.some((p) => p.bridge && p.slug === cb.owner.slug))),
    htaccess: env.htaccess.filter((h) => h.exists && h.readable),
    dropin: (file) => env.dropins.find((d) => d.file === file),
    errorOwner: (e) => {
      const a = e.authError;
      if (!a) return null;
      const extra = clean({ callback: a.callback, hook: a.hook });
      // the hook event carries the full owner (type, basename); the entry itself only the slug
      const ev = [...(e.hookEvents ?? [])].reverse().find((h) => h.change === 'error' && h.code === a.code && (!a.callback || h.callback === a.callback));
      const byEvent = ev ? blamedOf(ev.owner, undefined, clean({ callback: ev.callback, hook: ev.hook }), plugins) : null;
      if (byEvent) return byEvent;
      if (!a.plugin || (a.ownerType && NOT_BLAMED.has(a.ownerType))) return null;
      if (!a.ownerType || a.ownerType === 'plugin') return blamedOf(undefined, a.plugin, extra, plugins);
      return { type: a.ownerType, slug: a.plugin, ...extra };
    },
    blame: (owner, extra = {}) => blamedOf(owner, undefined, clean(extra), plugins),
    redirectOwner: (e) => blamedOf(e.redirectedBy?.owner, undefined, clean({ hook: e.redirectedBy?.hook }), plugins),
    stopOwner: (e) =>
      blamedOf(e.statusSetBy?.owner, undefined, clean({ hook: e.statusSetBy?.hook }), plugins) ?? blamedOf(e.died?.owner, undefined, clean({ hook: e.died?.hook }), plugins),
  };
}

/** The auth directives (Auth…, Require, Satisfy, SetEnvIf, CGIPassAuth) of an .htaccess file. */
export function authDirectives(h: BridgeHtaccessFile): BridgeHtaccessDirective[] {
  return h.directives.filter((d) => /^(auth|require|satisfy|setenvif|cgipassauth)/i.test(d.directive));
}
