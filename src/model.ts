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

export interface Culprit {
  kind: CulpritKind;
  /** plugin slug, file name, directive, cookie name… */
  name: string;
  file?: string;
}

/** Which credential a probe carried. Never the credential itself. */
export type AuthMode = 'none' | 'app-password' | 'basic-site' | 'app-password+basic-site' | 'cookie' | 'cookie+nonce' | 'bad-app-password';

/** Headers as received/sent, names lower-cased, secret values already redacted. */
export type HeaderMap = Record<string, string[]>;

export interface Hop {
  url: string;
  status: number;
  location?: string;
  headers: HeaderMap;
  timingMs: number;
}

export interface BodySummary {
  /** bytes read (capped) */
  bytes: number;
  truncated: boolean;
  contentType?: string;
  /** page title, if HTML */
  title?: string;
  /** WordPress REST error, if the body was one */
  restError?: { code: string; message: string; status?: number };
  /** what kind of page this is: wp-login form, wp_die page, server default error… */
  pageKind?: PageKind;
  /** a short excerpt of visible text, for evidence */
  excerpt?: string;
  /** small facts a parser took from the body: REST namespaces, the login error, the form's action… */
  facts?: Record<string, string | number | boolean | string[]>;
}

export type PageKind =
  | 'wp-login'
  | 'wp-die'
  | 'wp-admin'
  | 'wordpress'
  | 'rest-json'
  | 'json'
  | 'apache-error'
  | 'nginx-error'
  | 'login-wall-other-host'
  | 'captive-portal'
  | 'xml'
  | 'other';

/** One request made by the scanner, from first hop to final answer. */
export interface Probe {
  id: string;
  /** which prober made it (e.g. "anon", "app-password", "crawl") */
  source: string;
  method: string;
  url: string;
  auth: AuthMode;
  /** request headers as sent, redacted */
  requestHeaders: HeaderMap;
  /** every hop including the final one */
  chain: Hop[];
  /** final status; 0 when the request failed before any answer */
  status: number;
  finalUrl: string;
  headers: HeaderMap;
  body?: BodySummary;
  /** network-level failure, as data */
  error?: { code: string; message: string };
  startedAt: string;
  durationMs: number;
  /** what the bridge's ledger saw of this probe, when the bridge was there */
  ledger?: LedgerEntry | null;
}

export interface LedgerEntry {
  reachedPhp: boolean;
  authorizationHeader: boolean;
  cookieNames: string[];
  userId: number;
  authError?: { code: string; message: string; callback?: string; plugin?: string } | null;
  status?: number;
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
}

export interface Experiment {
  id: string;
  probe: string;
  pluginsOff: string[];
  status: number;
  errorCode?: string;
  droppedReported?: string[];
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
}
