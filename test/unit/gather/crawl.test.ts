import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCrawlable, restRouteUrl } from '../../../src/gather/frontier.js';
import { buildZones } from '../../../src/facts/zones.js';
import type { Observations } from '../../../src/observations/index.js';
import { summarizeBody } from '../../../src/parse/body.js';
import { pluginSlugsIn, sitemapLocs } from '../../../src/parse/links.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const load = (name: string) => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', `${name}.json`), 'utf8')) as Observations;

describe('zones from recorded probes', () => {
  it('staging-lock: the whole site is one Basic zone', () => {
    const obs = load('staging-lock');
    const zones = buildZones(obs.probes, obs.target);
    assert.deepEqual(zones.map((z) => [z.prefix, z.demand]), [['/', { kind: 'basic', realm: 'Staging - authorised users only' }]]);
  });
  it('healthy: the anonymous users/me 401 is a REST zone of its own; the rest is open', () => {
    const obs = load('healthy');
    const zones = buildZones(obs.probes, obs.target);
    assert.equal(zones.find((z) => z.prefix === '/')?.demand.kind, 'none');
    assert.ok(zones.some((z) => z.prefix === '/wp-json/wp/v2/users/me' && z.demand.kind === 'rest-auth'));
    assert.ok(zones.some((z) => z.prefix.startsWith('/wp-admin') && z.demand.kind === 'wordpress-login'), JSON.stringify(zones));
  });
});

describe('frontier and link extraction', () => {
  it('keeps same-origin page links, drops assets, nonces and other hosts', () => {
    const html = '<a href="/a/">a</a><a href="https://other.example/x">x</a><a href="/style.css">c</a><a href="/wp-login.php?action=logout&_wpnonce=abc">out</a><a href="#top">t</a>';
    // the links the crawler follows: what the engine's body summary keeps of a page
    assert.deepEqual(summarizeBody(html, 'text/html', 'http://127.0.0.1:8401/', 200).facts?.links, ['http://127.0.0.1:8401/a/']);
  });
  it('never crawls the login, the admin or action URLs', () => {
    const base = 'http://h/';
    for (const u of ['http://h/wp-login.php', 'http://h/wp-admin/edit.php', 'http://h/?p=1&preview=true', 'http://h/xmlrpc.php']) assert.equal(isCrawlable(new URL(u), base), false, u);
    assert.equal(isCrawlable(new URL('http://h/hello-world/'), base), true);
  });
  it('REST route URLs under /wp-json/ or ?rest_route=', () => {
    assert.equal(restRouteUrl('http://h/', 'wp-json/', '/wp/v2/posts'), 'http://h/wp-json/wp/v2/posts');
    assert.equal(restRouteUrl('http://h/', '?rest_route=', '/wp/v2/posts'), 'http://h/?rest_route=%2Fwp%2Fv2%2Fposts');
  });
  it('plugin slugs from asset paths, sitemap locs on the same origin', () => {
    assert.deepEqual(pluginSlugsIn('<script src="/wp-content/plugins/wordfence/js/x.js"></script><link href="/wp-content/plugins/litespeed-cache/a.css">'), ['wordfence', 'litespeed-cache']);
    assert.deepEqual(sitemapLocs('<urlset><url><loc>http://h/a/</loc></url><url><loc>http://x/b</loc></url></urlset>', 'http://h/wp-sitemap.xml'), ['http://h/a/']);
  });
});
