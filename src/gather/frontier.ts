// Which URLs the crawler may request: same site, read-only, never the login
// or an action link (log out, delete, preview), never a feed or an asset.
const NEVER = [/^wp-login\.php/, /^wp-admin\//, /^xmlrpc\.php/, /^wp-cron\.php/, /^wp-content\//, /^wp-includes\//, /(^|\/)feed\/?$/, /^wp-json\/?$/, /^wp-comments-post\.php/, /^wp-trackback\.php/];
const NEVER_PARAMS = /^(action|_wpnonce|nonce|preview|replytocom|doing_wp_cron|loggedout|reauth|redirect_to|key|token)$/i;

export function isCrawlable(u: URL, base: string): boolean {
  const b = new URL(base);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (!u.pathname.startsWith(b.pathname)) return false;
  const rel = u.pathname.slice(b.pathname.length);
  if (NEVER.some((re) => re.test(rel))) return false;
  for (const k of u.searchParams.keys()) if (NEVER_PARAMS.test(k)) return false;
  return u.href.length <= 2000;
}

/** A REST route ("/wp/v2/posts") as a URL under the site's REST base ("wp-json/" or "?rest_route="). */
export function restRouteUrl(base: string, restBase: string, route: string): string {
  if (restBase.includes('rest_route')) {
    const u = new URL(base);
    u.searchParams.set('rest_route', route);
    return u.href;
  }
  return new URL(`${restBase.replace(/\/?$/, '/')}${route.replace(/^\//, '')}`, base).href;
}
