// The zone map: which path prefixes demand which credential, and how often
// they answered 401.

import type { ScanResult, ZoneDemand } from '../../../model.js';
import { type Html, html, join } from '../escape.js';
import { section } from './common.js';

export function demandText(demand: ZoneDemand): Html {
  switch (demand.kind) {
    case 'none':
      return html`nothing (public)`;
    case 'basic':
      return demand.realm === null
        ? html`HTTP Basic auth (no realm)`
        : html`HTTP Basic auth, realm <code>${demand.realm}</code>`;
    case 'wordpress-login':
      return html`a WordPress login`;
    case 'rest-auth':
      return html`REST authentication (<code>${demand.code}</code>)`;
    case 'other':
      return html`answers HTTP ${demand.status}`;
    default:
      return html`<code>${JSON.stringify(demand)}</code>`;
  }
}

export function renderZones(result: ScanResult): Html {
  if (result.zones.length === 0) {
    return section('zones', 'Zone map', html`<p class="muted">No zones were mapped.</p>`);
  }
  const zones = result.zones.filter((z) => !z.expected);
  const expected = result.zones.filter((z) => z.expected);
  const rows = zones.map((zone) => {
    const rate = zone.probes > 0 ? zone.unauthorized / zone.probes : 0;
    const pct = `${Math.round(rate * 100)}%`;
    return html`<tr><td><code>${zone.prefix}</code></td><td>${demandText(zone.demand)}</td><td class="num">${zone.probes}</td><td class="num">${zone.unauthorized}</td><td class="num"><meter min="0" max="1" value="${rate.toFixed(3)}" low="0.01" high="0.5" optimum="0" title="${pct}">${pct}</meter> ${pct}</td></tr>`;
  });
  const byDesign = expected.length
    ? html`<h3 class="expected-heading">Refused by design (${expected.length})</h3>
<p class="muted">WordPress itself answers anonymous requests to these REST routes with its own permission errors, because they need a login; no logged-in request was refused here and no finding points here.</p>
<div class="table-wrap"><table class="expected"><thead><tr><th>Path prefix</th><th>Demands</th><th class="num">Requests</th><th class="num">401s</th></tr></thead><tbody>${join(
        expected.map(
          (zone) =>
            html`<tr class="expected"><td><code>${zone.prefix}</code></td><td>${demandText(zone.demand)}</td><td class="num">${zone.probes}</td><td class="num">${zone.unauthorized}</td></tr>`,
        ),
      )}</tbody></table></div>`
    : html``;
  return section(
    'zones',
    'Zone map',
    html`<div class="table-wrap"><table><thead><tr><th>Path prefix</th><th>Demands</th><th class="num">Requests</th><th class="num">401s</th><th class="num">401 rate</th></tr></thead><tbody>${join(rows)}</tbody></table></div>${byDesign}`,
  );
}
