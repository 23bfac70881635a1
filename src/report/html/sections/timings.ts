// Where the scan's time went: each stage as a bar on one time axis (stages
// overlap), what the request engine allowed in flight, and the time budget.

import type { ScanResult } from '../../../model.js';
import { type Html, html, join } from '../escape.js';
import { ms, section } from './common.js';

const STAGE_WORDS: Record<string, string> = {
  discover: 'discovery',
  bridge: 'companion plugin',
  core: 'core probes',
  login: 'HTTP login',
  'rest-nonce': 'REST nonce, fresh and aged',
  browser: 'browser login and admin pages',
  crawl: 'crawl',
  'cookie-probes': 'requests with the login cookies',
  ledger: 'companion plugin ledger',
  isolate: 'isolation replays',
};

export function renderTimings(result: ScanResult): Html {
  const t = result.timings;
  if (!t) return html``;
  const span = Math.max(1, t.totalMs, ...t.stages.map((s) => s.startMs + s.durationMs));
  // SVG geometry, not inline styles: the report's CSP allows no style attributes.
  const x = (v: number) => Math.min(100, Math.max(0, (v / span) * 100)).toFixed(2);
  const rows = t.stages.map(
    (s) =>
      html`<tr><td>${STAGE_WORDS[s.stage] ?? s.stage}</td><td class="num">${ms(s.startMs)}</td><td class="num">${ms(s.durationMs)}</td><td class="timeline"><svg viewBox="0 0 100 4" preserveAspectRatio="none" role="img" aria-label="${ms(s.startMs)} to ${ms(s.startMs + s.durationMs)}"><rect x="${x(s.startMs)}" y="0" width="${Math.max(0.3, Number(x(s.durationMs))).toFixed(2)}" height="4"></rect></svg></td></tr>`,
  );
  const c = t.concurrency;
  const concurrency = c
    ? c.adaptive
      ? c.changes.length === 0
        ? html`<p>Requests in flight: up to ${c.max} throughout (the server kept up).</p>`
        : c.final >= c.max
          ? html`<p>Requests in flight: up to ${c.max}, as at the start — the scan measured fewer at once for a while and more was not slower (${c.changes.length} change${c.changes.length > 1 ? 's' : ''}).</p>`
          : html`<p>Requests in flight: started at ${c.max}, ended at ${c.final} — the server answered more slowly with more requests at once, so the scan sent fewer (${c.changes.length} change${c.changes.length > 1 ? 's' : ''}).</p>`
      : html`<p>Requests in flight: fixed at ${c.max} (--no-adaptive).</p>`
    : html``;
  const waits = join(
    (t.waits ?? []).map((w) =>
      w.by === 'http'
        ? w.waitedMs > 0
          ? html`<p>The scan waited ${ms(w.waitedMs)} on purpose after its other requests: it sends the login's REST nonce again once it is ${ms(w.minAgeMs)} old, so that a nonce refused that young shows.</p>`
          : html`<p class="muted">The login's REST nonce was sent again once it was ${ms(w.minAgeMs)} old; the crawl filled that time.</p>`
        : w.waitedMs > 0
          ? html`<p>The browser waited ${ms(w.waitedMs)} on purpose: its last REST request reuses the admin page's nonce once it is ${ms(w.minAgeMs)} old, so that a nonce refused that young shows.</p>`
          : html`<p class="muted">The browser's last REST request reused the admin page's nonce once it was ${ms(w.minAgeMs)} old; the admin pages filled that time.</p>`,
    ),
  );
  const budget = t.budgetMs
    ? t.budgetExhausted
      ? html`<p class="warn">The time budget of ${ms(t.budgetMs)} ran out: the scan stopped gathering and judged what it had (<code>--time-budget</code> raises it).</p>`
      : html`<p class="muted">Time budget ${ms(t.budgetMs)}, not reached.</p>`
    : html``;
  return section(
    'timings',
    'Where the time went',
    html`<p>The scan took ${ms(t.totalMs)}. Stages overlap: the core probes, the crawl and the login run side by side.</p>${concurrency}${waits}${budget}<div class="table-wrap"><table><thead><tr><th>Stage</th><th class="num">Started</th><th class="num">Took</th><th>Timeline</th></tr></thead><tbody>${join(rows)}</tbody></table></div>`,
  );
}
