// Where a scan's time went: one entry per stage, in milliseconds from the
// scan's start. Stages overlap (the core probes, the crawl and the login run
// side by side), so the entries are intervals, not a sum.

export type StageName = 'discover' | 'bridge' | 'core' | 'login' | 'rest-nonce' | 'browser' | 'crawl' | 'cookie-probes' | 'ledger' | 'isolate';

export interface StageTiming {
  stage: StageName;
  /** ms from the scan's start */
  startMs: number;
  durationMs: number;
}

/** What the engine's limiter allowed in flight (see src/http/adaptive.ts). */
export interface ConcurrencyObservation {
  max: number;
  final: number;
  peak: number;
  adaptive: boolean;
  changes: { atMs: number; from: number; to: number; reason: string }[];
}

/**
 * A wait for a nonce to age: in the browser session (its last REST request),
 * or on the HTTP login's line (--no-browser), which the crawl and the core
 * probes fill while it sleeps. Entries saved before `by` existed are the browser's.
 */
export interface NonceWait {
  reason: 'nonce-age';
  by?: 'browser' | 'http';
  minAgeMs: number;
  waitedMs: number;
}

export interface ScanTimings {
  totalMs: number;
  stages: StageTiming[];
  concurrency?: ConcurrencyObservation;
  /**
   * Time the scan spent waiting on purpose, not working: the browser's REST
   * probe with an aged nonce is sent once the nonce is `minAgeMs` old (a
   * nonce refused that young is a problem only a wait reveals); `waitedMs` is
   * the part of that no other work filled.
   */
  waits?: NonceWait[];
  /** the time budget (--time-budget) and whether it ran out */
  budgetMs?: number;
  budgetExhausted?: boolean;
}
