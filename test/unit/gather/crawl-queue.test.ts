import { strict as assert } from 'node:assert';
import { type CrawlItem, CrawlQueue, pageGroup, restNamespace } from '../../../src/gather/crawl-queue.js';

const page = (path: string, tier: 0 | 1 = 1): CrawlItem => ({ url: `http://h${path}`, kind: 'page', group: pageGroup(new URL(`http://h${path}`), new URL('http://h/')), tier });
const rest = (route: string): CrawlItem => ({ url: `http://h/wp-json${route}`, kind: 'rest', group: restNamespace(route) });
const sitemap = (name: string): CrawlItem => ({ url: `http://h/${name}`, kind: 'sitemap', group: 'sitemap' });

/** Takes everything, answering each item at once (links pushed by `links`). */
function drain(q: CrawlQueue, links: (item: CrawlItem) => CrawlItem[] = () => []): string[] {
  const out: string[] = [];
  for (let item = q.take(); item; item = q.take()) {
    out.push(item.url.replace('http://h', ''));
    for (const l of links(item)) q.push(l);
    q.done(item);
  }
  return out;
}

describe('crawl order', () => {
  it('groups pages by top-level directory and REST routes by namespace', () => {
    const base = new URL('http://h/blog/');
    assert.equal(pageGroup(new URL('http://h/blog/'), base), '');
    assert.equal(pageGroup(new URL('http://h/blog/members/area/'), base), 'members');
    assert.equal(pageGroup(new URL('http://h/blog/?page_id=4'), base), '?page_id');
    assert.equal(restNamespace('/wp/v2/posts'), 'wp/v2');
    assert.equal(restNamespace('/oembed/1.0/embed'), 'oembed/1.0');
  });

  it('sitemaps first, the Pages sitemap before the others', () => {
    const q = new CrawlQueue(40);
    q.push(page('/', 0));
    q.push(sitemap('wp-sitemap-posts-post-1.xml'));
    q.push(sitemap('wp-sitemap-posts-page-1.xml'));
    assert.deepEqual(drain(q).slice(0, 3), ['/wp-sitemap-posts-page-1.xml', '/wp-sitemap-posts-post-1.xml', '/']);
  });

  it('one page of every top-level directory before a second of any, the site structure before posts', () => {
    const q = new CrawlQueue(100);
    for (let i = 0; i < 5; i++) q.push(page(`/2024/post-${i}/`));
    q.push(page('/members/a/'));
    q.push(page('/members/b/'));
    q.push(page('/shop/'));
    q.push(page('/about/', 0));
    const order = drain(q);
    assert.equal(order[0], '/about/');
    assert.deepEqual(new Set(order.slice(1, 4)), new Set(['/2024/post-0/', '/members/a/', '/shop/']));
  });

  it('REST takes at most a third of the budget while pages wait, then the rest', () => {
    const q = new CrawlQueue(30);
    for (let i = 0; i < 60; i++) q.push(rest(`/ns${i % 3}/v1/route-${i}`));
    for (let i = 0; i < 40; i++) q.push(page(`/p${i}/`));
    const first30 = drain(q).slice(0, 30);
    const restCount = first30.filter((u) => u.startsWith('/wp-json')).length;
    assert.ok(restCount <= 10 && restCount >= 5, `${restCount} REST routes in the first 30`);
    // Sampled across namespaces, not the first namespace's long tail.
    assert.deepEqual(new Set(first30.filter((u) => u.startsWith('/wp-json')).slice(0, 3).map((u) => u.split('/')[2])), new Set(['ns0', 'ns1', 'ns2']));
  });

  it('holds REST back while a page is in flight (its links may still come), and lets it go after', () => {
    const q = new CrawlQueue(9);
    q.push(page('/', 0));
    for (let i = 0; i < 9; i++) q.push(rest(`/wp/v2/r${i}`));
    const home = q.take();
    assert.equal(home?.url, 'http://h/');
    // With the home page unanswered, REST may take its share but not more.
    const held: CrawlItem[] = [];
    for (let item = q.take(); item; item = q.take()) held.push(item);
    assert.ok(held.length <= 3, `${held.length} REST routes while the home page was in flight`);
    q.done(home as CrawlItem);
    assert.ok(q.take(), 'REST goes on once no page can come');
  });

  it('an item put back (budget ran out) is the next one out', () => {
    const q = new CrawlQueue(10);
    q.push(page('/a/'));
    q.push(page('/b/'));
    const a = q.take() as CrawlItem;
    q.putBack(a);
    assert.equal(q.take()?.url, a.url);
  });
});
