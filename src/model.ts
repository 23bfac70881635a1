// The data that flows through the pipeline: gather → observations → rules →
// findings → isolate → report. Everything here is plain, JSON-serialisable
// data so a scan can be saved and its rules re-run from disk.

export const LAYERS = ['browser', 'network', 'edge', 'server', 'wordpress', 'plugin'] as const;
export type Layer = (typeof LAYERS)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['confirmed', 'likely', 'possible'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const CULPRIT_KINDS = [
  'plugin',
  'mu-plugin',
  'drop-in',
  'htaccess',
  'server-config',
  'proxy',
  'credential',
  'wp-config',
  'cookie',
] as const;
export type CulpritKind = (typeof CULPRIT_KINDS)[number];

export type { AuthMode, BodySummary, Experiment, HeaderMap, Hop, LedgerEntry, PageKind, Probe } from './observations/probe.js';
import type { Experiment, Probe } from './observations/probe.js';

/** The reports a scan can write. */
export const REPORT_FORMATS = ['html', 'json', 'har'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Culprit {
  kind: CulpritKind;
  /** plugin slug, file name, directive, cookie name… */
  name: string;
  file?: string;
}

export type ZoneDemand =
  | { kind: 'none' }
  | { kind: 'basic'; realm: string | null }
  | { kind: 'wordpress-login' }
  | { kind: 'rest-auth'; code: string }
  | { kind: 'other'; status: number };

export interface Zone {
  prefix: string;
  demand: ZoneDemand;
  probes: number;
  unauthorized: number;
  /**
   * Every refusal here is one WordPress core gives anonymous visitors on a
   * route that needs a login (its own REST permission codes), no logged-in
   * request was refused, and no finding points here: working as designed.
   */
  expected?: boolean;
}

export interface Finding {
  id: string;
  severity: Severity;
  layer: Layer;
  culprit: Culprit | null;
  title: string;
  explanation: string;
  evidence: Evidence[];
  fixes: string[];
  confidence: Confidence;
}

export type Evidence =
  | { kind: 'probe'; probe: string; note?: string }
  | { kind: 'header'; probe: string; name: string; value: string }
  | { kind: 'cookie'; name: string; reason: string; probe?: string }
  | { kind: 'bridge'; fact: string; value: unknown }
  | { kind: 'experiment'; experiment: string }
  | { kind: 'note'; text: string };

export interface Verdict {
  status: 'ok' | 'problems';
  summary: string;
}

import type { ScanTimings } from './observations/timings.js';

export interface ScanResult {
  schemaVersion: 1;
  tool: { name: 'wp401'; version: string };
  target: string;
  startedAt: string;
  durationMs: number;
  /** true when the scan was interrupted or ran out of budget before finishing */
  incomplete?: boolean;
  verdict: Verdict;
  findings: Finding[];
  zones: Zone[];
  probes: Probe[];
  experiments: Experiment[];
  environment: Record<string, unknown> | null;
  screenshots?: { probe?: string; url: string; file: string }[];
  /** where the time went: each stage's interval, the engine's concurrency, the time budget */
  timings?: ScanTimings;
}
