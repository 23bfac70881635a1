// Which known plugins the site shows from outside (asset paths, page marks,
// headers, cookie names). Information for the other findings and the user;
// never an error by itself.
import { type CatalogMatch, pluginsByCookies, pluginsByHeaders, pluginsBySlugs } from '../catalog/index.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

export const pluginFingerprintRule: Rule = {
  meta: { id: 'plugin.fingerprint', title: 'Known plugins seen from outside', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    const slugs = obs.probes.flatMap((p) => list(p.body?.facts?.pluginSlugs));
    const marked = obs.probes.flatMap((p) => list(p.body?.facts?.pluginMarks));
    const hinted = obs.probes.flatMap((p) => list(p.body?.facts?.pluginHints));
    const matches: CatalogMatch[] = [
      ...pluginsBySlugs(slugs),
      ...pluginsBySlugs(marked).map((m) => ({ ...m, mark: 'its mark in page HTML' })),
      ...pluginsBySlugs(hinted).map((m) => ({ ...m, mark: 'a hint in page HTML', confidence: 'unverified' as const })),
      ...obs.probes.flatMap((p) => pluginsByHeaders(p.headers)),
      ...pluginsByCookies(f.setCookies.map((c) => c.judgement.name ?? '')),
    ];
    const bySlug = new Map<string, CatalogMatch[]>();
    for (const m of matches) bySlug.set(m.plugin.slug, [...(bySlug.get(m.plugin.slug) ?? []), m]);
    const other = [...new Set(slugs)].filter((s) => !bySlug.has(s));
    if (bySlug.size === 0 && other.length === 0) return [];
    // a plugin seen only through catalog hints (not verified in its code) may be installed: said so
    const known = [...bySlug.values()].map(
      (ms) => `${ms[0]?.plugin.name} (${ms[0]?.plugin.category}; ${[...new Set(ms.map((m) => m.mark))].join(', ')}${ms.every((m) => m.confidence !== 'verified') ? '; may be installed: unverified hints only' : ''})`,
    );
    return [
      {
        id: 'plugin.fingerprint',
        severity: 'info',
        layer: 'plugin',
        culprit: null,
        title: `Plugins seen from outside: ${[...bySlug.keys(), ...other].slice(0, 8).join(', ')}`,
        explanation:
          'Plugins leave marks in public pages (asset paths under /wp-content/plugins/), headers and cookie names. This list is what the site shows to anyone — plugins that load nothing on public pages are invisible from outside.' +
          (known.length ? ` Known to wp401's catalog: ${known.join('; ')}.` : ''),
        evidence: [noteEv(`asset slugs: ${[...new Set(slugs)].slice(0, 20).join(', ') || 'none'}`)],
        fixes: [],
        confidence: 'possible',
      },
    ];
  },
};
