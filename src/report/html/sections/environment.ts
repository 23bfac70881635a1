// What the companion plugin (bridge) reported about the site. Known parts get
// their own tables (active security/cache plugins, who hooks authentication);
// everything is also shown as a plain key/value tree, whatever its shape.

import type { ScanResult } from '../../../model.js';
import { type Html, html, join } from '../escape.js';
import { section } from './common.js';

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

const NOTABLE = /security|cache|auth|rest|firewall|login/i;

/** Active plugins the bridge classified as security, cache, auth or REST restriction. */
function pluginTable(env: Obj): Html {
  const list = [env.plugins, env.activePlugins, env.active_plugins].find(Array.isArray) as unknown[] | undefined;
  if (!list) return html``;
  const rows = list.filter(isObj).filter((p) => {
    const category = str(p.category) ?? str(p.class) ?? str(p.type) ?? '';
    return p.active !== false && NOTABLE.test(category);
  });
  if (rows.length === 0) return html``;
  const body = rows.map(
    (p) =>
      html`<tr><td><code>${str(p.slug) ?? str(p.file) ?? str(p.name) ?? '?'}</code></td><td>${str(p.name) ?? ''}</td><td>${
        str(p.category) ?? str(p.class) ?? str(p.type) ?? ''
      }</td><td>${str(p.version) ?? ''}</td></tr>`,
  );
  return html`<h3>Active security, cache and auth plugins</h3><div class="table-wrap"><table><thead><tr><th>Plugin</th><th>Name</th><th>Kind</th><th>Version</th></tr></thead><tbody>${join(body)}</tbody></table></div>`;
}

const OWNER_WORDS: Record<string, string> = { plugin: 'plugin', 'mu-plugin': 'must-use plugin', 'drop-in': 'drop-in', theme: 'theme' };

/**
 * Who a callback belongs to, from the bridge's owner object ({type, slug,
 * file, plugin}: see BridgeOwner): "plugin fixture-rest-guard", "drop-in
 * advanced-cache.php", or core / PHP / unknown (muted).
 */
function ownerCell(owner: unknown): Html {
  if (typeof owner === 'string' && owner) return html`${owner}`;
  if (!isObj(owner)) return html`<span class="muted">unknown</span>`;
  const type = str(owner.type) ?? 'unknown';
  const name = str(owner.slug) ?? str(owner.plugin) ?? str(owner.file);
  const words = OWNER_WORDS[type];
  if (words) return html`${words} <code>${name ?? '?'}</code>`;
  return html`<span class="muted">${type === 'core' ? 'WordPress core' : type === 'php' ? 'PHP built-in' : 'unknown'}</span>`;
}

/** Which plugin attached each callback on the authentication hooks. */
function hookTable(env: Obj): Html {
  const hooks = [env.hooks, env.authHooks, env.auth_hooks].find(isObj);
  if (!hooks) return html``;
  const rows: Html[] = [];
  for (const [hook, callbacks] of Object.entries(hooks)) {
    if (!Array.isArray(callbacks)) continue;
    for (const cb of callbacks.filter(isObj)) {
      rows.push(
        html`<tr><td><code>${hook}</code></td><td class="num">${str(cb.priority) ?? ''}</td><td><code>${
          str(cb.callback) ?? str(cb.function) ?? '?'
        }</code></td><td>${ownerCell(cb.owner)}</td><td>${str(cb.file) ?? ''}${str(cb.line) ? `:${str(cb.line)}` : ''}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return html``;
  return html`<h3>Who hooks authentication</h3><div class="table-wrap"><table><thead><tr><th>Hook</th><th class="num">Priority</th><th>Callback</th><th>Plugin</th><th>File</th></tr></thead><tbody>${join(rows)}</tbody></table></div>`;
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 500;

function tree(value: unknown, depth: number): Html {
  if (value === null || value === undefined) return html`<span class="muted">${String(value)}</span>`;
  if (typeof value !== 'object') return html`<code>${typeof value === 'string' ? value : JSON.stringify(value)}</code>`;
  if (depth >= MAX_DEPTH) return html`<code>${JSON.stringify(value)}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="muted">(empty list)</span>`;
    const items = value.slice(0, MAX_ITEMS).map((item) => html`<li>${tree(item, depth + 1)}</li>`);
    const more = value.length > MAX_ITEMS ? html`<li class="muted">… ${value.length - MAX_ITEMS} more</li>` : '';
    return html`<ol start="0">${join(items)}${more}</ol>`;
  }
  const entries = Object.entries(value as Obj);
  if (entries.length === 0) return html`<span class="muted">(empty)</span>`;
  return html`<dl>${join(entries.slice(0, MAX_ITEMS).map(([k, v]) => html`<dt>${k}</dt><dd>${tree(v, depth + 1)}</dd>`))}</dl>`;
}

export function renderEnvironment(result: ScanResult): Html {
  const env = result.environment;
  // Without the bridge the result still carries its status (environment.bridge), shown at the top of the report.
  if (!isObj(env) || !isObj(env.wordpress)) {
    return section(
      'environment',
      'Inside the site (bridge)',
      html`<p class="muted">The companion plugin was not available, so the scan saw the site from outside only.</p>`,
    );
  }
  return section(
    'environment',
    'Inside the site (bridge)',
    html`${pluginTable(env)}${hookTable(env)}<details class="tree"><summary>Everything the bridge reported</summary>${tree(env, 0)}</details>`,
  );
}
