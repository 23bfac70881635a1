// What every gathering stage is given: the options, the secrets, and the
// hooks to report progress, to be interrupted and to hand over work left
// running. Data and hooks: no stage logic.
import type { ScanOptions } from '../config/options.js';
import type { Secrets } from '../config/secrets.js';
import type { HopEvent } from '../http/index.js';

export interface GatherContext {
  options: ScanOptions;
  secrets: Secrets;
  progress?: { stage(name: string): void; count(kind: string, n: number): void; request?(event: HopEvent): void };
  signal?: AbortSignal;
  /**
   * Takes work a stage leaves running once its observations are in (Chromium
   * exiting, its profile being removed); the caller awaits it before it
   * returns. Without it, the stage awaits that work itself.
   */
  background?: (work: Promise<void>) => void;
}

/** Ends a scan before it starts: exit code 3. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    readonly code: 'unreachable' | 'not-wordpress',
    message: string,
  ) {
    super(message);
  }
}

/** --isolate asked for, and the companion plugin refused the key or is not there: a configuration error (exit 2), found before the scan runs. */
export class IsolationUnavailable extends Error {
  override readonly name = 'IsolationUnavailable';
  constructor(reason: string) {
    super(`--isolate needs the companion plugin to accept WP401_BRIDGE_KEY, and it did not: ${reason}`);
  }
}
