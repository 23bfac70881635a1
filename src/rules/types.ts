// A rule: pure `evaluate(observations, facts) → findings`, one per file, with
// a meta block saying what it speaks about and what it needs.
import type { Finding, Layer } from '../model.js';
import type { Observations } from '../observations/index.js';
import type { Facts } from '../facts/index.js';

export type Requirement = 'probes' | 'login' | 'browser' | 'bridge' | 'experiments';

export interface RuleMeta {
  /** stable dotted id; findings use it or a child of it */
  id: string;
  title: string;
  layer: Layer;
  /** the stages whose observations it reads; it is skipped when one is missing */
  requires: Requirement[];
}

export interface Rule {
  meta: RuleMeta;
  evaluate(obs: Observations, facts: Facts): Finding[];
}
