// Isolation replays: which plugins were switched off for one request and
// what the site answered then.

import type { ScanResult } from '../../../model.js';
import { type Analysis, probeAnchor } from '../analysis.js';
import { type Html, html, join } from '../escape.js';
import { section, statusBadge } from './common.js';

export function renderExperiments(result: ScanResult, analysis: Analysis): Html {
  if (result.experiments.length === 0) {
    return section(
      'experiments',
      'Isolation experiments',
      html`<p class="muted">No isolation experiments were run (they need the companion plugin and <code>--isolate</code>).</p>`,
    );
  }
  const rows = result.experiments.map((exp) => {
    const index = analysis.probeIndex.get(exp.probe);
    const probe = index === undefined ? undefined : result.probes[index];
    const replayed =
      index !== undefined && probe
        ? html`<a href="#${probeAnchor(index)}">${probe.method} <span class="url">${probe.url}</span></a>`
        : html`<code>${exp.probe}</code>`;
    const off = exp.pluginsOff.length
      ? join(
          exp.pluginsOff.map((p) => html`<code>${p}</code>`),
          ', ',
        )
      : html`<span class="muted">none (baseline)</span>`;
    const dropped =
      exp.droppedReported === undefined
        ? html`<span class="muted">—</span>`
        : exp.droppedReported.length
          ? html`${exp.droppedReported.join(', ')}`
          : html`<span class="muted">none</span>`;
    return html`<tr><td><code>${exp.id}</code></td><td>${replayed}</td><td>${off}</td><td>${statusBadge(exp.status)}</td><td>${exp.errorCode ? html`<code>${exp.errorCode}</code>` : ''}</td><td>${dropped}</td></tr>`;
  });
  return section(
    'experiments',
    'Isolation experiments',
    html`<div class="table-wrap"><table><thead><tr><th>Experiment</th><th>Replayed request</th><th>Plugins off</th><th>Status</th><th>Error code</th><th>Bridge dropped</th></tr></thead><tbody>${join(rows)}</tbody></table></div>`,
  );
}
