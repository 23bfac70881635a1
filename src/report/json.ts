// The JSON reporter: wp401.json with a stable key order, so two scans of the
// same site diff cleanly and a golden file stays golden. Keys the model knows
// come in the contract's order; free-form maps (headers, the bridge's
// environment) are sorted by name.

import type { ScanResult } from '../model.js';

/** A shape says in which order an object's keys are written and how its children are shaped. */
interface Shape {
  keys: readonly string[];
  children?: Record<string, Child>;
}
type Child = Shape | { each: Child } | 'sorted';

const SORTED = 'sorted' as const;

const headerMap: Child = SORTED;
const codeMessage: Shape = { keys: ['code', 'message', 'status', 'callback', 'plugin'] };

const culprit: Shape = { keys: ['kind', 'name', 'file'] };
const evidence: Shape = {
  keys: ['kind', 'probe', 'experiment', 'name', 'fact', 'value', 'reason', 'note', 'text'],
  children: { value: SORTED },
};
const finding: Shape = {
  keys: ['id', 'severity', 'layer', 'culprit', 'confidence', 'title', 'explanation', 'evidence', 'fixes'],
  children: { culprit, evidence: { each: evidence } },
};
const zone: Shape = {
  keys: ['prefix', 'demand', 'probes', 'unauthorized'],
  children: { demand: { keys: ['kind', 'realm', 'code', 'status'] } },
};
const hop: Shape = { keys: ['url', 'status', 'location', 'timingMs', 'headers'], children: { headers: headerMap } };
const body: Shape = {
  keys: ['bytes', 'truncated', 'contentType', 'pageKind', 'title', 'restError', 'excerpt'],
  children: { restError: codeMessage },
};
const ledger: Shape = {
  keys: ['reachedPhp', 'authorizationHeader', 'cookieNames', 'userId', 'status', 'authError'],
  children: { authError: codeMessage },
};
const probe: Shape = {
  keys: [
    'id',
    'source',
    'method',
    'url',
    'auth',
    'status',
    'finalUrl',
    'startedAt',
    'durationMs',
    'error',
    'requestHeaders',
    'chain',
    'headers',
    'body',
    'ledger',
  ],
  children: {
    requestHeaders: headerMap,
    chain: { each: hop },
    headers: headerMap,
    body,
    error: codeMessage,
    ledger,
  },
};
const experiment: Shape = { keys: ['id', 'probe', 'pluginsOff', 'status', 'errorCode', 'droppedReported'] };
const screenshot: Shape = { keys: ['probe', 'url', 'file'] };

const root: Shape = {
  keys: [
    'schemaVersion',
    'tool',
    'target',
    'startedAt',
    'durationMs',
    'incomplete',
    'verdict',
    'findings',
    'zones',
    'probes',
    'experiments',
    'environment',
    'screenshots',
  ],
  children: {
    tool: { keys: ['name', 'version'] },
    verdict: { keys: ['status', 'summary'] },
    findings: { each: finding },
    zones: { each: zone },
    probes: { each: probe },
    experiments: { each: experiment },
    environment: SORTED,
    screenshots: { each: screenshot },
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortDeep(value[key]);
  return out;
}

function order(value: unknown, child: Child | undefined): unknown {
  if (child === undefined) return sortDeep(value);
  if (child === SORTED) return sortDeep(value);
  if ('each' in child) return Array.isArray(value) ? value.map((item) => order(item, child.each)) : sortDeep(value);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of child.keys) {
    if (key in value && value[key] !== undefined) out[key] = order(value[key], child.children?.[key]);
  }
  // Keys the shape does not know (a newer producer) are kept, after the known ones.
  for (const key of Object.keys(value).sort()) {
    if (!(key in out) && value[key] !== undefined) out[key] = sortDeep(value[key]);
  }
  return out;
}

/** Returns a copy of the result with every object's keys in the stable order. */
export function orderResult(result: ScanResult): ScanResult {
  return order(result, root) as ScanResult;
}

/** wp401.json: stable key order, two-space indent, trailing newline. */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(orderResult(result), null, 2)}\n`;
}
