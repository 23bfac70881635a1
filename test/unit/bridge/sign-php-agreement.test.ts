import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { before, describe, it } from 'mocha';
import { canonicalQuery, sha256Hex, signature, stringToSign } from '../../../src/bridge/sign.js';

const script = fileURLToPath(new URL('../../../wp-plugin/wp401-bridge/tests/sign-stdin.php', import.meta.url));
const hasPhp = spawnSync('php', ['-v']).status === 0;

// Query pieces built from characters that matter: separators, escapes, plus, unicode.
const queryChar = fc.constantFrom('a', 'b', 'Z', '0', '=', '&', '+', '%', '%2', '%20', '%2B', '%C3%A9', '%zz', '~', '-', '.', '_', '/', ',', '!', '*', "'", '(', ')', '[', ']', 'é');

describe('bridge signing agrees with PHP on random inputs', () => {
  before(function () {
    if (!hasPhp) this.skip();
  });

  it('canonical query and signature match for 300 random requests', () => {
    const cases = fc.sample(
      fc.record({
        key: fc.string({ unit: 'grapheme', minLength: 32, maxLength: 80 }),
        method: fc.constantFrom('GET', 'post', 'PUT', 'DELETE', 'OPTIONS'),
        host: fc.constantFrom('127.0.0.1:8401', 'Example.test', 'example.test:80', 'example.test:443', 'example.test:4430', '[::1]:80'),
        path: fc.constantFrom('/', '/wp-json/wp401/v1/env', '/blog/wp-login.php', '/x%20y/'),
        query: fc.array(queryChar, { maxLength: 30 }).map((parts) => parts.join('')),
        timestamp: fc.integer({ min: 0, max: 2 ** 33 }).map(String),
        nonce: fc.base64String({ minLength: 24, maxLength: 40 }).map((s) => s.replace(/[+/=]/g, '_')),
        body: fc.string({ unit: 'grapheme', maxLength: 200 }),
        probe: fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/),
        troubleshoot: fc.constantFrom('', 'a/a.php', 'a/a.php,b.php'),
      }),
      { numRuns: 300, seed: 401 },
    );
    const run = spawnSync('php', [script], { input: JSON.stringify(cases), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const php = JSON.parse(run.stdout) as { canonicalQuery: string; signature: string }[];
    assert.equal(php.length, cases.length);
    cases.forEach((c, i) => {
      const expected = php[i];
      assert.ok(expected);
      assert.equal(canonicalQuery(c.query), expected.canonicalQuery, `query ${JSON.stringify(c.query)}`);
      assert.equal(signature(c.key, stringToSign({ ...c, bodySha256: sha256Hex(c.body) })), expected.signature, `case ${i}`);
    });
  });
});
