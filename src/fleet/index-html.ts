// The fleet's index.html: one row per site (site, verdict, top finding,
// time) linking to that site's own report. Reads only the fleet summary;
// everything from a site is escaped. No script, no outside resource.
import { escapeHtml as e } from '../report/html/escape.js';
import type { FleetSummary, SiteOutcome, SiteSummary } from './types.js';

const WORDS: Record<SiteOutcome, string> = {
  ok: 'no problem found',
  problems: 'problems found',
  unreachable: 'unreachable / not WordPress',
  failed: 'scan failed',
  interrupted: 'interrupted',
  'not-scanned': 'not scanned',
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function reportLink(s: SiteSummary): string {
  const href = s.reports.find((r) => r.endsWith('.html')) ?? s.reports[0];
  return href ? `<a href="${e(href.split('\\').join('/'))}">report</a>` : '—';
}

function row(s: SiteSummary): string {
  return `<tr class="${e(s.outcome)}">
<td><strong>${e(s.name)}</strong><br><span class="url">${e(s.url)}</span></td>
<td><span class="badge ${e(s.outcome)}">${e(WORDS[s.outcome])}</span></td>
<td>${s.topFinding ? e(s.topFinding) : `<span class="muted">${e(s.outcome === 'ok' ? '—' : s.summary)}</span>`}</td>
<td class="num">${s.errors} / ${s.warnings}</td>
<td class="num">${e(seconds(s.durationMs))}</td>
<td>${reportLink(s)}</td>
</tr>`;
}

export function renderFleetIndex(summary: FleetSummary): string {
  const counts = new Map<SiteOutcome, number>();
  for (const s of summary.sites) counts.set(s.outcome, (counts.get(s.outcome) ?? 0) + 1);
  const line = [...counts].map(([k, n]) => `${n} ${WORDS[k]}`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>wp401 — ${summary.sites.length} sites</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2327}
h1{font-size:1.4rem;margin:0 0 .25rem}
.meta{color:#50575e;margin:0 0 1.25rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid #dcdcde;vertical-align:top}
th{background:#f6f7f7;font-weight:600}
.url{color:#50575e;font-size:.85em;word-break:break-all}
.num{text-align:right;white-space:nowrap}
.muted{color:#646970}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.85em;white-space:nowrap;background:#dcdcde}
.badge.ok{background:#d1f0d9;color:#0a5c23}
.badge.problems{background:#fbd5d5;color:#8a1f11}
.badge.unreachable,.badge.failed{background:#fcf0c3;color:#6b4e00}
</style>
</head>
<body>
<h1>wp401 — ${summary.sites.length} site${summary.sites.length === 1 ? '' : 's'}</h1>
<p class="meta">Started ${e(summary.startedAt)} · took ${e(seconds(summary.durationMs))} · ${e(line)} · exit code ${summary.exit}</p>
<table>
<thead><tr><th>Site</th><th>Verdict</th><th>Top finding</th><th class="num">Errors / warnings</th><th class="num">Time</th><th>Report</th></tr></thead>
<tbody>
${summary.sites.map(row).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
