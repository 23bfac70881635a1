// Defensive redaction for reporters that show headers: probes are redacted
// when gathered, but a report must not be the place a missed secret leaks.
// The same redactor as the engine's (src/redact.ts), by name only: a report
// knows no secret values.
import type { HeaderMap, Probe, ScanResult } from '../model.js';
import { createRedactor } from '../redact.js';

const byName = createRedactor();

export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, values] of Object.entries(headers)) out[name] = (values ?? []).map((v) => byName.header(name, v));
  return out;
}

function redactProbe(probe: Probe): Probe {
  return {
    ...probe,
    requestHeaders: redactHeaders(probe.requestHeaders),
    headers: redactHeaders(probe.headers),
    chain: probe.chain.map((hop) => ({ ...hop, headers: redactHeaders(hop.headers) })),
  };
}

/** A copy of the result with secret header values redacted in every probe and header evidence. */
export function redactResult(result: ScanResult): ScanResult {
  return {
    ...result,
    probes: result.probes.map(redactProbe),
    findings: result.findings.map((finding) => ({
      ...finding,
      evidence: finding.evidence.map((ev) => (ev.kind === 'header' ? { ...ev, value: byName.header(ev.name, ev.value) } : ev)),
    })),
  };
}
