// The crawler: from the home page, the sitemap, links in pages and the REST
// index (every GET route that needs no argument), same origin only, bounded
// by maxPages and the engine's request budget. Every request is an ordinary
// probe (source "crawl"); the zones are built from them afterwards.
import type { Engine, ProbeRequest } from '../http/index.js';
import type { Probe } from '../model.js';
import type { Discovery, Observations } from '../observations/index.js';
import { isCrawlable, restRouteUrl } from './frontier.js';

export interface CrawlOptions {
  /** most crawl requests (the engine's own budget still applies) */
  maxPages: number;
  credentials?: { basic?: { user: string; password: string } };
  /** requests the crawler hands the engine at once (default 8); the engine's own concurrency limit still applies, so this should be at least that */
  workers?: number;
}

const WORKERS = 8;
const MAX_REST_ROUTES = 60;

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function crawlSite(engine: Engine, base: string, discovery: Discovery, opts: CrawlOptions): Promise<NonNullable<Observations['crawl']>> {
  const origin = new URL(base).origin;
  const seen = new Set<string>();
  const queue: { url: string; rest: boolean }[] = [];
  const push = (url: string, rest = false) => {
    let u: URL;
    try {
      u = new URL(url, base);
    } catch {
      return;
    }
    u.hash = '';
    if (u.origin !== origin || !isCrawlable(u, base)) return;
    if (seen.has(u.href)) return;
    seen.add(u.href);
    queue.push({ url: u.href, rest });
  };
  push(base);
  push(new URL('wp-sitemap.xml', base).href);
  const routes = (discovery.restIndex?.routes ?? []).filter((r) => r !== '/').slice(0, MAX_REST_ROUTES);
  for (const r of routes) push(restRouteUrl(base, discovery.restBase, r), true);

  let pages = 0;
  let restRoutes = 0;
  let inFlight = 0;
  let budgetExhausted = false;
  const basic = opts.credentials?.basic;
  // a pool of workers pulling from the frontier: no batch waits for its slowest page
  const worker = async (): Promise<void> => {
    for (;;) {
      if (budgetExhausted) return;
      const item = queue.shift();
      if (!item) {
        if (inFlight === 0) return;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      if (pages + restRoutes + inFlight >= opts.maxPages) {
        queue.unshift(item);
        budgetExhausted = true;
        return;
      }
      inFlight++;
      const req: ProbeRequest = { source: 'crawl', url: item.url, auth: basic ? 'basic-site' : 'none', useJar: false };
      if (basic) req.credentials = { basic };
      const p: Probe = await engine.probe(req);
      inFlight--;
      if (item.rest) restRoutes++;
      else pages++;
      if (p.error?.code === 'budget-exhausted' || p.error?.code === 'aborted') budgetExhausted = true;
      if (p.status < 200 || p.status >= 300) continue;
      const facts = p.body?.facts;
      for (const link of list(facts?.links)) push(link);
      for (const loc of list(facts?.sitemapLocs)) push(loc);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? WORKERS) }, () => worker()));
  if (queue.length > 0) budgetExhausted = true;
  return { pages, restRoutes, budgetExhausted };
}
