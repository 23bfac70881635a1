// Links and marks taken from a page body for the crawler and the plugin
// fingerprint: same-origin hrefs (as parse/page.ts read them), plugin slugs from asset paths,
// and the <loc> entries of a sitemap. Bounded; never throws.
const MAX_HTML = 1024 * 1024;
const MAX_LINKS = 150;
const MAX_LOCS = 300;
const MAX_SLUGS = 60;
const SECRET_PARAM = /nonce|token|key|pass|pwd|auth|sig|session/i;
const SKIP_EXT = /\.(?:png|jpe?g|gif|webp|svg|ico|css|js|mjs|woff2?|ttf|eot|mp4|mp3|pdf|zip|gz)$/i;

/**
 * The crawlable links among a page's raw hrefs: same origin, absolute,
 * without fragments, deduplicated, bounded; never mailto/javascript, assets,
 * or links that carry a nonce or token (actions such as log out, delete).
 */
export function sameOriginLinks(hrefs: readonly string[], pageUrl: string): string[] {
  let base: URL;
  try {
    base = new URL(pageUrl);
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const href of hrefs) {
    if (out.size >= MAX_LINKS) break;
    if (!href || href.startsWith('#') || /^(?:mailto|tel|javascript|data):/i.test(href)) continue;
    try {
      const u = new URL(href, base);
      if (u.origin !== base.origin || SKIP_EXT.test(u.pathname)) continue;
      // links that carry a nonce or token are actions (log out, delete…) and would leak it: never kept
      if ([...u.searchParams.keys()].some((k) => SECRET_PARAM.test(k))) continue;
      u.hash = '';
      out.add(u.href);
    } catch {
      // not a URL: skip
    }
  }
  return [...out];
}

/** Plugin slugs seen in asset paths: /wp-content/plugins/<slug>/… */
export function pluginSlugsIn(html: string): string[] {
  const out = new Set<string>();
  const re = /\/wp-content\/plugins\/([a-z0-9][a-z0-9_.-]{0,80})\//gi;
  const text = html.length > MAX_HTML ? html.slice(0, MAX_HTML) : html;
  for (let m = re.exec(text); m !== null && out.size < MAX_SLUGS; m = re.exec(text)) {
    if (m[1]) out.add(m[1].toLowerCase());
  }
  return [...out];
}

/** <loc> URLs of a sitemap or sitemap index, same origin only. */
export function sitemapLocs(xml: string, sitemapUrl: string): string[] {
  const out = new Set<string>();
  let origin: string;
  try {
    origin = new URL(sitemapUrl).origin;
  } catch {
    return [];
  }
  const re = /<loc>\s*([^<\s]{1,2000})\s*<\/loc>/gi;
  const text = xml.length > MAX_HTML ? xml.slice(0, MAX_HTML) : xml;
  for (let m = re.exec(text); m !== null && out.size < MAX_LOCS; m = re.exec(text)) {
    try {
      const u = new URL((m[1] ?? '').replace(/&amp;/g, '&'));
      if (u.origin === origin) out.add(u.href);
    } catch {
      // skip
    }
  }
  return [...out];
}
