// The six layers a request crosses, from the reader's browser to the plugin
// that answers, with how many failing requests stopped at each.

import { LAYERS, type Layer, type ScanResult } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import { type Html, html, join } from '../escape.js';
import { LAYER_LABELS, section } from './common.js';

const WHAT: Record<Layer, string> = {
  browser: 'cookies, sessions, SameSite',
  network: 'DNS, captive portals, wrong origin',
  edge: 'proxy, CDN, WAF',
  server: 'Apache/nginx, .htaccess, PHP-FPM',
  wordpress: 'core login, application passwords, nonces',
  plugin: 'security, cache and auth plugins',
};

export function renderLayers(result: ScanResult, analysis: Analysis): Html {
  const boxes = LAYERS.map((layer) => {
    const stops = analysis.stopsByLayer[layer];
    const findings = analysis.findingsByLayer[layer].filter((f) => f.severity !== 'info');
    const classes = ['layer', stops > 0 ? 'stopped' : '', findings.length > 0 && stops === 0 ? 'finding' : '']
      .filter(Boolean)
      .join(' ');
    const guessed = analysis.guessedByLayer[layer];
    const stopText =
      stops > 0 ? `${stops} failing request${stops === 1 ? '' : 's'} stopped here` : 'no failing request stopped here';
    const guessedText = guessed
      ? html`<p class="what">${guessed} other rejected request${guessed === 1 ? '' : 's'} ended here (no finding: often expected, like an anonymous REST call)</p>`
      : '';
    const findingText = findings.length
      ? html`<p class="what">${findings.length} finding${findings.length === 1 ? '' : 's'}: ${findings
          .map((f) => f.title)
          .join('; ')}</p>`
      : '';
    return html`<li class="${classes}" data-layer="${layer}"><div class="name">${LAYER_LABELS[layer]}</div><p class="what">${WHAT[layer]}</p><p class="stops">${stopText}</p>${guessedText}${findingText}</li>`;
  });
  const summary = [
    `${analysis.passed} of ${result.probes.length} requests passed every layer.`,
    analysis.controls > 0
      ? ` ${analysis.controls} check${analysis.controls === 1 ? '' : 's'} with a deliberately wrong password ${analysis.controls === 1 ? 'was' : 'were'} turned away, as ${analysis.controls === 1 ? 'it' : 'they'} should be.`
      : '',
    analysis.unattributed > 0
      ? ` ${analysis.unattributed} rejected request${analysis.unattributed === 1 ? '' : 's'} could not be placed on a layer.`
      : '',
  ].join('');
  return section(
    'layers',
    'Where requests stopped',
    html`<ol class="layers" aria-label="Layers from browser to plugin">${join(boxes)}</ol><p class="passed">${summary}</p>`,
  );
}
