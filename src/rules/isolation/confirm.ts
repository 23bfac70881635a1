// After isolation: the finding about a failing request becomes "confirmed",
// names the plugin(s) and cites the experiments. Reads only observations
// (experiments, probes, the bridge's report), so a saved scan re-judges the
// same way. Pure.
import type { Evidence, Finding, Probe } from '../../model.js';
import type { Observations } from '../../observations/index.js';
import { handoverFor } from './handover.js';
import { deriveIsolation, type DerivedIsolation } from './outcome.js';
import { blamedProbes, requestKey } from './targets.js';

interface PluginInfo {
  basename: string;
  slug: string;
  name: string;
  hooks: string[];
}

function plugins(obs: Observations): Map<string, PluginInfo> {
  const out = new Map<string, PluginInfo>();
  for (const p of obs.bridge?.environment?.plugins ?? []) out.set(p.basename, { basename: p.basename, slug: p.slug, name: p.name, hooks: p.hooks });
  return out;
}

function info(all: Map<string, PluginInfo>, basename: string): PluginInfo {
  const slug = basename.includes('/') ? (basename.split('/')[0] as string) : basename.replace(/\.php$/, '');
  return all.get(basename) ?? { basename, slug, name: slug, hooks: [] };
}

/** The callback the ledger saw produce the error, when it belongs to one of the culprits. */
function ledgerCallback(obs: Observations, probe: Probe, slugs: string[]): { hook?: string; callback?: string } {
  const entry = obs.bridge?.ledger?.[probe.id];
  const err = entry?.authError;
  if (err && typeof err.plugin === 'string' && slugs.includes(err.plugin)) {
    return { ...(typeof err.hook === 'string' ? { hook: err.hook } : {}), ...(typeof err.callback === 'string' ? { callback: err.callback } : {}) };
  }
  const ap = obs.bridge?.environment?.applicationPasswords;
  if (probe.auth.startsWith('app-password') && ap?.available === false && ap.reason === 'disabled-by-filter') {
    const cb = ap.changedBy.find((c) => typeof c.callback === 'string')?.callback;
    return { hook: 'wp_is_application_passwords_available', ...(typeof cb === 'string' ? { callback: `${cb}, which turns application passwords off` } : {}) };
  }
  const ev = (entry?.hookEvents ?? []).find((e) => typeof e.owner?.slug === 'string' && slugs.includes(e.owner.slug));
  return ev ? { ...(typeof ev.hook === 'string' ? { hook: ev.hook } : {}), ...(typeof ev.callback === 'string' ? { callback: ev.callback } : {}) } : {};
}

function describe(probe: Probe): string {
  const path = (() => {
    try {
      const u = new URL(probe.url);
      return `${u.pathname}${u.search}`;
    } catch {
      return probe.url;
    }
  })();
  const who = probe.auth === 'none' ? 'anonymously' : `with ${probe.auth}`;
  const code = probe.body?.restError?.code ? ` ${probe.body.restError.code}` : '';
  return `${probe.method} ${path} ${who} (${probe.status}${code})`;
}

function confirmedFinding(base: Finding | null, obs: Observations, probe: Probe, d: DerivedIsolation): Finding {
  const all = plugins(obs);
  const culprits = d.culprits.map((b) => info(all, b));
  const slugs = culprits.map((c) => c.slug);
  const seen = ledgerCallback(obs, probe, slugs);
  const together = culprits.length > 1;
  const names = culprits.map((c) => c.name).join(' and ');
  const evidence: Evidence[] = [
    ...(base?.evidence ?? [{ kind: 'probe', probe: probe.id } as Evidence]),
    ...culprits.map((c): Evidence => ({ kind: 'bridge', fact: 'culprit-plugin', value: { slug: c.slug, file: c.basename, hooks: c.hooks } })),
    ...d.experiments.map((id): Evidence => ({ kind: 'experiment', experiment: id })),
  ];
  const fixes = culprits.map((c) => {
    const hooks = seen.hook && c.slug === slugs[0] ? [seen.hook] : c.hooks;
    const where = hooks.length ? ` It hooks ${hooks.join(', ')}${seen.callback && c.slug === slugs[0] ? ` (${seen.callback})` : ''}.` : '';
    return `Check the settings of ${c.name} (${c.basename}) that restrict ${probe.auth === 'app-password' ? 'application passwords or REST authentication' : 'access to this request'}, or deactivate it and use an alternative.${where}`;
  });
  if (together) fixes.push(`The two plugins only block the request together: changing the setting in either one is enough; start with whichever you need less.`);
  const confirmation = together
    ? `Switching off ${names} for one request made it pass, while each of them alone did not; with only these two active it still failed.`
    : `Switching off only ${names} for one request made it pass; with every other plugin off and ${names} on, it still failed.`;
  return {
    id: base?.id ?? 'plugin.isolated',
    severity: 'error',
    layer: 'plugin',
    culprit: { kind: 'plugin', name: slugs.join(' + '), ...(together ? {} : { file: culprits[0]?.basename as string }) },
    title: base?.title ?? `${names} ${together ? 'block' : 'blocks'} ${describe(probe)}`,
    explanation: `${base ? `${base.explanation} ` : ''}wp401 replayed ${describe(probe)} with plugins switched off for that request only (${d.experiments.length} replay${d.experiments.length === 1 ? '' : 's'}; other visitors were not affected). ${confirmation}`,
    evidence,
    // The base rule's "run --isolate to prove it" advice is done now.
    fixes: [...fixes, ...(base?.fixes ?? []).filter((f) => !fixes.includes(f) && !f.includes('--isolate'))],
    confidence: 'confirmed',
  };
}

function handoverNote(base: Finding, obs: Observations, probe: Probe, d: DerivedIsolation): Finding {
  const extra: Evidence[] = d.experiments.map((id) => ({ kind: 'experiment', experiment: id }));
  let text: string;
  if (d.verdict === 'not-a-plugin') {
    const h = handoverFor(probe, obs.bridge?.ledger?.[probe.id], obs.bridge?.environment);
    text = `With every plugin switched off the request still failed: it is not a regular plugin — ${h.reason}${h.name ? ` (${h.name})` : ''}.`;
  } else if (d.verdict === 'flaky') {
    text = 'Isolation stopped: the site answered the same replay differently (flaky); no plugin is blamed.';
  } else {
    text = 'Isolation could not narrow the failure down to a plugin; no plugin is blamed.';
  }
  return { ...base, evidence: [...base.evidence, ...extra, { kind: 'note', text }], explanation: `${base.explanation} ${text}` };
}

/** Findings after isolation: culprit findings confirmed, hand-over notes added. */
export function applyIsolation(findings: Finding[], obs: Observations): Finding[] {
  if (obs.experiments.length === 0) return findings;
  const byId = new Map(obs.probes.map((p) => [p.id, p]));
  const derived = new Map<string, DerivedIsolation>();
  const byKey = new Map<string, DerivedIsolation>();
  for (const id of new Set(obs.experiments.map((e) => e.probe))) {
    const probe = byId.get(id);
    const d = probe ? deriveIsolation(probe, obs.experiments) : null;
    if (probe && d) {
      derived.set(id, d);
      byKey.set(requestKey(probe), d);
    }
  }
  const used = new Set<string>();
  const out = findings.map((f) => {
    if (!blamedProbes([f]).length) return f;
    for (const e of f.evidence) {
      if (e.kind !== 'probe') continue;
      const probe = byId.get(e.probe);
      const d = derived.get(e.probe) ?? (probe ? byKey.get(requestKey(probe)) : undefined);
      if (!probe || !d) continue;
      const target = byId.get(d.probe) ?? probe;
      used.add(d.probe);
      return d.verdict === 'plugin' ? confirmedFinding(f, obs, target, d) : handoverNote(f, obs, target, d);
    }
    return f;
  });
  // Isolations no rule asked for (the ledger pointed at a plugin): their own finding.
  // One finding per culprit set; further requests it blocks are added as evidence.
  const bySet = new Map<string, Finding>();
  for (const d of derived.values()) {
    if (used.has(d.probe) || d.verdict !== 'plugin') continue;
    const probe = byId.get(d.probe);
    if (!probe) continue;
    const k = d.culprits.join('\n');
    const existing = bySet.get(k);
    if (existing) {
      existing.evidence.push({ kind: 'probe', probe: probe.id, note: `also blocked: ${describe(probe)}` }, ...d.experiments.map((id): Evidence => ({ kind: 'experiment', experiment: id })));
      continue;
    }
    const f = confirmedFinding(null, obs, probe, d);
    bySet.set(k, f);
    out.push(f);
  }
  return out;
}
