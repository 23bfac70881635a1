import { strict as assert } from 'node:assert';
import { PLUGINS, pluginsByHeaders, pluginsByRestCode, pluginsBySlugs, pluginsByText } from '../../../src/catalog/index.js';

describe('known-plugin catalog', () => {
  it('has unique slugs, a category and settings for every plugin; no fixture plugin', () => {
    const slugs = PLUGINS.map((p) => p.slug);
    assert.equal(new Set(slugs).size, slugs.length);
    for (const p of PLUGINS) {
      assert.ok(p.category && p.settings, p.slug);
      assert.ok(!p.slug.startsWith('fixture-'), p.slug);
    }
    for (const s of ['wordfence', 'better-wp-security', 'all-in-one-wp-security-and-firewall', 'sucuri-scanner', 'limit-login-attempts-reloaded', 'loginizer', 'wp-cerber', 'disable-json-api', 'disable-wp-rest-api', 'wp-force-login', 'wp-rocket', 'w3-total-cache', 'wp-super-cache', 'litespeed-cache', 'wp-fastest-cache', 'cloudflare', 'jetpack', 'two-factor', 'jwt-authentication-for-wp-rest-api']) {
      assert.ok(slugs.includes(s), s);
    }
  });
  it('looks plugins up by REST code (message match first), header, page text and asset slug', () => {
    assert.equal(pluginsByRestCode('rest_login_required', 'REST API restricted to authenticated users.')[0]?.plugin.slug, 'disable-wp-rest-api');
    assert.deepEqual(pluginsByRestCode('api_shield_members_only'), []);
    assert.equal(pluginsByHeaders({ 'x-litespeed-cache': ['hit'] })[0]?.plugin.slug, 'litespeed-cache');
    assert.deepEqual(pluginsByHeaders({ 'x-powered-by': ['PHP/8.2'] }), []);
    assert.equal(pluginsByText('Too many failed login attempts.')[0]?.plugin.slug, 'limit-login-attempts-reloaded');
    assert.deepEqual(pluginsBySlugs(['fixture-gallery']), []);
    assert.equal(pluginsBySlugs(['wordfence'])[0]?.plugin.name, 'Wordfence Security');
  });
});
