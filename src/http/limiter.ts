// Politeness primitives: a concurrency limiter, a pacer that spaces request
// starts, and an abortable sleep. Small enough not to need p-limit.

export interface Limiter {
  /** `first`: wait ahead of the requests already waiting (never past the limit) */
  run<T>(task: () => Promise<T>, first?: boolean): Promise<T>;
  /**
   * Keep `slots` places from tasks until `until` settles, for work outside
   * the limiter that loads the same server — but never every place: tasks
   * keep at least one. Running tasks are not stopped; the places free up as
   * they end.
   */
  reserve(slots: number, until: Promise<unknown>): void;
  readonly active: number;
  readonly pending: number;
}

/**
 * The places tasks may use now: the limit less the reserved places, never
 * fewer than one. A reservation that took every place would stop the tasks
 * outright whenever the limit itself came down to the reserved count (an
 * adaptive limit halving from 4 to 2 with 2 reserved), and leave all the
 * work behind it for later.
 */
export function usablePlaces(limit: number, reserved: number): number {
  return Math.max(1, limit - Math.max(0, reserved));
}

/** Counts `slots` as reserved (`add(slots)`) until `until` settles (`add(-slots)`). */
export function holdReservation(slots: number, until: Promise<unknown>, add: (n: number) => void): void {
  const n = Math.max(0, Math.floor(slots));
  if (n === 0) return;
  add(n);
  void until.then(
    () => add(-n),
    () => add(-n),
  );
}

export function createLimiter(concurrency: number): Limiter {
  const limit = Math.max(1, Math.floor(concurrency) || 1);
  let active = 0;
  let reserved = 0;
  const waiting: (() => void)[] = [];

  const acquire = (first = false): Promise<void> => {
    if (active < usablePlaces(limit, reserved) && waiting.length === 0) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => (first ? waiting.unshift(resolve) : waiting.push(resolve)));
  };
  // Free places go straight to the waiters, in the same turn, so a newcomer
  // can never slip in between and push `active` over the limit.
  const pump = (): void => {
    while (active < usablePlaces(limit, reserved) && waiting.length > 0) {
      active++;
      waiting.shift()?.();
    }
  };
  const release = (): void => {
    active--;
    pump();
  };

  return {
    reserve(slots: number, until: Promise<unknown>): void {
      holdReservation(slots, until, (n) => {
        reserved += n;
        pump();
      });
    },
    async run<T>(task: () => Promise<T>, first = false): Promise<T> {
      await acquire(first);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get pending() {
      return waiting.length;
    },
  };
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Returns a function that waits until at least `minIntervalMs` has passed since the previous start it allowed. */
export function createPacer(minIntervalMs: number): (signal?: AbortSignal) => Promise<void> {
  let nextAt = 0;
  return async (signal?: AbortSignal) => {
    if (!(minIntervalMs > 0)) return;
    const now = Date.now();
    const at = Math.max(now, nextAt);
    nextAt = at + minIntervalMs;
    await sleep(at - now, signal);
  };
}
