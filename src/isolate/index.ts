// Isolation: replay a failing request with plugins switched off for that
// request only, and return the experiments. Judging them is the rules' work.
export { isolate, type IsolateInput } from './isolate.js';
export { searchCulprits, replayTarget, log2ceil, type Oracle, type Outcome, type SearchResult, type SearchOptions, type SearchStep } from './search.js';
export { createReplayOracle, type ReplayDeps } from './replay.js';
