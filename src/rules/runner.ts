// Runs every rule over the observations. A rule that throws becomes an
// `error` finding about wp401 itself; it never stops the scan.
import type { Finding } from '../model.js';
import type { Observations } from '../observations/index.js';
import { computeFacts } from '../facts/index.js';
import type { Requirement, Rule } from './types.js';
import { UNEXPLAINED_REFUSAL_ID, unexplainedRefusals } from './auth.refused.unexplained.js';

function crashed(id: string, layer: Finding['layer'], err: unknown): Finding {
  return {
    id: 'wp401.rule-crashed',
    severity: 'error',
    layer,
    culprit: null,
    title: `wp401's rule ${id} failed`,
    explanation: `The rule could not judge this site: ${err instanceof Error ? err.message : String(err)}. Other rules ran normally; please report this with the saved observations.`,
    evidence: [],
    fixes: [],
    confidence: 'possible',
  };
}

function available(obs: Observations): Set<Requirement> {
  const have = new Set<Requirement>(['probes']);
  if (obs.login) have.add('login');
  if (obs.browser) have.add('browser');
  if (obs.bridge?.status === 'ok') have.add('bridge');
  if (obs.experiments.length) have.add('experiments');
  return have;
}

export function runRules(rules: readonly Rule[], obs: Observations): Finding[] {
  const facts = computeFacts(obs);
  const have = available(obs);
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!rule.meta.requires.every((r) => have.has(r))) continue;
    try {
      findings.push(...rule.evaluate(obs, facts));
    } catch (err) {
      findings.push(crashed(rule.meta.id, rule.meta.layer, err));
    }
  }
  // Last, the check that reads the other rules' findings: no refused
  // credentialed request goes without an error finding (no false green).
  try {
    findings.push(...unexplainedRefusals(obs, facts, findings));
  } catch (err) {
    findings.push(crashed(UNEXPLAINED_REFUSAL_ID, 'wordpress', err));
  }
  return sortFindings(findings);
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Errors first; among them, explained ones before the safety net's "refused and not yet explained". */
export function sortFindings(findings: Finding[]): Finding[] {
  const last = (f: Finding) => (f.id === UNEXPLAINED_REFUSAL_ID ? 1 : 0);
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || last(a) - last(b) || a.id.localeCompare(b.id));
}
