// The command line read before anything heavy loads (src/cli/early.ts).
import { strict as assert } from 'node:assert';
import { browserLikely, prelaunchPlan } from '../../../src/cli/early.js';

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

describe('cli: prelaunchPlan (the Chromium a browser scan will ask for, from the command line alone)', () => {
  const scan = (...rest: string[]) => ['scan', 'https://s.example/', '--user', 'admin', ...rest];
  it('the target, whether certificates are checked, and the timeout', () => {
    assert.deepEqual(prelaunchPlan(scan(), {}, false), { target: 'https://s.example/', insecure: false, timeoutS: null });
    assert.deepEqual(prelaunchPlan(['scan', '--user', 'a', 'http://127.0.0.1:8401/'], {}, false)?.target, 'http://127.0.0.1:8401/');
    assert.equal(prelaunchPlan(scan('--insecure'), {}, false)?.insecure, true);
    assert.equal(prelaunchPlan(scan('--insecure=false'), {}, false)?.insecure, false);
    assert.equal(prelaunchPlan(scan('--insecure', 'false'), {}, false)?.insecure, false);
    assert.equal(prelaunchPlan(scan(), { WP401_INSECURE: 'yes' }, false)?.insecure, true);
    assert.equal(prelaunchPlan(scan('--no-insecure'), { WP401_INSECURE: 'yes' }, false)?.insecure, false, 'a flag wins over the environment');
    assert.equal(prelaunchPlan(scan('--timeout', '40'), {}, false)?.timeoutS, 40);
    assert.equal(prelaunchPlan(scan('--timeout=5'), { WP401_TIMEOUT: '60' }, false)?.timeoutS, 5);
    assert.equal(prelaunchPlan(scan(), { WP401_TIMEOUT: '60' }, false)?.timeoutS, 60);
  });
  it('none when it cannot be told cheaply: a config file, an internal CA on https without --insecure, a strange timeout', () => {
    assert.equal(prelaunchPlan(scan(), {}, true), null, 'wp401.config.json in the working folder');
    assert.equal(prelaunchPlan(scan('--config', 'c.json'), {}, false), null);
    assert.equal(prelaunchPlan(scan('--ca', 'ca.pem'), {}, false), null);
    assert.equal(prelaunchPlan(scan(), { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }, false), null);
    assert.equal(prelaunchPlan(scan(), { WP401_CA: 'ca.pem' }, false), null);
    assert.equal(prelaunchPlan(scan('--insecure'), { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }, false)?.insecure, true, '--insecure: Chromium gets no server key');
    assert.equal(prelaunchPlan(['scan', 'http://s.example/', '--user', 'a', '--ca', 'ca.pem'], {}, false)?.target, 'http://s.example/', 'plain http: no key');
    assert.equal(prelaunchPlan(scan('--timeout', 'soon'), {}, false), null);
  });
  it('none for a run that will not start Chromium, or names no URL', () => {
    assert.equal(prelaunchPlan(scan('--no-browser'), {}, false), null);
    assert.equal(prelaunchPlan(['scan', 'https://s.example/'], {}, false), null);
    assert.equal(prelaunchPlan(['scan', 's.example', '--user', 'a'], {}, false), null);
    assert.equal(prelaunchPlan(['report', 'https://s.example/', '--user', 'a'], {}, false), null);
  });
});
