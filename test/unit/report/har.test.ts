import { strict as assert } from 'node:assert';
import { renderHar } from '../../../src/report/har.js';
import { loadResult, resultFixtureNames, syntheticResult } from '../../support/results.js';
import { validateHar } from '../../support/schema.js';

const SECRETS = ['dXNlcjpodW50ZXIy', 'secretcookievalue', 'abcdef1234', 'secretsetcookie', 'anothersecret', 'deadbeefsignature', 'noncevalue123', 'c2VjcmV0'];

describe('report/har', () => {
  for (const name of resultFixtureNames()) {
    it(`HAR of ${name} is valid HAR 1.2`, () => {
      const har = renderHar(loadResult(name));
      const { valid, errors } = validateHar(JSON.parse(JSON.stringify(har)));
      assert.ok(valid, errors.join('\n'));
    });
  }

  it('writes one entry per hop, and one for a request that got no answer', () => {
    const result = loadResult('plugin-confirmed');
    const har = renderHar(result);
    const hops = result.probes.reduce((n, p) => n + Math.max(1, p.chain.length), 0);
    assert.equal(har.log.entries.length, hops);
    assert.equal(har.log.version, '1.2');
    assert.deepEqual(har.log.creator, { name: 'wp401', version: '0.1.0' });
    const failed = har.log.entries.find((e) => e.response.status === 0);
    assert.ok(failed);
    assert.match(failed.response._error ?? '', /UND_ERR_HEADERS_TIMEOUT/);
  });

  it('follows a redirect chain: redirectURL, method change, increasing start times', () => {
    const har = renderHar(loadResult('healthy'));
    const login = har.log.entries.filter((e) => e._wp401Probe === 'p5');
    assert.equal(login.length, 2);
    const [first, second] = login;
    assert.ok(first && second);
    assert.equal(first.request.method, 'POST');
    assert.equal(first.response.redirectURL, 'http://127.0.0.1:8081/wp-admin/');
    assert.equal(second.request.method, 'GET', '302 after POST becomes GET');
    assert.equal(second.request.url, 'http://127.0.0.1:8081/wp-admin/');
    assert.ok(Date.parse(second.startedDateTime) > Date.parse(first.startedDateTime));
    assert.equal(first.response.statusText, 'Found');
    assert.equal(second.response.content.size, 65536);
    assert.equal(second.response.content.mimeType, 'text/html; charset=UTF-8');
  });

  it('parses the query string', () => {
    const har = renderHar(loadResult('fpm-strips-authorization'));
    const entry = har.log.entries.find((e) => e._wp401Probe === 'p2');
    assert.deepEqual(entry?.request.queryString, [{ name: 'context', value: 'edit' }]);
  });

  it('leaves no secret value in the HAR, even when a probe was not redacted', () => {
    const text = JSON.stringify(renderHar(loadResult('hostile')));
    for (const secret of SECRETS) assert.ok(!text.includes(secret), secret);
    const har = renderHar(loadResult('hostile'));
    const all = har.log.entries.flatMap((e) => [...e.request.headers, ...e.response.headers]);
    for (const name of ['authorization', 'cookie', 'set-cookie', 'x-wp-nonce', 'x-wp401-signature', 'x-wp401-nonce', 'proxy-authorization']) {
      for (const h of all.filter((x) => x.name === name)) assert.equal(h.value, '[redacted]', name);
    }
    const cookies = har.log.entries.flatMap((e) => [...e.request.cookies, ...e.response.cookies]);
    assert.ok(cookies.length > 0);
    assert.ok(cookies.every((c) => c.value === '[redacted]'));
    assert.ok(cookies.some((c) => c.name === 'wordpress_logged_in_x'));
  });

  it('handles 1,000 probes', () => {
    const har = renderHar(syntheticResult(1000));
    assert.ok(har.log.entries.length >= 1000);
    assert.ok(validateHar(JSON.parse(JSON.stringify(har))).valid);
  });
});
