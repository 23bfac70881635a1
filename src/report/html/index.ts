// The HTML report: one self-contained file that works opened from disk. The
// first screen (verdict, then what to fix) is plain server-rendered HTML; a
// small inline script adds the request filter and copy buttons. The result
// JSON is inlined, escaped, so the page carries its own data.

import { createHash } from 'node:crypto';
import type { ScanResult } from '../../model.js';
import { redactResult } from '../redact.js';
import { analyse } from './analysis.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { Html as HtmlRaw, html, jsonForScript } from './escape.js';
import { ms } from './sections/common.js';
import { renderEnvironment } from './sections/environment.js';
import { renderExperiments } from './sections/experiments.js';
import { renderFindings } from './sections/findings.js';
import { renderLayers } from './sections/layers.js';
import { renderProbes } from './sections/probes.js';
import { renderScreenshots, screenshotSources } from './sections/screenshots.js';
import { renderTimings } from './sections/timings.js';
import { renderVerdict } from './sections/verdict.js';
import { renderZones } from './sections/zones.js';
import { STYLES } from './styles.js';

export { escapeHtml } from './escape.js';

export interface HtmlOptions {
  /** screenshot images keyed by the screenshot's `file` (or its probe id): a data: URL or a relative file */
  screenshots?: Record<string, string>;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy: nothing but this page's own style, script and inline images. */
export function contentSecurityPolicy(allowRelativeImages: boolean): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(CLIENT_SCRIPT)}`,
    `style-src ${sha256(STYLES)}`,
    `img-src data:${allowRelativeImages ? " 'self'" : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

export function renderHtml(scanned: ScanResult, opts: HtmlOptions = {}): string {
  // Probes arrive redacted; redact again so a missed secret never reaches the page.
  const result = redactResult(scanned);
  const analysis = analyse(result);
  const sources = screenshotSources(result, opts.screenshots);
  const relative = sources.some((s) => s?.kind === 'file');
  const title = `wp401: ${result.verdict.status === 'ok' ? 'no 401 problem' : 'problems'} · ${result.target}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(relative)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${new HtmlRaw(STYLES)}</style>
</head>
<body>
<header class="top"><h1>wp401 report</h1><p class="meta"><span class="url">${result.target}</span> · ${result.startedAt} · ${ms(result.durationMs)} · wp401 ${result.tool.version}</p></header>
<main>
${renderVerdict(result, analysis)}
${renderFindings(result, analysis)}
${renderLayers(result, analysis)}
${renderZones(result)}
${renderExperiments(result, analysis)}
${renderTimings(result)}
${renderProbes(result, analysis)}
${renderScreenshots(result, analysis, sources)}
${renderEnvironment(result)}
</main>
<footer>Made by wp401 ${result.tool.version}. Secrets were redacted before this report was written. The scan's full result is embedded in this file as JSON.</footer>
<script type="application/json" id="wp401-data">${new HtmlRaw(jsonForScript(result))}</script>
<script>${new HtmlRaw(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}
