import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { createLimiter, sleep } from '../../../src/http/limiter.js';

describe('limiter', () => {
  it('property: never runs more tasks at once than its limit, and runs them all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }), async (limit, delays) => {
        const limiter = createLimiter(limit);
        let active = 0;
        let peak = 0;
        const results = await Promise.all(
          delays.map((d, i) =>
            limiter.run(async () => {
              active++;
              peak = Math.max(peak, active);
              await sleep(d);
              active--;
              if (i % 7 === 3) throw new Error('task failed');
              return i;
            }).catch(() => -1),
          ),
        );
        return peak <= limit && results.length === delays.length && limiter.active === 0 && limiter.pending === 0;
      }),
      { numRuns: 50 },
    );
  });

  it('sleep ends early on abort', async () => {
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5000, controller.signal);
    assert.ok(Date.now() - t0 < 1000);
  });
});
