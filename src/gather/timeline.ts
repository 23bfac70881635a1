// Records how long each stage of a scan took (src/observations/timings.ts).
import type { StageName, StageTiming } from '../observations/timings.js';

export interface Timeline {
  /** runs `fn` as stage `stage` and records its interval, also when it throws */
  time<T>(stage: StageName, fn: () => Promise<T>): Promise<T>;
  entries(): StageTiming[];
  /** ms since the timeline started */
  elapsed(): number;
}

export function createTimeline(now: () => number = () => performance.now()): Timeline {
  const origin = now();
  const entries: StageTiming[] = [];
  return {
    async time<T>(stage: StageName, fn: () => Promise<T>): Promise<T> {
      const start = now();
      try {
        return await fn();
      } finally {
        entries.push({ stage, startMs: Math.round(start - origin), durationMs: Math.round(now() - start) });
      }
    },
    entries: () => [...entries].sort((a, b) => a.startMs - b.startMs),
    elapsed: () => now() - origin,
  };
}
