// The crawler: from the home page, the sitemap, links in pages and the REST
// index (every GET route that needs no argument), same origin only, bounded
// by maxPages and the engine's request budget, spent in the order
// crawl-queue.ts explains (pages and directories before the REST long tail). Every request is an ordinary
// probe (source "crawl"); the zones are built from them afterwards.
import type { Engine, ProbeRequest } from '../http/index.js';
import type { Probe } from '../model.js';
import type { Discovery, Observations } from '../observations/index.js';
import { type CrawlKind, CrawlQueue, pageGroup, restNamespace } from './crawl-queue.js';
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
  const baseUrl = new URL(base);
  const origin = baseUrl.origin;
  const seen = new Set<string>();
  const queue = new CrawlQueue(opts.maxPages);
  const push = (url: string, kind: CrawlKind, opts: { group?: string; tier?: 0 | 1 } = {}) => {
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
    const k: CrawlKind = kind === 'page' && u.pathname.endsWith('.xml') ? 'sitemap' : kind;
    queue.push({ url: u.href, kind: k, group: opts.group ?? (k === 'page' ? pageGroup(u, baseUrl) : k), tier: opts.tier ?? 1 });
  };
  push(base, 'page', { tier: 0 });
  push(new URL('wp-sitemap.xml', base).href, 'sitemap');
  const routes = (discovery.restIndex?.routes ?? []).filter((r) => r !== '/').slice(0, MAX_REST_ROUTES);
  for (const r of routes) push(restRouteUrl(base, discovery.restBase, r), 'rest', { group: restNamespace(r) });

  let pages = 0;
  let restRoutes = 0;
  let inFlight = 0;
  let budgetExhausted = false;
  const basic = opts.credentials?.basic;
  // a pool of workers pulling from the frontier: no batch waits for its slowest page
  const worker = async (): Promise<void> => {
    for (;;) {
      if (budgetExhausted) return;
      const item = queue.take();
      if (!item) {
        if (inFlight === 0) return;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      if (pages + restRoutes + inFlight >= opts.maxPages) {
        queue.putBack(item);
        budgetExhausted = true;
        return;
      }
      inFlight++;
      const req: ProbeRequest = { source: 'crawl', url: item.url, auth: basic ? 'basic-site' : 'none', useJar: false };
      if (basic) req.credentials = { basic };
      const p: Probe = await engine.probe(req);
      inFlight--;
      if (item.kind === 'rest') restRoutes++;
      else pages++;
      if (p.error?.code === 'budget-exhausted' || p.error?.code === 'aborted') budgetExhausted = true;
      if (p.status >= 200 && p.status < 300) {
        const facts = p.body?.facts;
        // The home page's links (its menus) and the Pages sitemap are the site's structure.
        const structure = item.url === base || /posts-page-\d+\.xml/.test(item.url);
        for (const link of list(facts?.links)) push(link, 'page', { tier: structure ? 0 : 1 });
        for (const loc of list(facts?.sitemapLocs)) push(loc, 'page', { tier: structure ? 0 : 1 });
      }
      queue.done(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? WORKERS) }, () => worker()));
  if (queue.size > 0) budgetExhausted = true;
  return { pages, restRoutes, budgetExhausted };
}
