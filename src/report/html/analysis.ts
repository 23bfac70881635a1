// What the HTML sections share, computed once from the result: which probes
// failed, where each failing request stopped (a finding's layer, else the
// shared stop-layer fact), and how findings refer to probes.

import { stopLayerOf } from '../../facts/stop-layer.js';
import type { Finding, Layer, Probe, ScanResult, Severity } from '../../model.js';

/** Statuses that mean "who are you?" or its 401-shaped cousins. */
export function isAuthFailure(status: number): boolean {
  return status === 401 || status === 403 || status === 407 || status === 429;
}

/**
 * A request that was turned away. Probes sent with a deliberately wrong
 * password are controls: their 401 is the expected answer, not a failure.
 */
export function isFailing(probe: Probe): boolean {
  if (probe.auth === 'bad-app-password' || probe.auth === 'unknown-user') return false;
  return probe.status === 0 || probe.error !== undefined || isAuthFailure(probe.status);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Probe ids a finding points at, through any kind of evidence. */
export function findingProbeIds(finding: Finding): string[] {
  const ids: string[] = [];
  for (const ev of finding.evidence) {
    if ((ev.kind === 'probe' || ev.kind === 'header' || ev.kind === 'cookie') && ev.probe) ids.push(ev.probe);
  }
  return ids;
}

export interface Analysis {
  /** index in result.probes by probe id */
  probeIndex: Map<string, number>;
  /** for each failing probe (by index), the layer it stopped at, or null when unknown */
  stopLayer: Map<number, Layer | null>;
  /** number of failing probes a finding places at each layer */
  stopsByLayer: Record<Layer, number>;
  /** failing probes no finding explains, placed by their ledger, body and headers (often expected, e.g. anonymous REST calls) */
  guessedByLayer: Record<Layer, number>;
  unattributed: number;
  passed: number;
  failing: number;
  /** probes with a deliberately wrong credential: rejected as they should be */
  controls: number;
  /** findings by layer, most severe first */
  findingsByLayer: Record<Layer, Finding[]>;
}

export function analyse(result: ScanResult): Analysis {
  const probeIndex = new Map<string, number>();
  result.probes.forEach((p, i) => {
    if (!probeIndex.has(p.id)) probeIndex.set(p.id, i);
  });

  // The most severe finding that names a probe decides its layer.
  const layerFromFinding = new Map<string, { layer: Layer; rank: number }>();
  const findingsByLayer = emptyByLayer<Finding[]>(() => []);
  for (const finding of result.findings) {
    findingsByLayer[finding.layer].push(finding);
    const rank = SEVERITY_RANK[finding.severity];
    if (finding.severity === 'info') continue;
    for (const id of findingProbeIds(finding)) {
      const seen = layerFromFinding.get(id);
      if (!seen || rank < seen.rank) layerFromFinding.set(id, { layer: finding.layer, rank });
    }
  }
  for (const layer of Object.keys(findingsByLayer) as Layer[]) {
    findingsByLayer[layer].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  }

  const stopLayer = new Map<number, Layer | null>();
  const stopsByLayer = emptyByLayer(() => 0);
  const guessedByLayer = emptyByLayer(() => 0);
  let unattributed = 0;
  let passed = 0;
  let controls = 0;
  result.probes.forEach((probe, i) => {
    if (probe.auth === 'bad-app-password' || probe.auth === 'unknown-user') {
      controls++;
      return;
    }
    if (!isFailing(probe)) {
      passed++;
      return;
    }
    const fromFinding = layerFromFinding.get(probe.id)?.layer;
    const layer = fromFinding ?? stopLayerOf(probe);
    stopLayer.set(i, layer);
    if (fromFinding) stopsByLayer[fromFinding]++;
    else if (layer) guessedByLayer[layer]++;
    else unattributed++;
  });

  return {
    probeIndex,
    stopLayer,
    stopsByLayer,
    guessedByLayer,
    unattributed,
    passed,
    failing: stopLayer.size,
    controls,
    findingsByLayer,
  };
}

function emptyByLayer<T>(make: () => T): Record<Layer, T> {
  return {
    browser: make(),
    network: make(),
    edge: make(),
    server: make(),
    wordpress: make(),
    plugin: make(),
  };
}

/** A stable, site-independent anchor for a probe. */
export function probeAnchor(index: number): string {
  return `probe-${index}`;
}
