// The crawler and the zone builder against the live test bed.
import { strict as assert } from 'node:assert';
import { createEngine } from '../../src/http/index.js';
import { crawlSite } from '../../src/gather/crawl.js';
import { buildZones } from '../../src/facts/zones.js';
import { judgeDiscovery, DISCOVERY_PATHS } from '../../src/gather/discover.js';
import { summarizeBody } from '../../src/parse/body.js';
import { requireTestbed, scenario } from '../support/testbed.js';

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
});
