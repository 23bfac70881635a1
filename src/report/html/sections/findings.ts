// Each finding as a card: layer, culprit, confidence, plain-words
// explanation, then the fixes with copyable config lines. Errors first.

import type { Evidence, Finding, ScanResult } from '../../../model.js';
import { type Analysis, probeAnchor } from '../analysis.js';
import { type Html, html, join } from '../escape.js';
import { culpritText, LAYER_LABELS, section } from './common.js';

const CONFIDENCE_TEXT = {
  confirmed: 'confirmed by an experiment',
  likely: 'likely',
  possible: 'possible',
} as const;

/**
 * A fix is prose, optionally followed by config lines: the first line is
 * prose and the lines after it are code. A one-line fix wrapped in backticks
 * is all code. Inline `code` in prose is shown as code.
 */
export function splitFix(fix: string): { prose: string; code: string | null } {
  const trimmed = fix.trim();
  const fenced = /^`([^`]+)`$/.exec(trimmed);
  if (fenced?.[1]) return { prose: '', code: fenced[1] };
  const newline = trimmed.indexOf('\n');
  if (newline === -1) return { prose: trimmed, code: null };
  const code = trimmed
    .slice(newline + 1)
    .replace(/^```[\w-]*\n?|\n?```$/g, '')
    .replace(/^\n+|\s+$/g, '');
  return { prose: trimmed.slice(0, newline).trim(), code: code || null };
}

function prose(text: string): Html {
  const parts = text.split('`');
  return join(parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`)));
}

function renderFix(fix: string): Html {
  const { prose: words, code } = splitFix(fix);
  const block = code
    ? html`<div class="fix-code"><pre><code>${code}</code></pre><button type="button" class="copy js-only" hidden aria-label="Copy these lines">Copy</button></div>`
    : '';
  return html`<li class="fix">${words ? html`<span>${prose(words)}</span>` : ''}${block}</li>`;
}

function evidenceItem(ev: Evidence, result: ScanResult, analysis: Analysis): Html {
  const probeLink = (id: string): Html => {
    const index = analysis.probeIndex.get(id);
    const probe = index === undefined ? undefined : result.probes[index];
    if (index === undefined || !probe) return html`probe <code>${id}</code>`;
    return html`<a href="#${probeAnchor(index)}">${probe.method} <span class="url">${probe.url}</span></a> → ${probe.status || 'failed'}`;
  };
  switch (ev.kind) {
    case 'probe':
      return html`<li>${probeLink(ev.probe)}${ev.note ? html` — ${ev.note}` : ''}</li>`;
    case 'header':
      return html`<li>header <code>${ev.name}: ${ev.value}</code> on ${probeLink(ev.probe)}</li>`;
    case 'cookie':
      return html`<li>cookie <code>${ev.name}</code>: ${ev.reason}${ev.probe ? html` (${probeLink(ev.probe)})` : ''}</li>`;
    case 'bridge':
      return html`<li>bridge: ${ev.fact} = <code>${JSON.stringify(ev.value) ?? 'undefined'}</code></li>`;
    case 'experiment': {
      const exp = result.experiments.find((e) => e.id === ev.experiment);
      const detail = exp
        ? html`: with ${exp.pluginsOff.length ? exp.pluginsOff.join(', ') : 'nothing'} off → ${exp.status || 'failed'}`
        : '';
      return html`<li>experiment <a href="#experiments">${ev.experiment}</a>${detail}</li>`;
    }
    case 'note':
      return html`<li>${ev.text}</li>`;
    default:
      return html`<li><code>${JSON.stringify(ev)}</code></li>`;
  }
}

/** The first sentence, so the fix stays in the first screen; the rest folds under "Why". */
export function splitExplanation(text: string): { lead: string; rest: string } {
  const m = /^(.{30,240}?[.!?])\s+(?=[A-Z(])/s.exec(text);
  if (!m || text.length <= 260) return { lead: text, rest: '' };
  return { lead: m[1] ?? text, rest: text.slice((m[0] ?? '').length) };
}

function renderCard(finding: Finding, index: number, result: ScanResult, analysis: Analysis): Html {
  const { lead, rest } = splitExplanation(finding.explanation);
  const more = rest ? html`<details class="why"><summary>Why — the full explanation</summary><p class="explain">${finding.explanation}</p></details>` : '';
  const fixes = finding.fixes.length
    ? html`<h4>What to change</h4><ol class="fixes">${join(finding.fixes.map(renderFix))}</ol>`
    : '';
  const evidence = finding.evidence.length
    ? html`<details class="evidence"><summary>Evidence (${finding.evidence.length})</summary><ul>${join(
        finding.evidence.map((ev) => evidenceItem(ev, result, analysis)),
      )}</ul></details>`
    : '';
  return html`<article class="card ${finding.severity}" id="finding-${index}" data-layer="${finding.layer}">
<ul class="tags">
<li class="tag sev-${finding.severity}">${finding.severity}</li>
<li class="tag"><b>Layer:</b> ${LAYER_LABELS[finding.layer] ?? finding.layer}</li>
<li class="tag"><b>Culprit:</b> ${culpritText(finding.culprit)}</li>
<li class="tag"><b>Confidence:</b> ${CONFIDENCE_TEXT[finding.confidence] ?? finding.confidence}</li>
</ul>
<h3>${finding.title}</h3>
<p class="explain">${lead}</p>
${fixes}${more}${evidence}
<p class="muted"><small>${finding.id}</small></p>
</article>`;
}

export function renderFindings(result: ScanResult, analysis: Analysis): Html {
  const ordered = result.findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index);
  const errors = ordered.filter(({ finding }) => finding.severity === 'error');
  const others = ordered.filter(({ finding }) => finding.severity !== 'error');
  const cards = errors.map(({ finding, index }) => renderCard(finding, index, result, analysis));
  const rest = others.length
    ? html`<h2 id="other-findings">Warnings and notes (${others.length})</h2>${join(
        others.map(({ finding, index }) => renderCard(finding, index, result, analysis)),
      )}`
    : '';
  if (cards.length === 0 && !rest) return html``;
  return html`<div id="findings">${
    cards.length ? section('problems', `What to fix (${cards.length})`, join(cards)) : ''
  }${rest}</div>`;
}

function rank(finding: Finding): number {
  return { error: 0, warning: 1, info: 2 }[finding.severity] ?? 3;
}
