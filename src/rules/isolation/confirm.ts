// After isolation: the finding about a failing request becomes "confirmed",
// names the plugin(s) and cites the experiments. Reads only observations
// (experiments, probes, the bridge's report), so a saved scan re-judges the
// same way. Pure.
import type { Evidence, Experiment, Finding, Probe } from '../../model.js';
import { failureOf, judgeExperiment } from '../../facts/experiment.js';
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

const key = (xs: readonly string[]) => [...xs].sort().join('\n');

/** What one replay answered, in words: "passed (200)", "still failed (401 rest_login_required)". */
function answered(exp: Experiment, probe: Probe): string {
  const outcome = judgeExperiment(failureOf(probe), exp);
  const seen = `${exp.status}${exp.errorCode ? ` ${exp.errorCode}` : ''}`;
  if (outcome === 'pass') return `passed (${seen})`;
  if (outcome === 'fail') return exp.status === probe.status && exp.errorCode === probe.body?.restError?.code ? `still failed (${seen})` : `was still refused, now with ${seen}`;
  return `gave no usable answer (${seen})`;
}

const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * The sentences about the replays of one group, each generated from the one
 * recorded experiment it speaks about (never from what the search meant to
 * show): its id is cited beside it and in the evidence.
 */
function groupSentences(probe: Probe, d: DerivedIsolation, group: string[], exps: Experiment[], nameOf: (b: string) => string): { text: string[]; cited: string[] } {
  const everything = exps[0]?.pluginsOff ?? [];
  const onSet = (e: Experiment) => everything.filter((p) => !e.pluginsOff.includes(p));
  const find = (pred: (e: Experiment) => boolean) => [...exps].reverse().find(pred);
  const names = (xs: string[]) => list(xs.map(nameOf));
  const text: string[] = [];
  const cited: string[] = [];
  const say = (e: Experiment | undefined, words: (e: Experiment) => string) => {
    if (!e) return;
    text.push(`${words(e)} [${e.id}].`);
    cited.push(e.id);
  };
  const others = d.groups.filter((g) => key(g) !== key(group));
  const alone = find((e) => key(onSet(e)) === key(group));
  say(alone, (e) => `With only ${names(group)} active (every other plugin switched off for that request), it ${answered(e, probe)}`);
  if (!alone && key(group) === key(everything)) text.push(`${names(group)} ${group.length === 1 ? 'is' : 'are'} every plugin that can be switched off: with all of them on, the request failed as recorded.`);
  if (group.length > 1) {
    for (const m of group) {
      const rest = group.filter((x) => x !== m);
      say(
        find((e) => onSet(e).includes(m) && rest.every((x) => e.pluginsOff.includes(x)) && judgeExperiment(failureOf(probe), e) === 'pass'),
        (e) => `With ${nameOf(m)} active but ${names(rest)} switched off, it ${answered(e, probe)}`,
      );
    }
  }
  if (others.length > 0) {
    say(
      find((e) => key(e.pluginsOff) === key(group)),
      (e) => `With only ${names(group)} switched off, it ${answered(e, probe)}`,
    );
    for (const g of others) {
      say(
        find((e) => key(onSet(e)) === key(g)),
        (e) => `${names(g)} refuse${g.length === 1 ? 's' : ''} it on ${g.length === 1 ? 'its' : 'their'} own as well: with only ${names(g)} active, it ${answered(e, probe)}`,
      );
    }
  }
  say(
    find((e) => key(e.pluginsOff) === key(d.culprits)),
    (e) => `With ${names(d.culprits)} switched off${d.culprits.length > 1 ? ' together' : ''}, it ${answered(e, probe)}`,
  );
  return { text, cited };
}

/** One finding per culprit group: a single plugin, a pair that fails only together, or each independent culprit on its own. */
function confirmedFindings(base: Finding | null, obs: Observations, probe: Probe, d: DerivedIsolation): Finding[] {
  const all = plugins(obs);
  const exps = obs.experiments.filter((e) => d.experiments.includes(e.id));
  const nameOf = (b: string) => info(all, b).name;
  const baseSlug = base?.culprit?.kind === 'plugin' ? base.culprit.name : undefined;
  // the rule's own words stay with the group holding the plugin it named (or the first group)
  const baseGroup = d.groups.find((g) => g.some((b) => info(all, b).slug === baseSlug)) ?? d.groups[0];
  const independent = d.groups.length > 1;
  return d.groups.map((group) => {
    const culprits = group.map((b) => info(all, b));
    const slugs = culprits.map((c) => c.slug);
    const seen = ledgerCallback(obs, probe, slugs);
    const together = culprits.length > 1;
    const names = list(culprits.map((c) => c.name));
    const ownBase = group === baseGroup ? base : null;
    const { text, cited } = groupSentences(probe, d, group, exps, nameOf);
    const others = d.groups.filter((g) => g !== group);
    const evidence: Evidence[] = [
      ...(ownBase?.evidence ?? base?.evidence.filter((e) => e.kind === 'probe') ?? [{ kind: 'probe', probe: probe.id } as Evidence]),
      ...culprits.map((c): Evidence => ({ kind: 'bridge', fact: 'culprit-plugin', value: { slug: c.slug, file: c.basename, hooks: c.hooks } })),
      ...cited.map((id): Evidence => ({ kind: 'experiment', experiment: id })),
    ];
    const fixes = culprits.map((c) => {
      const hooks = seen.hook && c.slug === slugs[0] ? [seen.hook] : c.hooks;
      const where = hooks.length ? ` It hooks ${hooks.join(', ')}${seen.callback && c.slug === slugs[0] ? ` (${seen.callback})` : ''}.` : '';
      return `Check the settings of ${c.name} (${c.basename}) that restrict ${probe.auth === 'app-password' ? 'application passwords or REST authentication' : 'access to this request'}, or deactivate it and use an alternative.${where}`;
    });
    if (together) fixes.push('These plugins block the request only together: changing the setting in either one is enough; start with whichever you need less.');
    if (independent) {
      fixes.push(`${list(others.map((g) => list(g.map(nameOf))))} also refuse${others.length === 1 && others[0]?.length === 1 ? 's' : ''} the same request on ${others.length === 1 && others[0]?.length === 1 ? 'its' : 'their'} own (a separate finding): the request passes only once each of them lets it through.`);
    }
    const role = independent ? `one of ${d.groups.length} causes that each refuse it on their own` : together ? 'a set of plugins that refuse it only together' : 'the plugin that refuses it';
    return {
      id: base?.id ?? 'plugin.isolated',
      severity: 'error',
      layer: 'plugin',
      culprit: { kind: 'plugin', name: slugs.join(' + '), ...(together ? {} : { file: culprits[0]?.basename as string }) },
      title: ownBase && !independent ? ownBase.title : `${names} ${together ? 'block' : 'blocks'} ${describe(probe)}${independent ? ` on ${together ? 'their' : 'its'} own` : together ? ' together' : ''}`,
      explanation: `${ownBase ? `${ownBase.explanation} ` : ''}wp401 replayed ${describe(probe)} with plugins switched off for that request only (${d.experiments.length} replay${d.experiments.length === 1 ? '' : 's'}; other visitors were not affected): ${names} ${together ? 'are' : 'is'} ${role}. ${text.join(' ')}`,
      evidence,
      // The base rule's "run --isolate to prove it" advice is done now.
      fixes: [...fixes, ...(ownBase?.fixes ?? []).filter((f) => !fixes.includes(f) && !f.includes('--isolate'))],
      confidence: 'confirmed',
    };
  });
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
  const out = findings.flatMap((f): Finding[] => {
    if (!blamedProbes([f]).length) return [f];
    for (const e of f.evidence) {
      if (e.kind !== 'probe') continue;
      const probe = byId.get(e.probe);
      const d = derived.get(e.probe) ?? (probe ? byKey.get(requestKey(probe)) : undefined);
      if (!probe || !d) continue;
      const target = byId.get(d.probe) ?? probe;
      used.add(d.probe);
      return d.verdict === 'plugin' ? confirmedFindings(f, obs, target, d) : [handoverNote(f, obs, target, d)];
    }
    return [f];
  });
  // Isolations no rule asked for (the ledger pointed at a plugin): their own findings.
  // One finding per culprit group; further requests it blocks are added as evidence.
  const byGroup = new Map<string, Finding>();
  const slugsKey = (slugs: string[]) => key(slugs);
  // a group a finding above already confirms gets the further request as evidence, not a second finding
  for (const f of out) if (f.confidence === 'confirmed' && f.culprit?.kind === 'plugin') byGroup.set(slugsKey(f.culprit.name.split(' + ')), f);
  const all = plugins(obs);
  for (const d of derived.values()) {
    if (used.has(d.probe) || d.verdict !== 'plugin') continue;
    const probe = byId.get(d.probe);
    if (!probe) continue;
    const made = confirmedFindings(null, obs, probe, d);
    d.groups.forEach((g, i) => {
      const k = slugsKey(g.map((b) => info(all, b).slug));
      const existing = byGroup.get(k);
      const f = made[i] as Finding;
      if (existing) {
        existing.evidence.push({ kind: 'probe', probe: probe.id, note: `also blocked: ${describe(probe)}` }, ...f.evidence.filter((e) => e.kind === 'experiment'));
        return;
      }
      byGroup.set(k, f);
      out.push(f);
    });
  }
  return out;
}
