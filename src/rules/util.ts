// Small helpers rules share to build findings: evidence entries, the
// companion-plugin hint, the catalog's verdict on a suspected plugin.
import type { CatalogMatch } from '../catalog/index.js';
import type { Culprit, Evidence, Probe } from '../model.js';
import type { Facts } from '../facts/index.js';
import type { Observations } from '../observations/index.js';

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
export function isolateHint(obs: Pick<Observations, 'bridge' | 'experiments'>): string[] {
  if (obs.bridge?.status !== 'ok') return [ISOLATE_HINT];
  return obs.experiments.length > 0 ? [] : [ISOLATE_AGAIN_HINT];
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

/** The culprit a catalog match names, or an unnamed plugin when the catalog does not know the mark. */
export function pluginCulprit(matches: CatalogMatch[]): Culprit {
  const m = matches[0];
  return m ? { kind: 'plugin', name: m.plugin.slug } : { kind: 'plugin', name: 'unknown' };
}

/** Words for what the catalog says about a suspected plugin. */
export function catalogWords(matches: CatalogMatch[], what: string): string {
  if (matches.length === 0) return `A plugin (which one cannot be told from outside) ${what}. No plugin in wp401's catalog is known to leave this mark.`;
  const names = matches.map((m) => `${m.plugin.name} (${m.plugin.slug}; ${m.mark}${m.confidence === 'unverified' ? ', unverified' : ''})`);
  return `A plugin ${what}. The mark matches ${names.join(' and ')} in wp401's catalog — a likely suspect, not a proof: another plugin or a theme can use the same mark.`;
}

export function settingsFix(matches: CatalogMatch[]): string[] {
  return matches.slice(0, 2).map((m) => `If ${m.plugin.name} is active, look at ${m.plugin.settings}.`);
}

/** Loopback, localhost and development TLDs: where WP_ENVIRONMENT_TYPE is usually "local". */
export function looksLocal(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|\[?::1\]?|localhost)$/.test(host) || /\.(local|test|localhost|ddev\.site|lndo\.site|wip)$/.test(host);
}
