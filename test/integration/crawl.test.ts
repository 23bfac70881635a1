// The crawler and the zone builder against the live test bed.
import { strict as assert } from 'node:assert';
import { createEngine } from '../../src/http/index.js';
import { crawlSite } from '../../src/gather/crawl.js';
import { buildZones } from '../../src/facts/zones.js';
import { judgeDiscovery, DISCOVERY_PATHS } from '../../src/gather/discover.js';
import { summarizeBody } from '../../src/parse/body.js';
import { CRAWL_PAGES } from '../../src/gather/index.js';
import { runPhp } from '../../fixtures/testbed/sites.js';
import { scenarioByName } from '../../fixtures/testbed/scenarios.js';
import { requireTestbed, resetScenario, scenario } from '../support/testbed.js';

async function crawl(name: string, maxPages: number, basic?: { user: string; password: string }) {
  const s = scenario(name);
  const engine = createEngine({ summarizeBody, concurrency: 4, maxRequests: 300, timeoutMs: 15_000 });
  try {
    const disc = judgeDiscovery(await Promise.all(DISCOVERY_PATHS.map((p) => engine.probe({ source: 'discover', url: new URL(p, s.url).href, useJar: false }))));
    const result = await crawlSite(engine, s.url, disc, { maxPages, credentials: basic ? { basic } : undefined });
    return { result, probes: engine.probes(), base: s.url };
  } finally {
    await engine.close();
  }
}

describe('crawler and zones on the test bed', function () {
  this.timeout(120_000);
  before(requireTestbed);

  it('stays on the site, never requests the login or an admin action, and respects maxPages', async () => {
    const { result, probes, base } = await crawl('healthy', 12);
    const crawled = probes.filter((p) => p.source === 'crawl');
    assert.ok(crawled.length <= 12, `${crawled.length} crawl requests`);
    assert.equal(result.pages + result.restRoutes, crawled.length);
    for (const p of crawled) {
      assert.ok(p.url.startsWith(base), p.url);
      assert.doesNotMatch(p.url, /wp-login\.php|action=|_wpnonce/);
      assert.equal(p.method, 'GET');
    }
    assert.ok(crawled.some((p) => p.url === base), 'the home page');
  });

  it('htaccess-admin-zone: /wp-admin/ is a Basic zone with its realm; / demands nothing', async () => {
    const { probes, base } = await crawl('htaccess-admin-zone', 30);
    const s = scenario('htaccess-admin-zone');
    const engine = createEngine({ summarizeBody });
    try {
      probes.push(await engine.probe({ source: 'core', url: new URL('wp-admin/', s.url).href, useJar: false }));
      probes.push(await engine.probe({ source: 'core', url: new URL('wp-admin/admin-ajax.php', s.url).href, useJar: false }));
    } finally {
      await engine.close();
    }
    const zones = buildZones(probes, base);
    const admin = zones.find((z) => z.prefix === '/wp-admin/');
    assert.deepEqual(admin?.demand, { kind: 'basic', realm: 'Staging Admin Area' });
    assert.ok((admin?.unauthorized ?? 0) >= 2);
    assert.equal(zones.find((z) => z.prefix === '/')?.demand.kind, 'none');
  });

  it('rest-blocked-by-plugin: REST routes demand a REST login (the plugin\'s code)', async () => {
    const { probes, base } = await crawl('rest-blocked-by-plugin', 20);
    const zones = buildZones(probes, base);
    assert.ok(zones.some((z) => z.prefix.startsWith('/wp-json') && z.demand.kind === 'rest-auth' && z.demand.code === 'rest_login_required'), JSON.stringify(zones));
  });

  describe('the default budget on a site of a few hundred posts', () => {
    const pageSlugs = ['about', 'contact', 'members', 'pricing', 'team', 'careers', 'privacy', 'shop'];
    /** every published Page's address, as WordPress gives it (a taken slug gets a suffix) */
    let pageUrls: string[] = [];
    before(() => {
      // 300 posts and 8 Pages, as a real site has: posts outnumber what a
      // 40-request sample can fetch; the Pages are what a login wall guards.
      const code = `for ($i = 1; $i <= 300; $i++) { wp_insert_post(array('post_title' => "Crawl post $i", 'post_content' => '<p>Post.</p>', 'post_status' => 'publish')); }
        foreach (array(${pageSlugs.map((slug) => `'${slug}'`).join(', ')}) as $slug) { wp_insert_post(array('post_title' => ucfirst($slug), 'post_name' => $slug, 'post_type' => 'page', 'post_content' => '<p>Page.</p>', 'post_status' => 'publish')); }
        echo wp_json_encode(array_map('get_permalink', get_pages()));`;
      const r = runPhp(scenarioByName('healthy'), code);
      assert.equal(r.status, 0, r.stderr.slice(0, 300));
      pageUrls = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as string[];
      assert.ok(pageUrls.length >= pageSlugs.length, r.stdout.slice(0, 300));
    });
    after(() => resetScenario('healthy'));

    it('reaches every published Page and samples REST per namespace before the long tail', async () => {
      const { result, probes, base } = await crawl('healthy', CRAWL_PAGES);
      const crawled = probes.filter((p) => p.source === 'crawl').map((p) => p.url);
      for (const url of pageUrls) {
        // Permalinks name the site's own address; the crawl used the test bed's (maybe shifted) one.
        const path = new URL(url).pathname;
        assert.ok(crawled.includes(new URL(path, base).href), `the Page ${path} (crawled: ${crawled.join(' ')})`);
      }
      assert.ok(result.restRoutes > 0 && result.restRoutes <= Math.ceil(CRAWL_PAGES / 3), `${result.restRoutes} REST routes`);
      const namespaces = new Set(crawled.filter((u) => u.includes('/wp-json/')).map((u) => u.split('/wp-json/')[1]?.split('/').slice(0, 2).join('/')));
      assert.ok(namespaces.size >= 2, `REST namespaces sampled: ${[...namespaces].join(', ')}`);
    });
  });
});
