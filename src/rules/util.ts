// Small helpers rules share to build findings: evidence entries, the
// companion-plugin hint, the catalog's verdict on a suspected plugin.
import { type CatalogMatch, sourceWords } from '../catalog/index.js';
import type { Culprit, Evidence, Probe } from '../model.js';
import type { Facts } from '../facts/index.js';
import type { Observations } from '../observations/index.js';
import { bridgeStatusOf } from '../facts/bridge-status.js';
import { type Blamed, ledgerEv } from '../facts/bridge.js';

export const ISOLATE_HINT =
  'To prove which plugin it is, install the companion plugin (`wp401 bridge zip` writes it) and run the scan again with --isolate; it switches plugins off for single requests only.';

/** The same advice when the companion plugin already answered this scan: only --isolate is missing. */
export const ISOLATE_AGAIN_HINT = 'To prove which plugin it is, run the scan again with --isolate: the companion plugin is installed; it switches plugins off for single requests only.';

/**
 * The "prove it with the companion plugin" advice, fitted to what this scan
 * already did: the install-and-isolate text without the plugin, "run again
 * with --isolate" when the plugin answered but no experiment ran, and nothing
 * once isolation experiments ran (their outcome is reported instead).
 */
export function isolateHint(obs: Pick<Observations, 'bridge' | 'experiments'> & { credentials?: Observations['credentials'] }): string[] {
  const status = bridgeStatusOf({ bridge: obs.bridge, credentials: obs.credentials ?? { bridgeKey: obs.bridge !== null } });
  switch (status.status) {
    case 'ok':
      return obs.experiments.length > 0 ? [] : [ISOLATE_AGAIN_HINT];
    // It is there (or something stands in its way): installing it again would not help.
    case 'key-refused':
    case 'unreachable':
      return [`To prove which plugin it is, scan again with --isolate once the companion plugin can answer. ${status.message}`];
    default:
      return [ISOLATE_HINT];
  }
}

export function probeEv(p: Probe, note?: string): Evidence {
  return note ? { kind: 'probe', probe: p.id, note } : { kind: 'probe', probe: p.id };
}

/** A header as evidence, value bounded (headers on probes are already redacted). */
export function headerEv(p: Probe, name: string): Evidence[] {
  const v = p.headers[name.toLowerCase()];
  return v?.length ? [{ kind: 'header', probe: p.id, name: name.toLowerCase(), value: v.join(', ').slice(0, 200) }] : [];
}

export function noteEv(text: string): Evidence {
  return { kind: 'note', text };
}

/** "GET /wp-json/ → 401" for explanations. */
export function describe(f: Facts, p: Probe): string {
  return `${p.method} /${f.pathOf(p)} → ${p.status}`;
}

/**
 * The plugins this scan saw installed: asset paths under
 * /wp-content/plugins/<slug>/ in any answer (certain: the files are there),
 * and with the companion plugin its list of active plugins.
 */
export function installedPlugins(obs: Pick<Observations, 'probes'>, f: Pick<Facts, 'bridge'>): Set<string> {
  const out = new Set<string>();
  for (const p of obs.probes) {
    const slugs = p.body?.facts?.pluginSlugs;
    if (Array.isArray(slugs)) for (const s of slugs) if (typeof s === 'string') out.add(s);
  }
  for (const pl of f.bridge?.env.plugins ?? []) if (!pl.bridge) out.add(pl.slug);
  return out;
}

/** What the catalog lets a rule say about the plugin behind a mark. */
export interface CatalogVerdict {
  /** the named plugin, or an unnamed plugin when no verified mark matched */
  culprit: Culprit;
  /** likely: a verified mark only this plugin leaves, and the plugin seen installed; possible otherwise */
  confidence: 'likely' | 'possible';
  /** the verified candidates, the named one first */
  candidates: CatalogMatch[];
  /** unverified matches: hints, never the culprit */
  hints: CatalogMatch[];
  words: string;
}

const matchWords = (m: CatalogMatch) => `${m.plugin.name} (${m.plugin.slug}; ${m.mark}${m.source ? `, verified in ${sourceWords(m.source)}` : ', unverified'})`;

/**
 * Names a plugin from catalog matches only as far as the evidence separates
 * it: unverified marks are hints; a shared code is narrowed by the plugin's
 * own message when the answer carries it; one plugin left is named, "likely"
 * only when it is also seen installed; several left are all named, "possible".
 */
export function catalogVerdict(matches: CatalogMatch[], installed: ReadonlySet<string>, what: string): CatalogVerdict {
  const verified = matches.filter((m) => m.confidence === 'verified');
  const hints: CatalogMatch[] = matches.filter((m) => m.confidence !== 'verified' && !verified.some((v) => v.plugin.slug === m.plugin.slug));
  const byMessage = verified.filter((m) => m.sameMessage);
  // a shared code whose message is not the catalog plugin's own: evidence against that plugin, a hint at most
  const contradicted = byMessage.length ? [] : verified.filter((m) => m.otherMessage);
  const pool = byMessage.length ? byMessage : verified.filter((m) => !m.otherMessage);
  hints.push(...contradicted);
  const candidates = [...new Map(pool.map((m) => [m.plugin.slug, m])).values()].sort((a, b) => Number(installed.has(b.plugin.slug)) - Number(installed.has(a.plugin.slug)));
  const hintWords =
    (hints.some((m) => !m.otherMessage) ? ` Unverified hints (not checked against the plugins' code, so not used to name one): ${hints.filter((m) => !m.otherMessage).map(matchWords).join('; ')}.` : '') +
    (contradicted.length
      ? ` The same code is returned by ${contradicted.map(matchWords).join('; ')} — but with a message of its own that this answer does not carry, so it is not named.`
      : '');
  const first = candidates[0];
  if (!first) {
    return {
      culprit: { kind: 'plugin', name: 'unknown' },
      confidence: 'possible',
      candidates: [],
      hints,
      words: `A plugin (which one cannot be told from outside) ${what}. No verified mark in wp401's catalog matches.${hintWords}`,
    };
  }
  if (candidates.length === 1) {
    // a shared code without the plugin's own message, or a mark the catalog also lists (unverified) for
    // another plugin, is no mark unique to it
    const shared = first.otherMessage || hints.length > 0;
    const seen = installed.has(first.plugin.slug) && !shared;
    return {
      culprit: { kind: 'plugin', name: first.plugin.slug },
      confidence: seen ? 'likely' : 'possible',
      candidates,
      hints,
      words:
        `A plugin ${what}. The mark matches only ${matchWords(first)} in wp401's catalog` +
        (hints.length && !first.otherMessage
          ? '; the catalog lists the same mark for another plugin (unverified), so it is not unique to it: possible, not proven.'
          : first.otherMessage
          ? `, but the answer's message is not that plugin's own ("${first.plugin.marks.restCodes?.find((m) => first.mark.includes(m.code))?.message ?? ''}"): other plugins return the same code, so possible, not proven.`
          : seen
            ? ', and this scan saw that plugin installed.'
            : ', but this scan did not see that plugin installed: possible, not proven (another plugin, a theme or a snippet can use the same mark).') +
        hintWords,
    };
  }
  const seen = candidates.filter((m) => installed.has(m.plugin.slug)).map((m) => m.plugin.slug);
  return {
    culprit: { kind: 'plugin', name: first.plugin.slug },
    confidence: 'possible',
    candidates,
    hints,
    words:
      `A plugin ${what}. Possible: ${candidates.map(matchWords).join(', or ')} — the same mark is left by each of them, and nothing in the answer tells them apart` +
      (seen.length ? ` (this scan saw installed: ${seen.join(', ')})` : '') +
      '. The companion plugin with --isolate names the one responsible.' +
      hintWords,
  };
}

/** Where to look in the candidates' settings (the first two). */
export function settingsFix(matches: CatalogMatch[]): string[] {
  return matches.slice(0, 2).map((m) => `If ${m.plugin.name} is active, look at ${m.plugin.settings}.`);
}

/** Loopback, localhost and development TLDs: where WP_ENVIRONMENT_TYPE is usually "local". */
export function looksLocal(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|\[?::1\]?|localhost)$/.test(host) || /\.(local|test|localhost|ddev\.site|lndo\.site|wip)$/.test(host);
}

/**
 * Who the bridge's ledger says ended one of these requests — called wp_die()
 * or first set a 401/403/429 status — with its entry as evidence; null
 * without a ledger or when no entry names an owner outside core.
 */
export function ledgerStop(f: Facts, probes: Probe[]): { who: Blamed; did: string; evidence: Evidence[] } | null {
  const bridge = f.bridge;
  if (!bridge?.hasLedger) return null;
  for (const p of probes) {
    const e = bridge.ledger(p);
    const who = e ? bridge.stopOwner(e) : null;
    if (e && who) {
      const did = [e.died ? 'called wp_die()' : '', e.statusSetBy ? `set the ${e.statusSetBy.status} status` : ''].filter(Boolean).join(' and ') || 'ended the request';
      return {
        who,
        did,
        evidence: [
          ledgerEv(p, e, ['reachedPhp', 'status']),
          { kind: 'bridge', fact: `ledger.${p.id}.stop`, value: { died: e.died ? { hook: e.died.hook, plugin: e.died.owner?.slug ?? null } : null, statusSetBy: e.statusSetBy ? { status: e.statusSetBy.status, hook: e.statusSetBy.hook, plugin: e.statusSetBy.owner?.slug ?? null } : null } },
        ],
      };
    }
  }
  return null;
}
