// The first thing a reader sees: is there a problem, in one sentence.

import type { ScanResult } from '../../../model.js';
import { type Html, html } from '../escape.js';
import type { Analysis } from '../analysis.js';
import { bridgeStatusIn } from '../../../facts/bridge-status.js';

export function renderVerdict(result: ScanResult, analysis: Analysis): Html {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const counts = [
    `${result.probes.length} request${result.probes.length === 1 ? '' : 's'} made`,
    `${analysis.failing} rejected`,
    `${errors} problem${errors === 1 ? '' : 's'}`,
    `${warnings} warning${warnings === 1 ? '' : 's'}`,
  ].join(' · ');
  const incomplete = result.incomplete
    ? html`<p class="counts"><strong>The scan did not finish</strong> (interrupted or out of budget): what follows is partial.</p>`
    : '';
  // The companion plugin's status sits on the first screen: a key given and not used is never a line deep in the page.
  const b = bridgeStatusIn(result.environment);
  const bridge = b ? html`<p class="bridge-status ${b.status}" id="bridge-status"><strong>Companion plugin: ${b.status}${b.reason ? ` (${b.reason})` : ''}.</strong> ${b.message}</p>` : '';
  return html`<section id="verdict" class="verdict ${result.verdict.status}" aria-label="Verdict">
<p class="sentence" id="verdict-sentence">${result.verdict.summary}</p>
<p class="counts">${counts}</p>${incomplete}${bridge}
</section>`;
}
