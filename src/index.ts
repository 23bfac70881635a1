// wp401 as a library: scan a site, judge saved observations, write reports.
export { scan, judge, verdictOf } from './scan.js';
export type { ScanHooks } from './scan.js';
export { resolveOptions, normaliseTarget, UsageError, DEFAULTS } from './config/options.js';
export type { ScanOptions } from './config/options.js';
export { readSecrets } from './config/secrets.js';
export type { Secrets } from './config/secrets.js';
export { TargetError } from './gather/index.js';
export { writeReports, readResult, renderHtml, renderJson, renderHar } from './report/index.js';
export { RULES, runRules } from './rules/index.js';
export type * from './model.js';
export type * from './observations/index.js';
