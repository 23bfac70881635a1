// Which headers show a proxy or CDN in the path, and which show that an
// answer came from a cache: one list each, read by the rules, the browser's
// cookie facts and the report alike. Pure.

/** Headers a proxy or CDN adds (Via, Cloudflare's CF-Ray, CloudFront's X-Amz-Cf-Id, Varnish, Fastly…). */
export const PROXY_HEADERS = ['via', 'cf-ray', 'x-amz-cf-id', 'x-served-by', 'x-varnish', 'x-sucuri-id', 'x-fastly-request-id', 'x-akamai-transformed', 'x-azure-ref', 'x-cdn', 'x-proxy-cache'] as const;

/** Headers in which a cache says HIT (proxy caches, CDNs, LiteSpeed, nginx fastcgi_cache…). */
export const CACHE_HEADERS = ['x-cache', 'cf-cache-status', 'x-litespeed-cache', 'x-proxy-cache', 'x-cache-status', 'x-sucuri-cache', 'x-fastcgi-cache', 'x-srcache-fetch-status'] as const;

/**
 * WP Super Cache's own header when PHP served a cached page: X-WP-Super-Cache
 * ("Served supercache file from PHP", "Served WPCache cache file": its
 * wp-cache-phase2.php at 1.7.9 and 1.12.4); WP-Super-Cache in old versions.
 */
const SUPERCACHE_HEADERS = ['x-wp-super-cache', 'wp-super-cache'] as const;

/** Every header a cache verdict is read from (CACHE_HEADERS, Age, WP Super Cache's own). */
export const CACHE_MARK_HEADERS = [...CACHE_HEADERS, 'age', ...SUPERCACHE_HEADERS] as const;

/** One header of one answer, by lower-case name. */
export type HeaderReader = (name: string) => string | undefined;

/** Proxy marks on an answer: "via: 1.1 varnish", "cf-ray"… */
export function proxyMarks(header: HeaderReader): string[] {
  const out: string[] = [];
  for (const h of PROXY_HEADERS) {
    const v = header(h);
    if (v !== undefined) out.push(h === 'via' ? `via: ${v.slice(0, 80)}` : h);
  }
  return out;
}

/** Cache marks on an answer: "x-cache: HIT", "age: 187" (empty when it was not served from a cache). */
export function cacheHits(header: HeaderReader): string[] {
  const out: string[] = [];
  for (const name of CACHE_HEADERS) {
    const v = header(name);
    if (v && /\bhit\b/i.test(v)) out.push(`${name}: ${v.slice(0, 60)}`);
  }
  const age = header('age');
  if (age && /^\d+$/.test(age.trim()) && Number(age) > 0) out.push(`age: ${age.trim()}`);
  for (const name of SUPERCACHE_HEADERS) {
    const v = header(name);
    if (v && /served/i.test(v)) out.push(`${name}: ${v.slice(0, 60)}`);
  }
  return out;
}
