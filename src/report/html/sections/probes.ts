// Evidence: every request the scan made, with its redirect chain, timing,
// redacted headers, body summary and what the bridge saw. The filter above
// the list is drawn by the inline script; without JS every probe is listed.

import type { LedgerEntry, Probe, ScanResult } from '../../../model.js';
import { type Analysis, probeAnchor } from '../analysis.js';
import { type Html, html, join, urlText } from '../escape.js';
import { headerList, LAYER_LABELS, ms, section, statusBadge } from './common.js';

function chainTable(probe: Probe): Html {
  if (probe.chain.length === 0) return html`<p class="muted">No response was received.</p>`;
  const rows = probe.chain.map(
    (hop, i) =>
      html`<tr><td class="num">${i + 1}</td><td>${statusBadge(hop.status)}</td><td>${urlText(hop.url)}${
        hop.location ? html`<br><span class="muted">→ </span><span class="url">${hop.location}</span>` : ''
      }</td><td class="num">${ms(hop.timingMs)}</td></tr>`,
  );
  return html`<div class="table-wrap"><table><thead><tr><th class="num">#</th><th>Status</th><th>URL</th><th class="num">Time</th></tr></thead><tbody>${join(rows)}</tbody></table></div>`;
}

function bodyInfo(probe: Probe): Html {
  const body = probe.body;
  if (!body) return html``;
  const items: Html[] = [];
  if (body.pageKind) items.push(html`<dt>page</dt><dd>${body.pageKind}</dd>`);
  if (body.title !== undefined) items.push(html`<dt>title</dt><dd>${body.title}</dd>`);
  if (body.contentType) items.push(html`<dt>type</dt><dd>${body.contentType}</dd>`);
  items.push(html`<dt>size</dt><dd>${body.bytes} bytes${body.truncated ? ' (truncated)' : ''}</dd>`);
  if (body.restError) {
    items.push(html`<dt>REST error</dt><dd><code>${body.restError.code}</code> ${body.restError.message}</dd>`);
  }
  if (body.excerpt) items.push(html`<dt>excerpt</dt><dd>${body.excerpt}</dd>`);
  return html`<h4>Body</h4><dl class="headers">${join(items)}</dl>`;
}

function ledgerInfo(ledger: LedgerEntry | null | undefined): Html {
  if (ledger === undefined) return html``;
  if (ledger === null) return html`<h4>Bridge ledger</h4><p class="muted">The bridge has no record of this request: it did not reach WordPress.</p>`;
  const err = ledger.authError
    ? html`<dt>auth error</dt><dd><code>${ledger.authError.code}</code> ${ledger.authError.message}${
        ledger.authError.callback ? html` — callback <code>${ledger.authError.callback}</code>` : ''
      }${ledger.authError.plugin ? html` in plugin <code>${ledger.authError.plugin}</code>` : ''}</dd>`
    : '';
  return html`<h4>Bridge ledger</h4><dl class="headers">
<dt>reached PHP</dt><dd>${ledger.reachedPhp ? 'yes' : 'no'}</dd>
<dt>Authorization arrived</dt><dd>${ledger.authorizationHeader ? 'yes' : 'no'}</dd>
<dt>cookies arrived</dt><dd>${ledger.cookieNames.length ? ledger.cookieNames.join(', ') : 'none'}</dd>
<dt>user</dt><dd>${ledger.userId === 0 ? 'anonymous (0)' : ledger.userId}</dd>
${ledger.status !== undefined ? html`<dt>status in PHP</dt><dd>${ledger.status}</dd>` : ''}${err}</dl>`;
}

function renderProbe(probe: Probe, index: number, analysis: Analysis): Html {
  const layer = analysis.stopLayer.get(index);
  const stopped =
    layer === undefined ? '' : html` · stopped at ${layer ? LAYER_LABELS[layer] : 'an unknown layer'}`;
  const title = probe.body?.title ? html` · <span>${probe.body.title}</span>` : '';
  const error = probe.error
    ? html`<p><strong>Failed:</strong> <code>${probe.error.code}</code> ${probe.error.message}</p>`
    : '';
  const final =
    probe.finalUrl && probe.finalUrl !== probe.url ? html`<p>Ended at ${urlText(probe.finalUrl)}</p>` : '';
  return html`<details class="probe" id="${probeAnchor(index)}" data-index="${index}" data-status="${probe.status}" data-layer="${layer === undefined ? 'passed' : (layer ?? 'unknown')}">
<summary>${statusBadge(probe.status)} <code>${probe.method}</code> <span class="url">${probe.url}</span> <span class="meta">${probe.auth} · ${ms(probe.durationMs)}${stopped}${title}</span></summary>
<div class="detail">
<p class="muted">id <code>${probe.id}</code> · by ${probe.source} · started ${probe.startedAt}</p>
${error}${final}<h4>Redirect chain</h4>${chainTable(probe)}
<h4>Request headers</h4>${headerList(probe.requestHeaders)}
<h4>Response headers</h4>${headerList(probe.headers)}
${bodyInfo(probe)}${ledgerInfo(probe.ledger)}
</div></details>`;
}

export function renderProbes(result: ScanResult, analysis: Analysis): Html {
  const filter = html`<form class="filter js-only" id="probe-filter" hidden role="search" aria-label="Filter requests">
<select id="probe-status" aria-label="Status">
<option value="all">All statuses</option><option value="failing">Rejected (401/403/429/failed)</option>
<option value="401">401 only</option><option value="2xx">2xx</option><option value="3xx">3xx</option>
<option value="4xx">4xx</option><option value="5xx">5xx</option><option value="0">Network failures</option>
</select>
<select id="probe-layer" aria-label="Layer"><option value="all">All layers</option>${join(
    Object.entries(LAYER_LABELS).map(([value, label]) => html`<option value="${value}">Stopped at ${label}</option>`),
  )}<option value="unknown">Stopped at unknown layer</option><option value="passed">Passed</option></select>
<input type="search" id="probe-text" placeholder="Filter by URL, method, header text…" aria-label="Text">
<span id="probe-count" class="muted" aria-live="polite"></span>
</form>`;
  const list = result.probes.length
    ? join(result.probes.map((probe, i) => renderProbe(probe, i, analysis)))
    : html`<p class="muted">No requests were recorded.</p>`;
  return section(
    'probes',
    `Evidence: every request (${result.probes.length})`,
    html`${filter}<div id="probe-list">${list}</div>`,
  );
}
