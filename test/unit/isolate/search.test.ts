import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { log2ceil, type Oracle, replayTarget, searchCulprits } from '../../../src/isolate/search.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `plugin-${String(i).padStart(3, '0')}/plugin.php`);

/** A site where the request fails when every plugin of any one group is active. */
function site(groups: string[][]): { oracle: Oracle; calls: string[][] } {
  const calls: string[][] = [];
  const oracle: Oracle = async (off) => {
    calls.push([...off]);
    const offSet = new Set(off);
    return groups.some((g) => g.every((p) => !offSet.has(p))) ? 'fail' : 'pass';
  };
  return { oracle, calls };
}

function onOf(all: string[], off: readonly string[]): string[] {
  return all.filter((p) => !off.includes(p));
}

describe('isolate: searchCulprits', () => {
  it('finds one culprit among P within 2⌈log₂P⌉+2 replays, and proves it last', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 96 }).chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: p - 1 }))), async ([p, c]) => {
        const all = names(p);
        const culprit = all[c] as string;
        const { oracle } = site([[culprit]]);
        const r = await searchCulprits(all, oracle);
        assert.equal(r.verdict, 'plugin');
        assert.deepEqual(r.culprits, [culprit]);
        assert.ok(r.replays <= replayTarget(p, 1), `P=${p}: ${r.replays} > ${replayTarget(p, 1)}`);
        // The last two replays are the proof (when P > 1): culprit off passes, only the culprit on fails.
        if (p > 1) {
          const tail = r.steps.slice(-2);
          assert.ok(tail.some((s) => s.outcome === 'pass' && s.pluginsOff.length === 1 && s.pluginsOff[0] === culprit));
          assert.ok(tail.some((s) => s.outcome === 'fail' && onOf(all, s.pluginsOff).join() === culprit));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a pair that fails only together within 4⌈log₂P⌉+4 replays; the set is minimal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 96 }).chain((p) => fc.tuple(fc.constant(p), fc.uniqueArray(fc.integer({ min: 0, max: p - 1 }), { minLength: 2, maxLength: 2 }))),
        async ([p, idx]) => {
          const all = names(p);
          const pair = idx.map((i) => all[i] as string);
          const { oracle } = site([pair]);
          const r = await searchCulprits(all, oracle);
          assert.equal(r.verdict, 'plugin');
          assert.deepEqual(new Set(r.culprits), new Set(pair));
          assert.equal(r.groups.length, 1);
          assert.ok(r.replays <= replayTarget(p, 2), `P=${p}: ${r.replays} > ${replayTarget(p, 2)}`);
          // minimal: neither plugin alone makes it fail
          for (const one of pair) assert.equal(await oracle(all.filter((x) => x !== one).filter((x) => !pair.includes(x) || x !== one)), 'pass');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds two plugins that each block the request on their own (two groups)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 64 }).chain((p) => fc.tuple(fc.constant(p), fc.uniqueArray(fc.integer({ min: 0, max: p - 1 }), { minLength: 2, maxLength: 2 }))),
        async ([p, idx]) => {
          const all = names(p);
          const [a, b] = idx.map((i) => all[i] as string) as [string, string];
          const { oracle } = site([[a], [b]]);
          const r = await searchCulprits(all, oracle);
          assert.equal(r.verdict, 'plugin');
          assert.deepEqual(new Set(r.culprits), new Set([a, b]));
          assert.equal(r.groups.length, 2);
          assert.ok(r.replays <= replayTarget(p, 2), `P=${p}: ${r.replays} > ${replayTarget(p, 2)}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('random sites of 1–2 culprits (interacting or not): the answer always makes the request pass and is minimal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }).chain((p) =>
          fc.tuple(
            fc.constant(p),
            fc.uniqueArray(fc.integer({ min: 0, max: p - 1 }), { minLength: 1, maxLength: Math.min(2, p) }),
            fc.boolean(),
          ),
        ),
        async ([p, idx, together]) => {
          const all = names(p);
          const chosen = idx.map((i) => all[i] as string);
          const groups = together ? [chosen] : chosen.map((c) => [c]);
          const { oracle } = site(groups);
          const r = await searchCulprits(all, oracle);
          assert.equal(r.verdict, 'plugin');
          assert.equal(await oracle(r.culprits), 'pass');
          for (const g of r.groups) {
            assert.equal(await oracle(onOf(all, g).length ? all.filter((x) => !g.includes(x)) : []), 'fail');
            for (const drop of g) assert.equal(await oracle(all.filter((x) => !g.includes(x) || x === drop)), 'pass');
          }
          assert.ok(r.replays <= replayTarget(p, chosen.length as 1 | 2));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with every plugin off the request still fails: not a plugin, after one re-test', async () => {
    const all = names(8);
    const r = await searchCulprits(all, async () => 'fail');
    assert.equal(r.verdict, 'not-a-plugin');
    assert.deepEqual(r.culprits, []);
    assert.equal(r.replays, 2);
    assert.ok(r.steps.every((s) => s.pluginsOff.length === 8));
  });

  it('no plugins at all: not a plugin, no replay', async () => {
    const r = await searchCulprits([], async () => 'pass');
    assert.equal(r.verdict, 'not-a-plugin');
    assert.equal(r.replays, 0);
  });

  it('a subset that answers differently on re-test is flaky, never a guess', async () => {
    const all = names(16);
    const culprit = all[5] as string;
    let n = 0;
    // Correct answers, except that "only the culprit on" alternates.
    const oracle: Oracle = async (off) => {
      const on = onOf(all, off);
      if (on.length === 1 && on[0] === culprit) return n++ % 2 === 0 ? 'fail' : 'pass';
      return off.includes(culprit) ? 'pass' : 'fail';
    };
    const r = await searchCulprits(all, oracle);
    assert.ok(['flaky', 'plugin'].includes(r.verdict));
    if (r.verdict === 'plugin') assert.deepEqual(r.culprits, [culprit]);
    // A fully random site never yields a blamed plugin that does not hold up.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        let s = seed;
        const coin: Oracle = async () => {
          s = (s * 1103515245 + 12345) % 2147483648;
          return s % 2 === 0 ? 'pass' : 'fail';
        };
        const rr = await searchCulprits(all, coin);
        assert.ok(rr.replays <= 4 * log2ceil(16) + 8 + 6);
        if (rr.verdict === 'plugin') {
          // whatever was blamed was confirmed by the last two replays
          const tail = rr.steps.slice(-2);
          assert.ok(tail.some((st) => st.outcome === 'pass'));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a replay that keeps giving no usable answer ends inconclusive after bounded retries', async () => {
    const all = names(4);
    let calls = 0;
    const r = await searchCulprits(all, async () => {
      calls++;
      return 'unresolved';
    });
    assert.equal(r.verdict, 'inconclusive');
    assert.equal(calls, 3);
  });

  it('one unresolved answer is retried and the search goes on', async () => {
    const all = names(8);
    const { oracle } = site([[all[3] as string]]);
    let first = true;
    const r = await searchCulprits(all, async (off) => {
      if (first) {
        first = false;
        return 'unresolved';
      }
      return oracle(off);
    });
    assert.equal(r.verdict, 'plugin');
    assert.deepEqual(r.culprits, [all[3]]);
  });
});
