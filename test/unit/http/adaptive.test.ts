// The adaptive limiter, driven with synthetic latencies: each model below is
// a kind of server (its latency as a function of the requests in flight), and
// the limiter must settle where that server's throughput says it should.
import { strict as assert } from 'node:assert';
import { createAdaptiveLimiter } from '../../../src/http/adaptive.js';

/**
 * Feeds `n` answers, each at the limiter's current limit (a saturated scan).
 * `latency` gets the requests in flight, the answer's index and the time (ms).
 */
function drive(max: number, latency: (inFlight: number, i: number, t: number) => number, n = 200) {
  let t = 0;
  const limiter = createAdaptiveLimiter(max, () => t);
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = limiter.limit;
    seen.push(k);
    const ms = latency(k, i, t);
    t += ms / k;
    limiter.observe(ms, k);
  }
  return { limiter, seen };
}

describe('adaptive concurrency', () => {
  it('keeps the full limit when more in flight means more throughput (a parallel server)', () => {
    const { limiter, seen } = drive(4, () => 40);
    assert.equal(limiter.limit, 4);
    // One window at half the limit to learn the curve, then back for good.
    assert.ok(seen.filter((k) => k < 4).length <= 4, `limits seen: ${seen.join(',')}`);
    assert.deepEqual(
      limiter.changes.map((c) => c.reason),
      ['explore-down', 'better-higher'],
    );
  });

  it('settles at one in flight on a server that serialises requests', () => {
    const { limiter } = drive(4, (k) => 40 * k);
    assert.equal(limiter.limit, 1);
  });

  it('settles at one in flight on a server that gets slower per request under contention', () => {
    const { limiter, seen } = drive(6, (k) => k * (40 + 60 * (k - 1)));
    assert.equal(limiter.limit, 1);
    // Most of the scan ran below the ceiling: the back-off came early.
    assert.ok(seen.filter((k) => k < 6).length > seen.length * 0.8, `limits seen: ${seen.join(',')}`);
  });

  it('leaves the level where a server answers in 5-second steps and settles just below it', () => {
    const { limiter, seen } = drive(4, (k) => (k >= 4 ? 5000 : 100));
    assert.equal(limiter.limit, 3);
    assert.ok(seen.filter((k) => k >= 4).length <= 8, 'the slow level was left after one window');
  });

  it('takes the gentler of two levels with the same throughput (a two-core server)', () => {
    // Two workers: up to two in flight cost nothing extra, more only queue.
    const { limiter } = drive(4, (k) => (k <= 2 ? 50 : 50 * (k / 2)));
    assert.equal(limiter.limit, 2);
  });

  it('a parallel server that pauses once (every answer in flight slow at that moment) gets its full limit back', () => {
    // 40 ms at any level, except answers 30 to 39, which wait 1.5 s whatever
    // the level (a worker pool spawning children, a lock). The pause hits the
    // levels the limiter happens to be on; once it is over, the server is as
    // parallel as before.
    const { limiter, seen } = drive(4, (_k, i) => (i >= 30 && i < 40 ? 1500 : 40), 120);
    assert.ok(seen.slice(0, 30).every((k) => k === 4 || k === 2), `before the pause: ${seen.slice(0, 30).join(',')}`);
    assert.equal(limiter.limit, 4, `limits seen: ${seen.join(',')}`);
    assert.ok(seen.slice(60).every((k) => k === 4), `limits seen after the pause: ${seen.slice(40).join(',')}`);
  });

  it('a parallel server that pauses long enough to fill the recent answers of every level it was on gets its parallelism back', () => {
    // 40 ms at any level, except that a request started between 0.3 s and
    // 2.3 s waits until 2.3 s (a worker pool with no free child until the
    // parent spawns more). The limiter backs off during the pause and is at
    // one in flight when it ends, with levels 2 and 4 measured at the pause:
    // without measuring them again it stays at one for good.
    const { limiter, seen } = drive(4, (_k, _i, t) => (t >= 300 && t < 2300 ? Math.max(40, 2300 - t) : 40), 2000);
    assert.ok(seen.includes(1), `limits seen: ${seen.join(',')}`);
    assert.ok(limiter.changes.some((c) => c.reason === 'recheck-up'), limiter.changes.map((c) => c.reason).join(','));
    assert.equal(limiter.limit, 4, `limits seen: ${seen.join(',')}`);
    assert.ok(seen.slice(-500).every((k) => k === 4), `limits seen at the end: ${seen.slice(-500).join(',')}`);
  });

  it('re-checks a level that answers in 5-second steps rarely: a small share of a long scan', () => {
    // 20 minutes of answers at 100 ms below the step: each re-check costs a
    // window of 5-second answers, and each waits twice as long as the last.
    let t = 0;
    const limiter = createAdaptiveLimiter(4, () => t);
    let slowTime = 0;
    while (t < 20 * 60_000) {
      const k = limiter.limit;
      const ms = k >= 4 ? 5000 : 100;
      t += ms / k;
      if (k >= 4) slowTime += ms / k;
      limiter.observe(ms, k);
    }
    assert.equal(limiter.limit, 3);
    const rechecks = limiter.changes.filter((c) => c.reason === 'recheck-up').length;
    assert.ok(rechecks >= 1 && rechecks <= 6, `re-checks: ${rechecks}`);
    assert.ok(slowTime / t < 1 / 8, `time at the slow level: ${(100 * slowTime) / t} %`);
  });

  it('the median of a level\'s recent answers: one or two slow ones do not move it', async () => {
    const { median } = await import('../../../src/http/adaptive.js');
    assert.equal(median([40, 1500, 40, 40, 1500]), 40);
    assert.equal(median([40, 60]), 50);
    assert.equal(median([5000, 5000, 100]), 5000);
  });

  it('never exceeds the configured limit, never goes below one', () => {
    for (const model of [(k: number) => 10 * k * k, () => 1, (k: number) => (k === 1 ? 1000 : 5)]) {
      const { seen } = drive(3, model, 300);
      assert.ok(seen.every((k) => k >= 1 && k <= 3), seen.join(','));
    }
  });

  it('holds at most `limit` tasks in flight and releases waiters when the limit changes', async () => {
    const limiter = createAdaptiveLimiter(4);
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const tasks = Array.from({ length: 12 }, () =>
      limiter.run(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise<void>((r) => gates.push(r));
        inFlight--;
      }),
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(limiter.active, 4);
    assert.equal(limiter.pending, 8);
    // A serialising server: answers twice as slow at two in flight, four times at four.
    for (let i = 0; i < 16; i++) limiter.observe(40 * 4, 4);
    for (let i = 0; i < 16; i++) limiter.observe(40 * 2, 2);
    for (let i = 0; i < 16; i++) limiter.observe(40, 1);
    assert.ok(limiter.limit < 4, `limit ${limiter.limit}`);
    while (gates.length > 0) {
      (gates.shift() as () => void)();
      await new Promise((r) => setImmediate(r));
      assert.ok(limiter.active <= Math.max(limiter.limit, 4));
    }
    await Promise.all(tasks);
    assert.equal(most, 4);
    assert.equal(limiter.peak, 4);
    assert.equal(limiter.active, 0);
  });
});
