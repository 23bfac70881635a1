import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseRetryAfter, RETRY_AFTER_CEILING_MS } from '../../../src/http/retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(['3', '9'], now), 3000);
  });

  it('reads the three HTTP-date forms', () => {
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Thursday, 01-Jan-26 00:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter('Thu Jan  1 00:00:05 2026', now), 5000);
  });

  it('treats a past date as now', () => {
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now), 0);
  });

  it('clamps to the bound', () => {
    assert.equal(parseRetryAfter('999999999999', now), RETRY_AFTER_CEILING_MS);
    assert.equal(parseRetryAfter('3600', now, 5000), 5000);
  });

  it('rejects what is neither form', () => {
    for (const bad of ['', '-1', '1.5', '1e3', 'soon', '0x10', 'NaN', '12 34', null, undefined, 'Infinity', 'x'.repeat(100)]) {
      assert.equal(parseRetryAfter(bad, now), null, String(bad));
    }
  });

  it('property: never throws, and returns null or a bounded number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()), fc.nat().map(String)), fc.integer(), fc.integer(), (value, at, max) => {
        const ms = parseRetryAfter(value, at, max);
        const cap = max >= 0 ? max : RETRY_AFTER_CEILING_MS;
        return ms === null || (Number.isFinite(ms) && ms >= 0 && ms <= cap);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: delta-seconds round-trip below the bound', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400 }), (sec) => parseRetryAfter(String(sec), now) === sec * 1000));
  });
});
