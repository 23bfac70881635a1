// Small pieces several sections use: status badges, header lists, labels.

import type { Culprit, HeaderMap, Layer } from '../../../model.js';
import { type Html, html, join } from '../escape.js';

export const LAYER_LABELS: Record<Layer, string> = {
  browser: 'Browser',
  network: 'Network',
  edge: 'Edge (proxy/CDN/WAF)',
  server: 'Web server',
  wordpress: 'WordPress',
  plugin: 'Plugin',
};

const CULPRIT_LABELS: Record<Culprit['kind'], string> = {
  plugin: 'plugin',
  'mu-plugin': 'must-use plugin',
  'drop-in': 'drop-in',
  htaccess: '.htaccess',
  'server-config': 'server setting',
  proxy: 'proxy',
  credential: 'credential',
  'wp-config': 'wp-config.php',
  cookie: 'cookie',
};

export function culpritText(culprit: Culprit | null): Html {
  if (!culprit) return html`<span class="muted">not pinned down</span>`;
  const file = culprit.file ? html` <span class="muted">(${culprit.file})</span>` : '';
  return html`${CULPRIT_LABELS[culprit.kind] ?? culprit.kind} <code>${culprit.name}</code>${file}`;
}

export function statusClass(status: number): string {
  if (status === 0) return 's-fail';
  if (status === 401 || status === 403 || status === 407 || status === 429) return 's-auth';
  if (status >= 200 && status < 300) return 's-ok';
  if (status >= 300 && status < 400) return 's-redirect';
  return 's-other';
}

export function statusBadge(status: number): Html {
  return html`<span class="status ${statusClass(status)}">${status === 0 ? 'failed' : status}</span>`;
}

export function headerList(headers: HeaderMap): Html {
  const names = Object.keys(headers).sort();
  if (names.length === 0) return html`<p class="muted">none recorded</p>`;
  const rows = names.flatMap((name) => (headers[name] ?? []).map((value) => html`<dt>${name}</dt><dd>${value}</dd>`));
  return html`<dl class="headers">${join(rows)}</dl>`;
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function section(id: string, title: string, body: Html | Html[]): Html {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${body}</section>`;
}
