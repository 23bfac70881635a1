// The rule catalog: every rule, in the order they run.
import type { Rule } from './types.js';

export const RULES: Rule[] = [];

export { runRules, sortFindings } from './runner.js';
export type { Rule, RuleMeta, Requirement } from './types.js';
export type { Facts } from './facts.js';
