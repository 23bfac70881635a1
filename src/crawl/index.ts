// The crawler: from the home page, the sitemap, links in pages and the REST
// index, bounded by the request budget. Replaced by the full crawler (issue 3).
import type { Engine } from '../http/index.js';
import type { Discovery, Observations } from '../observations.js';

export interface CrawlOptions {
  /** most crawl requests (the engine's own budget still applies) */
  maxPages: number;
  credentials?: { basic?: { user: string; password: string } };
}

export async function crawlSite(_engine: Engine, _base: string, _discovery: Discovery, _opts: CrawlOptions): Promise<NonNullable<Observations['crawl']>> {
  return { pages: 0, restRoutes: 0, budgetExhausted: false };
}
