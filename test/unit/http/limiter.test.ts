import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { createAdaptiveLimiter } from '../../../src/http/adaptive.js';
import { createLimiter, sleep, usablePlaces } from '../../../src/http/limiter.js';

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

  for (const [name, make] of [
    ['fixed', () => createLimiter(1)],
    ['adaptive', () => createAdaptiveLimiter(1)],
  ] as const) {
    it(`${name}: a task marked first runs before the tasks already waiting, never beside the running one`, async () => {
      const limiter = make();
      const order: string[] = [];
      let inFlight = 0;
      let peak = 0;
      const task = (name: string) => async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        order.push(name);
        await sleep(2);
        inFlight--;
      };
      const all = [limiter.run(task('running')), limiter.run(task('waiting-1')), limiter.run(task('waiting-2'))];
      all.push(limiter.run(task('first'), true));
      await Promise.all(all);
      assert.deepEqual(order, ['running', 'first', 'waiting-1', 'waiting-2']);
      assert.equal(peak, 1);
    });
  }

  for (const [name, make] of [
    ['fixed', () => createLimiter(4)],
    ['adaptive', () => createAdaptiveLimiter(4)],
  ] as const) {
    it(`${name}: reserved places are kept from tasks until released, without stopping a running task`, async () => {
      const limiter = make();
      let inFlight = 0;
      let peak = 0;
      const task = (ms: number) => async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(ms);
        inFlight--;
      };
      const running = [limiter.run(task(5)), limiter.run(task(5)), limiter.run(task(5))];
      let release: () => void = () => {};
      const until = new Promise<void>((r) => {
        release = r;
      });
      // three running: they go on, and new tasks wait until fewer than the two usable places are taken
      limiter.reserve(2, until);
      const more = Array.from({ length: 20 }, () => limiter.run(task(10)));
      await Promise.all(running);
      peak = inFlight;
      await sleep(30);
      assert.ok(peak <= 2, `at most two tasks beside the reservation (${peak})`);
      assert.ok(limiter.pending > 0, 'tasks wait while the places are reserved');
      release();
      await sleep(0);
      peak = inFlight;
      await Promise.all(more);
      assert.ok(peak > 2 && peak <= 4, `the whole limit is used again once released (${peak})`);
      assert.equal(limiter.active, 0);
    });

    it(`${name}: a reservation as large as the limit still leaves tasks one place, and lets them have all of it after`, async () => {
      const limiter = name === 'fixed' ? createLimiter(2) : createAdaptiveLimiter(2);
      let release: () => void = () => {};
      limiter.reserve(
        2,
        new Promise<void>((r) => {
          release = r;
        }),
      );
      let inFlight = 0;
      let peak = 0;
      const task = async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(5);
        inFlight--;
      };
      await Promise.all(Array.from({ length: 4 }, () => limiter.run(task)));
      assert.equal(peak, 1, 'one at a time while reserved, not none');
      release();
      await sleep(0);
      peak = 0;
      await Promise.all(Array.from({ length: 6 }, () => limiter.run(task)));
      assert.equal(peak, 2, 'the whole limit once released');
    });
  }

  it('usablePlaces: the limit less the reservation, never below one', () => {
    assert.equal(usablePlaces(4, 0), 4);
    assert.equal(usablePlaces(4, 2), 2);
    assert.equal(usablePlaces(2, 2), 1);
    assert.equal(usablePlaces(1, 3), 1);
    assert.equal(usablePlaces(4, -1), 4);
  });

  it('sleep ends early on abort', async () => {
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5000, controller.signal);
    assert.ok(Date.now() - t0 < 1000);
  });
});
