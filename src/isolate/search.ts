// The isolation search, as a pure function over an oracle. It finds the
// smallest set of plugins that must be active for a request to fail, by
// switching plugins off per request (the bridge's troubleshooting header).
//
// Algorithm: ordered prefix bisection, repeated (a variant of delta
// debugging that finds interacting sets). Plugins are in a fixed order
// u1…un. We know the request fails with all of them on and (after the first
// replay) passes with all of them off. A binary search finds the shortest
// prefix u1…uk that still fails when switched on alone: uk is necessary. With
// uk kept on, the search repeats on u1…u(k−1) until the kept set fails on its
// own. That set is minimal. One culprit costs ⌈log₂P⌉ + 3 replays, a pair
// that only fails together about 2⌈log₂P⌉ + 4. When switching the found set
// off still fails, another cause is active too (two plugins that each block
// the request): the search runs again with the found set kept off, and the
// culprits are the union of both groups.
//
// Answers are memoised per subset. An answer that contradicts what is already
// known (the kept set passes on its own where it must fail) triggers re-tests;
// a subset that answers differently on re-test is flaky and the search stops
// with verdict "flaky" instead of guessing.

import type { Outcome } from '../facts/experiment.js';

export type { Outcome };

/** Replays the failing request with exactly these plugins switched off. */
export type Oracle = (pluginsOff: readonly string[]) => Promise<Outcome>;

export type SearchVerdict = 'plugin' | 'not-a-plugin' | 'flaky' | 'inconclusive';

export interface SearchOptions {
  /** hard cap on replays; default 4⌈log₂P⌉ + 8 per group, at least 12 */
  maxReplays?: number;
  /** extra attempts for an unresolved replay or a contradiction; default 2 */
  retries?: number;
}

export interface SearchStep {
  pluginsOff: string[];
  outcome: Outcome;
  /** why this replay was made */
  purpose: 'all-off' | 'bisect' | 'kept-alone' | 'confirm-off' | 'confirm-on' | 'retest';
}

export interface SearchResult {
  verdict: SearchVerdict;
  /** the culprits, in the order of `plugins` (empty unless verdict is "plugin") */
  culprits: string[];
  /** groups: each is a minimal set that fails on its own (two when two plugins block independently) */
  groups: string[][];
  steps: SearchStep[];
  replays: number;
  notes: string[];
}

/** ⌈log₂ n⌉ for n ≥ 1. */
export function log2ceil(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/** The replay budgets the issue sets: one culprit, and a pair. */
export function replayTarget(plugins: number, culprits: 1 | 2): number {
  const l = log2ceil(plugins);
  return culprits === 1 ? 2 * l + 2 : 4 * l + 4;
}

class Stop extends Error {
  constructor(
    readonly verdict: SearchVerdict,
    readonly note: string,
  ) {
    super(note);
  }
}

/**
 * Finds the plugins behind a failure. `plugins` are the active plugins that
 * may be switched off (never the bridge), in a stable order.
 */
export async function searchCulprits(plugins: readonly string[], oracle: Oracle, options: SearchOptions = {}): Promise<SearchResult> {
  const all = [...new Set(plugins)];
  const maxReplays = options.maxReplays ?? Math.max(12, 4 * log2ceil(all.length) + 8);
  const retries = options.retries ?? 2;
  const steps: SearchStep[] = [];
  const notes: string[] = [];
  const memo = new Map<string, Outcome>();
  const keyOf = (off: readonly string[]) => [...off].sort().join('\n');
  // The original failure: everything on, nothing off.
  memo.set(keyOf([]), 'fail');

  const replay = async (off: string[], purpose: SearchStep['purpose']): Promise<Outcome> => {
    for (let attempt = 0; ; attempt++) {
      if (steps.length >= maxReplays) throw new Stop('inconclusive', `stopped after ${maxReplays} replays without an answer`);
      const outcome = await oracle(off);
      steps.push({ pluginsOff: off, outcome, purpose: attempt === 0 ? purpose : 'retest' });
      if (outcome !== 'unresolved') return outcome;
      if (attempt >= retries) throw new Stop('inconclusive', `a replay with ${off.length} plugin(s) off gave no usable answer ${attempt + 1} times`);
    }
  };

  /** Memoised answer for "these plugins off". */
  const test = async (off: string[], purpose: SearchStep['purpose']): Promise<Outcome> => {
    const key = keyOf(off);
    const known = memo.get(key);
    if (known) return known;
    const outcome = await replay(off, purpose);
    memo.set(key, outcome);
    return outcome;
  };

  /** Re-asks a subset; a different answer than before means the site answers inconsistently. */
  const retest = async (off: string[], times = retries): Promise<Outcome> => {
    const key = keyOf(off);
    const before = memo.get(key);
    let last: Outcome = before ?? 'unresolved';
    for (let i = 0; i < Math.max(1, times); i++) {
      if (off.length === 0) return 'fail'; // the original failure itself: not replayable with plugins off
      last = await replay(off, 'retest');
      if (before && last !== before) {
        throw new Stop('flaky', `the same ${off.length} plugin(s) off answered ${before} and then ${last}`);
      }
    }
    return last;
  };

  const offFor = (on: readonly string[]) => {
    const set = new Set(on);
    return all.filter((p) => !set.has(p));
  };

  /** A minimal set within `universe` that fails when only it is on (plus nothing of `forcedOff`). */
  const minimalFailing = async (universe: string[]): Promise<string[]> => {
    const kept: string[] = [];
    let hi = universe.length; // invariant: prefix(hi) ∪ kept, switched on alone, fails
    for (;;) {
      if (kept.length > 0) {
        const alone = await test(offFor(kept), 'kept-alone');
        if (alone === 'fail') return kept;
        if (hi === 0) {
          // Contradiction: prefix(0) ∪ kept is kept itself, which must fail. Ask again.
          notes.push(`${kept.join(' + ')} passed alone where it must fail; re-testing`);
          await retest(offFor(kept));
          await retest(offFor([...universe.slice(0, 1), ...kept]));
          throw new Stop('inconclusive', 'the plugins interact in a way a monotone search cannot explain (one plugin hides another)');
        }
      }
      let lo = 0; // prefix(lo) ∪ kept passes
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        const r = await test(offFor([...universe.slice(0, mid), ...kept]), 'bisect');
        if (r === 'fail') hi = mid;
        else lo = mid;
      }
      const needed = universe[hi - 1] as string;
      kept.unshift(needed);
      hi -= 1;
    }
  };

  const groups: string[][] = [];
  let verdict: SearchVerdict = 'inconclusive';
  try {
    if (all.length === 0) throw new Stop('not-a-plugin', 'no plugin can be switched off');
    const allOff = await test([...all], 'all-off');
    if (allOff === 'fail') {
      // Make sure: one more try before handing over to another layer.
      await retest([...all], 1);
      throw new Stop('not-a-plugin', 'the request still fails with every plugin switched off');
    }
    const forcedOff: string[] = [];
    for (;;) {
      const universe = all.filter((p) => !forcedOff.includes(p));
      if (universe.length === 0) throw new Stop('inconclusive', 'every plugin was blamed and the request still fails');
      const group = await minimalFailing(universe);
      groups.push(group);
      forcedOff.push(...group);
      const off = all.filter((p) => forcedOff.includes(p));
      const r = await test(off, 'confirm-off');
      if (r === 'pass') break;
      notes.push(`with ${group.join(' + ')} off the request still fails: another plugin blocks it too`);
    }
    await confirmAtEnd(all.filter((p) => forcedOff.includes(p)));
    verdict = 'plugin';
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    verdict = err.verdict;
    notes.push(err.note);
  }

  /**
   * The last two replays are the proof: culprits off → passes; only the
   * culprits on → fails. Re-run whichever of them was answered earlier.
   */
  async function confirmAtEnd(culprits: string[]): Promise<void> {
    const off = culprits;
    const on = offFor(culprits);
    const inTail = (subset: string[]) => steps.slice(-2).some((s) => keyOf(s.pluginsOff) === keyOf(subset));
    for (let i = 0; i < 3; i++) {
      const needOn = on.length > 0 && !inTail(on);
      const needOff = !inTail(off);
      if (!needOn && !needOff) return;
      if (needOn) {
        if ((await replay(on, 'confirm-on')) !== 'fail') {
          await retest(on);
          throw new Stop('flaky', 'with only the culprits on, the request passed on confirmation');
        }
      } else if ((await replay(off, 'confirm-off')) !== 'pass') {
        await retest(off);
        throw new Stop('flaky', 'with the culprits off, the request failed on confirmation');
      }
    }
  }

  const culprits = verdict === 'plugin' ? all.filter((p) => groups.some((g) => g.includes(p))) : [];
  return { verdict, culprits, groups: verdict === 'plugin' ? groups : [], steps, replays: steps.length, notes };
}
