// Isolation: find the plugin behind a WordPress-side 401 by replaying the
// failing request with plugins switched off for that request only.
export { isolate, type IsolateInput, type IsolateOutput, type IsolationVerdict } from './isolate.js';
export { searchCulprits, replayTarget, log2ceil, type Oracle, type Outcome, type SearchResult, type SearchOptions, type SearchStep } from './search.js';
export { createReplayOracle, failureOf, judgeExperiment, droppedMatches, type ReplayDeps } from './replay.js';
export { handoverFor, neverReachedPhp, basicChallenge, type Handover } from './handover.js';
export { deriveIsolation, type DerivedIsolation } from './outcome.js';
export { isolationTargets, blamedProbes, ledgerBlamesPlugin, requestKey } from './targets.js';
export { applyIsolation } from './confirm.js';

