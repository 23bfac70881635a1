// Adaptive concurrency: start at the configured limit, watch how long each
// request takes at each number of requests in flight, and settle on the
// smallest number in flight that gives (nearly) the best throughput.
//
// Why this shape. A diagnostic scan runs while a site is broken, often
// against one PHP worker, a security plugin that serialises requests, or a
// server that slows down when several requests arrive at once. Then more
// requests in flight buy nothing (a serialising server) or make every request
// slower (contention) — and they make a struggling server worse. By Little's
// law, with k requests in flight and a mean latency L, the throughput is k/L,
// so the server time one request costs at that level is L/k. The limiter
// keeps the latencies of the last answers per level (the number in flight
// when a request started), takes their median as the level's latency,
// compares those costs, and climbs:
//   - among measured levels it takes the smallest whose cost is within
//     TOLERANCE of the best, so ties go to the gentler setting (and it goes
//     back up when a higher level measured clearly cheaper);
//   - when the current level is that one and the level at half of it is
//     unmeasured, it tries the half (one window of answers: cheap on a
//     parallel server, and on a serialising one where the savings start);
//   - otherwise it tries one more in flight, unless that level was measured
//     and was not clearly cheaper.
// The median, not a running mean: a server that pauses once (a worker pool
// spawning children, a lock) makes every request in flight at that moment
// slow, whatever the level; with a mean those one or two answers set the
// level's cost, and since a level that was not clearly cheaper is not tried
// again soon, one pause on a parallel server pinned the scan at one request
// in flight. It never goes above the configured limit nor below one.
// A worse level is not worse for ever: a pause long enough to fill a level's
// recent answers looks exactly like a server that is slow at that level, and
// only measuring the level again tells them apart. Measuring a truly slow
// level costs one window of its slow answers (5 s on a server that answers in
// 5-second steps), so the limiter re-checks the level above the current one
// only once RECHECK times that level's own latency has passed since its last
// answer, and doubles that wait after each re-check of the level: re-checks
// cost at most about 1/RECHECK of the time on such a server, and a scan a
// pause pinned low gets its parallelism back after some multiple of the
// pause instead of never. No JavaScript port
// of a maintained adaptive-concurrency library (Netflix concurrency-limits'
// Vegas/Gradient) was found on the npm registry; this is the small part of
// that idea a scan of a few hundred requests needs.

import { holdReservation, type Limiter, usablePlaces } from './limiter.js';

export interface AdaptiveLimiter extends Limiter {
  /** the number of requests currently allowed in flight */
  readonly limit: number;
  /** the most requests that were in flight at once */
  readonly peak: number;
  /** one request's latency (ms) and how many were in flight around it (itself included) */
  observe(latencyMs: number, inFlightAtStart: number): void;
  /** every change of the limit, for the scan's notes */
  readonly changes: readonly LimitChange[];
}

export interface LimitChange {
  at: number;
  from: number;
  to: number;
  reason: 'explore-down' | 'cheaper-lower' | 'better-higher' | 'explore-up' | 'recheck-up';
}

/** a level's cost within this fraction of the best counts as "as good" */
const TOLERANCE = 0.15;
/** answers per level whose median is the level's latency: one pause is at most two of them */
const RECENT = 5;
/** samples a level needs before its latency is trusted */
const MIN_SAMPLES = 2;
/** a worse level above is measured again after this many times its latency (doubling after each re-check) */
const RECHECK = 8;

interface Level {
  /** the latest latencies at this level (at most RECENT), oldest first */
  recent: number[];
  /** when the latest of them arrived */
  lastAt: number;
}

/** The median of a short list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

export function createAdaptiveLimiter(max: number, now: () => number = () => Date.now()): AdaptiveLimiter {
  const ceiling = Math.max(1, Math.floor(max) || 1);
  let limit = ceiling;
  let active = 0;
  let reserved = 0;
  let peak = 0;
  let sinceDecision = 0;
  /** per level, how many of its latencies must pass before it is re-checked */
  const recheckAfter = new Map<number, number>();
  const levels = new Map<number, Level>();
  const waiting: (() => void)[] = [];
  const changes: LimitChange[] = [];

  const grant = (): void => {
    active++;
    if (active > peak) peak = active;
  };
  // Hand free slots to waiters, up to the current limit (it may have grown).
  const pump = (): void => {
    while (active < usablePlaces(limit, reserved) && waiting.length > 0) {
      grant();
      waiting.shift()?.();
    }
  };
  const acquire = (first = false): Promise<void> => {
    if (active < usablePlaces(limit, reserved) && waiting.length === 0) {
      grant();
      return Promise.resolve();
    }
    return new Promise((resolve) => (first ? waiting.unshift(resolve) : waiting.push(resolve)));
  };
  const release = (): void => {
    active--;
    pump();
  };

  const known = (k: number): Level | undefined => {
    const l = levels.get(k);
    return l && l.recent.length >= MIN_SAMPLES ? l : undefined;
  };
  const cost = (k: number): number | undefined => {
    const l = known(k);
    return l ? median(l.recent) / k : undefined;
  };
  const setLimit = (to: number, reason: LimitChange['reason']): void => {
    const next = Math.min(ceiling, Math.max(1, to));
    if (next === limit) return;
    changes.push({ at: now(), from: limit, to: next, reason });
    limit = next;
    sinceDecision = 0;
    pump();
  };

  const decide = (): void => {
    const here = cost(limit);
    if (here === undefined) return;
    // 1. The gentlest measured level that is as good as the best one.
    const measured = [...levels.keys()].filter((k) => cost(k) !== undefined).sort((a, b) => a - b);
    const best = Math.min(...measured.map((k) => cost(k) as number));
    const gentlest = measured.find((k) => (cost(k) as number) <= best * (1 + TOLERANCE)) ?? limit;
    if (gentlest !== limit) {
      setLimit(gentlest, gentlest < limit ? 'cheaper-lower' : 'better-higher');
      return;
    }
    // 2. This level is the best known: learn the curve below it, halving
    //    while the half is unmeasured.
    const lower = Math.max(1, Math.floor(limit / 2));
    if (lower < limit && cost(lower) === undefined) {
      setLimit(lower, 'explore-down');
      return;
    }
    // 3. One more in flight, when that level is unknown or was clearly cheaper.
    if (limit < ceiling) {
      const up = cost(limit + 1);
      if (up === undefined || up * (1 + TOLERANCE) < here) {
        setLimit(limit + 1, 'explore-up');
        return;
      }
      // 4. Measured worse, but long ago (in units of its own latency): measure it again.
      const above = levels.get(limit + 1) as Level;
      const factor = recheckAfter.get(limit + 1) ?? RECHECK;
      if (now() - above.lastAt >= factor * median(above.recent)) {
        levels.delete(limit + 1);
        recheckAfter.set(limit + 1, factor * 2);
        setLimit(limit + 1, 'recheck-up');
      }
    }
  };

  return {
    async run<T>(task: () => Promise<T>, first = false): Promise<T> {
      await acquire(first);
      try {
        return await task();
      } finally {
        release();
      }
    },
    reserve(slots: number, until: Promise<unknown>): void {
      holdReservation(slots, until, (n) => {
        reserved += n;
        pump();
      });
    },
    observe(latencyMs: number, inFlightAtStart: number): void {
      if (!(latencyMs >= 0)) return;
      const k = Math.min(ceiling, Math.max(1, Math.round(inFlightAtStart)));
      const l = levels.get(k);
      if (l) {
        l.recent.push(latencyMs);
        if (l.recent.length > RECENT) l.recent.shift();
        l.lastAt = now();
      } else levels.set(k, { recent: [latencyMs], lastAt: now() });
      // Decide once per window of half `limit` answers (at least 2), so one decision sees the
      // effect of the previous one.
      if (++sinceDecision >= Math.max(2, Math.ceil(limit / 2))) {
        sinceDecision = 0;
        decide();
      }
    },
    get limit() {
      return limit;
    },
    get peak() {
      return peak;
    },
    get active() {
      return active;
    },
    get pending() {
      return waiting.length;
    },
    get changes() {
      return changes;
    },
  };
}
