// The sites file of `wp401 scan-many` (text lines, YAML, JSON; secrets by
// variable name only), per-site secrets, option precedence, the worst exit
// code, and the escaped index.html. No network.
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { UsageError } from '../../../src/config/options.js';
import { type FleetSummary, planFleet, renderFleetIndex, worstExit } from '../../../src/fleet/index.js';
import { folderName, parseSites, siteSecrets } from '../../../src/fleet/sites-file.js';

describe('scan-many sites file', () => {
  it('text: one URL per line, an optional user, comments and blank lines skipped, folder names from host, port and path', () => {
    const sites = parseSites('# agency sites\nhttps://shop.example.com\n\nhttp://127.0.0.1:8401/blog  admin   # staging\nhttps://shop.example.com/\n', 'text');
    assert.deepEqual(
      sites.map((s) => [s.name, s.url, s.user]),
      [
        ['shop.example.com', 'https://shop.example.com/', undefined],
        ['127.0.0.1-8401-blog', 'http://127.0.0.1:8401/blog/', 'admin'],
        ['shop.example.com-2', 'https://shop.example.com/', undefined],
      ],
    );
    assert.throws(() => parseSites('https://a.example/ admin extra', 'text'), /line 1: one site per line/);
    assert.throws(() => parseSites('# nothing\n', 'text'), /lists no site/);
  });

  it('YAML: defaults under per-site settings, secrets by environment variable name', () => {
    const yaml = `defaults:
  browser: false
  passwordEnv: AGENCY_PASSWORD
sites:
  - https://a.example/
  - url: https://b.example/
    name: client-b
    user: editor
    browser: true
    passwordEnv: B_PASSWORD
    bridgeKeyEnv: B_BRIDGE_KEY
`;
    const [a, b] = parseSites(yaml, 'structured');
    assert.deepEqual(a, { browser: false, secretEnv: { password: 'AGENCY_PASSWORD' }, url: 'https://a.example/', name: 'a.example' });
    assert.deepEqual(b, { browser: true, user: 'editor', secretEnv: { password: 'B_PASSWORD', bridgeKey: 'B_BRIDGE_KEY' }, url: 'https://b.example/', name: 'client-b' });
  });

  it('JSON (a top-level list works too)', () => {
    const [s] = parseSites('[{"url": "https://c.example", "maxRequests": 50}]', 'structured');
    assert.equal(s?.maxRequests, 50);
  });

  it('refuses secrets in the file, unknown keys, wrong types, bad names — as usage errors, values not echoed', () => {
    const bad: [string, RegExp][] = [
      ['sites: [{url: "https://a.example/", password: "hunter2-canary"}]', /secrets are not accepted in the sites file \("password"\)/],
      ['sites: [{url: "https://a.example/", passwordEnv: "hunter2 canary"}]', /must name an environment variable/],
      ['sites: [{url: "https://a.example/", colour: red}]', /unknown setting "colour"/],
      ['sites: [{url: "https://a.example/", browser: "yes"}]', /browser must be a boolean/],
      ['sites: [{url: "https://a.example/", name: "../x"}]', /name must be a folder name/],
      ['sites: [{url: "https://a.example/", name: a}, {url: "https://b.example/", name: a}]', /two sites are named "a"/],
      ['sites: [{url: "ftp://a.example/"}]', /only http/],
      ['sites: {a: 1}', /needs a list of sites/],
      ['sites: [', /not valid YAML/],
    ];
    for (const [text, re] of bad) {
      assert.throws(
        () => parseSites(text, 'structured'),
        (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('hunter2'),
        text,
      );
    }
  });

  it('secrets: the variable the site names, else the usual WP401_* one; a named but unset variable is an error', () => {
    const [own, plain] = parseSites('sites: [{url: "https://a.example/", passwordEnv: A_PW, httpUserEnv: A_HU}, "https://b.example/"]', 'structured');
    const env = { A_PW: 'pa', A_HU: 'hu', WP401_PASSWORD: 'global', WP401_HTTP_USER: 'ghu', WP401_BRIDGE_KEY: 'k'.repeat(40) };
    assert.deepEqual(siteSecrets(own as never, env), { password: 'pa', httpUser: 'hu', bridgeKey: 'k'.repeat(40) });
    assert.deepEqual(siteSecrets(plain as never, env), { password: 'global', httpUser: 'ghu', bridgeKey: 'k'.repeat(40) });
    assert.throws(() => siteSecrets(own as never, { A_HU: 'x' }), /A_PW is not set/);
    // A key too short to be one stops the run as a usage error, named by its variable.
    const [keyed] = parseSites('sites: [{url: "https://c.example/", bridgeKeyEnv: C_KEY}]', 'structured');
    assert.throws(
      () => siteSecrets(keyed as never, { C_KEY: 'short-key' }),
      (e: unknown) => e instanceof UsageError && /C_KEY is not a companion plugin key/.test(e.message) && !e.message.includes('short-key'),
    );
  });

  it('precedence: command-line flags over the site entry over the file defaults over built-in defaults', () => {
    const sites = parseSites('defaults: {concurrency: 2, browser: false}\nsites: [{url: "https://a.example/", concurrency: 3}, "https://b.example/"]', 'structured');
    const plan = planFleet(sites, { outDir: '/tmp/fleet', parallel: 2, flags: { maxRequests: 77 } }, () => ({}));
    assert.deepEqual(
      plan.map((p) => [p.options.concurrency, p.options.browser, p.options.maxRequests, p.options.timeoutMs, p.options.outDir]),
      [
        [3, false, 77, 15000, '/tmp/fleet/a.example'],
        [2, false, 77, 15000, '/tmp/fleet/b.example'],
      ],
    );
    const flagged = planFleet(sites, { outDir: '/tmp/fleet', parallel: 2, flags: { concurrency: 9, browser: true } }, () => ({}));
    assert.deepEqual(
      flagged.map((p) => [p.options.concurrency, p.options.browser]),
      [
        [9, true],
        [9, true],
      ],
    );
  });

  it('folder names stay inside the fleet folder', () => {
    assert.equal(folderName('http://127.0.0.1:8401/'), '127.0.0.1-8401');
    assert.equal(folderName('https://x.example/a/../../b/'), 'x.example-b');
    assert.doesNotMatch(folderName('https://x.example/%2e%2e/'), /\.\./);
  });
});

describe('scan-many results', () => {
  it('worst exit code: interrupted > runtime failure > unreachable > a site its settings stopped > problems > ok', () => {
    assert.equal(worstExit([0, 0]), 0);
    assert.equal(worstExit([0, 1, 0]), 1);
    assert.equal(worstExit([1, 2, 0]), 2);
    assert.equal(worstExit([2, 3]), 3);
    assert.equal(worstExit([1, 3, 0]), 3);
    assert.equal(worstExit([3, 4, 1]), 4);
    assert.equal(worstExit([4, 130, 0]), 130);
    assert.equal(worstExit([]), 0);
  });

  it('index.html: one row per site with verdict, top finding, time and a link to its report; site text escaped; nothing loaded from outside', () => {
    const summary: FleetSummary = {
      schemaVersion: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 12345,
      exit: 1,
      sites: [
        { name: 'a', url: 'http://a.example/', outcome: 'ok', exit: 0, summary: 'fine', topFinding: null, errors: 0, warnings: 0, durationMs: 1500, folder: 'a', reports: ['a/wp401.json', 'a/index.html'] },
        { name: 'b', url: 'http://b.example/', outcome: 'problems', exit: 1, summary: 'bad', topFinding: '<script>alert(1)</script> stripped', errors: 2, warnings: 1, durationMs: 2500, folder: 'b', reports: ['b/index.html'] },
        { name: 'c', url: 'http://c.example/', outcome: 'unreachable', exit: 3, summary: 'cannot reach http://c.example/', topFinding: null, errors: 0, warnings: 0, durationMs: 100, folder: 'c', reports: [] },
      ],
    };
    const html = renderFleetIndex(summary);
    const rows = html.match(/<tr class="[a-z-]+">/g) ?? [];
    assert.deepEqual(rows, ['<tr class="ok">', '<tr class="problems">', '<tr class="unreachable">']);
    assert.match(html, /<a href="a\/index\.html">report<\/a>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; stripped/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /cannot reach http:\/\/c\.example\//);
    assert.match(html, /2\.5 s/);
    assert.match(html, /exit code 1/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no outside resource');
  });
});
