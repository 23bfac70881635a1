// The crawler's order of work: a small budget spent fairly.
//
// What a WordPress site offers a crawler (and why this order): the home page
// and its links (menus link the site's Pages), the sitemap WordPress core
// serves since 5.5 (an index of sub-sitemaps per post type, taxonomy and
// users: wp-sitemap-posts-page-1.xml lists the Pages), and the REST index
// (every route of every namespace). A login wall, a basic-auth folder or a
// members area lives under a path prefix, so one page of each top-level
// directory says more than fifty posts of one; and REST routes of one
// namespace are served by one controller family under one permission model,
// so a sample per namespace says as much as all of them. So:
//   1. sitemaps first (they name the pages), the Pages sitemap before others;
//   2. pages round-robin over top-level directories, the home page first, and
//      the site's structure (links of the home page, where the menus are, and
//      the Pages sitemap) before posts and archives;
//   3. REST routes round-robin over namespaces, at most a third of the budget
//      while pages are waiting, the rest once no page is left.

export type CrawlKind = 'page' | 'sitemap' | 'rest';

export interface CrawlItem {
  url: string;
  kind: CrawlKind;
  /** the top-level directory (pages), the namespace (REST) */
  group: string;
  /** pages: 0 for the site's own structure (home page links, the Pages sitemap), 1 for the rest (posts, archives) */
  tier?: 0 | 1;
}

/** The share of the budget REST routes may take while pages wait. */
const REST_SHARE = 1 / 3;

class RoundRobin {
  private readonly groups = new Map<string, CrawlItem[]>();
  private readonly order: string[] = [];
  private next = 0;

  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.length;
    return n;
  }

  push(item: CrawlItem): void {
    let g = this.groups.get(item.group);
    if (!g) {
      g = [];
      this.groups.set(item.group, g);
      this.order.push(item.group);
    }
    g.push(item);
  }

  /** back at the head of its group, and its group's turn next */
  unshift(item: CrawlItem): void {
    this.push(item);
    const g = this.groups.get(item.group) as CrawlItem[];
    g.unshift(g.pop() as CrawlItem);
    this.next = this.order.indexOf(item.group);
  }

  /** one item of the next group that has one, turn by turn */
  take(): CrawlItem | undefined {
    for (let i = 0; i < this.order.length; i++) {
      const at = (this.next + i) % this.order.length;
      const g = this.groups.get(this.order[at] as string);
      const item = g?.shift();
      if (item) {
        this.next = (at + 1) % this.order.length;
        return item;
      }
    }
    return undefined;
  }
}

export class CrawlQueue {
  private readonly sitemaps: CrawlItem[] = [];
  private readonly structure = new RoundRobin();
  private readonly content = new RoundRobin();
  private readonly rest = new RoundRobin();
  private pagesTaken = 0;
  private restTaken = 0;
  /** pages and sitemaps sent and not yet answered: their links may still come */
  private pagesInFlight = 0;

  constructor(private readonly budget: number) {}

  get size(): number {
    return this.sitemaps.length + this.pagesWaiting + this.rest.size;
  }

  private get pagesWaiting(): number {
    return this.structure.size + this.content.size;
  }

  push(item: CrawlItem): void {
    if (item.kind === 'sitemap') {
      // The Pages sitemap names the pages a login wall most often guards.
      if (/posts-page-\d+\.xml/.test(item.url)) this.sitemaps.unshift(item);
      else this.sitemaps.push(item);
    } else if (item.kind === 'rest') this.rest.push(item);
    else (item.tier === 0 ? this.structure : this.content).push(item);
  }

  /** The next item to request, or undefined when nothing may go now (pages may still come). */
  take(): CrawlItem | undefined {
    const sitemap = this.sitemaps.shift();
    if (sitemap) {
      this.pagesInFlight++;
      return sitemap;
    }
    const pagesMayCome = this.pagesWaiting > 0 || this.pagesInFlight > 0;
    // While pages wait or may still come, REST takes at most its share of the
    // budget and one request for every two pages; after that, all that is left.
    const restOk = this.rest.size > 0 && (!pagesMayCome || (this.restTaken < Math.floor(this.budget * REST_SHARE) && this.restTaken * 2 < this.pagesTaken));
    if (restOk) {
      this.restTaken++;
      return this.rest.take();
    }
    const page = this.structure.take() ?? this.content.take();
    if (page) {
      this.pagesTaken++;
      this.pagesInFlight++;
    }
    return page;
  }

  /** An item's answer arrived (its links, if any, were pushed first). */
  done(item: CrawlItem): void {
    if (item.kind !== 'rest') this.pagesInFlight--;
  }

  /** An item taken but not sent (the budget ran out): back at the head of the line. */
  putBack(item: CrawlItem): void {
    if (item.kind === 'rest') {
      this.restTaken--;
      this.rest.unshift(item);
    } else {
      this.pagesInFlight--;
      if (item.kind === 'page') {
        this.pagesTaken--;
        (item.tier === 0 ? this.structure : this.content).unshift(item);
      } else this.sitemaps.unshift(item);
    }
  }
}

/** The top-level directory of a page under the site's base path ('' for the home page). */
export function pageGroup(url: URL, base: URL): string {
  const rel = url.pathname.slice(base.pathname.length).replace(/^\/+/, '');
  const first = rel.split('/')[0] ?? '';
  // A plain-permalink site keeps content in the query (?p=, ?page_id=): its kind is the group.
  if (first === '' && url.search) return `?${[...url.searchParams.keys()][0] ?? ''}`;
  return first;
}

/** A REST route's namespace: "/wp/v2/posts" → "wp/v2", "/oembed/1.0/embed" → "oembed/1.0". */
export function restNamespace(route: string): string {
  return route.replace(/^\/+/, '').split('/').slice(0, 2).join('/');
}
