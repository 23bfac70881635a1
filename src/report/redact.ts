// Defensive redaction for reporters that show headers: probes are redacted
// when gathered, but a report must not be the place a missed secret leaks.

import type { HeaderMap, Probe, ScanResult } from '../model.js';

export const REDACTED = '[redacted]';

/** Headers whose values are never shown or exported, whatever the probe says. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-wp-nonce',
  'x-wp401-signature',
  'x-wp401-nonce',
]);

/** Keeps cookie names, drops their values: `a=1; b=2` → `a=[redacted]; b=[redacted]`. */
function redactCookieValue(name: string, value: string): string {
  if (value === REDACTED) return value;
  if (name === 'cookie') {
    return value
      .split(';')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq === -1 ? REDACTED : `${pair.slice(0, eq).trim()}=${REDACTED}`;
      })
      .join('; ');
  }
  if (name === 'set-cookie') {
    const semi = value.indexOf(';');
    const first = semi === -1 ? value : value.slice(0, semi);
    const attributes = semi === -1 ? '' : value.slice(semi);
    const eq = first.indexOf('=');
    return eq === -1 ? REDACTED : `${first.slice(0, eq).trim()}=${REDACTED}${attributes}`;
  }
  return REDACTED;
}

export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (!SECRET_HEADERS.has(lower)) return value;
  if (lower === 'cookie' || lower === 'set-cookie') return redactCookieValue(lower, value);
  // Keep the scheme of an Authorization header ("Basic", "Bearer"): it is evidence, not a secret.
  const scheme = /^([A-Za-z-]+) \S/.exec(value);
  return scheme && (lower === 'authorization' || lower === 'proxy-authorization') ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, values] of Object.entries(headers)) {
    out[name] = (values ?? []).map((v) => redactHeaderValue(name, v));
  }
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
      evidence: finding.evidence.map((ev) =>
        ev.kind === 'header' ? { ...ev, value: redactHeaderValue(ev.name, ev.value) } : ev,
      ),
    })),
  };
}
