// The command line read before anything heavy loads (src/cli/early.ts).
import { strict as assert } from 'node:assert';
import { browserLikely } from '../../../src/cli/early.js';

describe('cli: browserLikely (puppeteer loads first only for a scan that will log in in Chromium)', () => {
  it('a scan with a user and the browser on', () => {
    assert.equal(browserLikely(['scan', 'https://s.example/', '--user', 'admin'], {}), true);
    assert.equal(browserLikely(['scan', 'https://s.example/', '--user=admin'], {}), true);
    assert.equal(browserLikely(['scan', 'https://s.example/'], { WP401_USER: 'admin' }), true);
    assert.equal(browserLikely(['scan', 'https://s.example/', '--user', 'a', '--browser'], { WP401_BROWSER: 'yes' }), true);
  });
  it('no user, or the browser turned off on the command line or in WP401_BROWSER', () => {
    assert.equal(browserLikely(['scan', 'https://s.example/'], {}), false);
    assert.equal(browserLikely(['scan', 'https://s.example/', '--user', 'a', '--no-browser'], {}), false);
    assert.equal(browserLikely(['scan', 'https://s.example/', '--user', 'a', '--browser=false'], {}), false);
    assert.equal(browserLikely(['scan', 'https://s.example/', '--user', 'a', '--browser', 'off'], {}), false);
    for (const v of ['0', 'false', 'NO', 'off']) assert.equal(browserLikely(['scan', 'u', '--user', 'a'], { WP401_BROWSER: v }), false, v);
  });
  it('other commands and --help load nothing more', () => {
    for (const argv of [[], ['--help'], ['report', 'r.json'], ['scan-many', 'sites.yml', '--user', 'a'], ['bridge-zip']]) assert.equal(browserLikely(argv, { WP401_USER: 'a' }), false, argv.join(' '));
  });
  it('words after -- are not options', () => {
    assert.equal(browserLikely(['scan', 'u', '--user', 'a', '--', '--no-browser'], {}), true);
  });
});
