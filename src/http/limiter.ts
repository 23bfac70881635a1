// Politeness primitives: a concurrency limiter, a pacer that spaces request
// starts, and an abortable sleep. Small enough not to need p-limit.

export interface Limiter {
  /** `first`: wait ahead of the requests already waiting (never past the limit) */
  run<T>(task: () => Promise<T>, first?: boolean): Promise<T>;
  readonly active: number;
  readonly pending: number;
}

export function createLimiter(concurrency: number): Limiter {
  const limit = Math.max(1, Math.floor(concurrency) || 1);
  let active = 0;
  const waiting: (() => void)[] = [];

  const acquire = (first = false): Promise<void> => {
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => (first ? waiting.unshift(resolve) : waiting.push(resolve)));
  };
  // A released slot is handed straight to the next waiter, so a newcomer
  // can never slip in between and push `active` over the limit.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
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
    get active() {
      return active;
    },
    get pending() {
      return waiting.length;
    },
  };
}

const noop = (): void => undefined;

/**
 * Keeps `slots` of a limiter's places for work outside it until `until`
 * settles: each is taken like a task marked first (ahead of the tasks
 * waiting, never past the limit, so it takes effect as running tasks end)
 * and held, without a request, while `until` is pending. A held place
 * counts as in flight, as the outside work it stands for loads the server.
 */
export function reserveSlots(limiter: Pick<Limiter, 'run'>, slots: number, until: Promise<unknown>): void {
  const held = (): Promise<void> => until.then(noop, noop);
  for (let i = 0; i < slots; i++) void limiter.run(held, true);
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
