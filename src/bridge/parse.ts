// The companion plugin's answers, checked and typed once, where they enter
// (the bridge client's JSON, or a saved observations file): every module
// after this reads BridgeEnvironment and BridgeLedgerEntry, never a raw
// record. An answer that lacks what the scanner reads is "unusable": the scan
// says so and judges as if the bridge were absent. Pure.
import type { BridgeEnvironment, BridgeLedgerEntry, BridgePlugin } from '../observations/bridge.js';
import type { BridgeObservation } from '../observations/index.js';
import type { LedgerEntry } from '../observations/probe.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter(isObject) as unknown as T[]) : []);

function pluginOf(raw: Record<string, unknown>): BridgePlugin | null {
  if (typeof raw.basename !== 'string' || raw.basename === '') return null;
  const slug = typeof raw.slug === 'string' && raw.slug ? raw.slug : (raw.basename.split('/')[0] ?? raw.basename);
  return { ...(raw as unknown as BridgePlugin), basename: raw.basename, slug, name: typeof raw.name === 'string' && raw.name ? raw.name : slug, hooks: strings(raw.hooks), bridge: raw.bridge === true };
}

/** The environment report, or null when it lacks the parts the scanner reads (wordpress, php, server). */
export function parseEnvironment(v: unknown): BridgeEnvironment | null {
  if (!isObject(v) || !isObject(v.wordpress) || !isObject(v.php) || !isObject(v.server)) return null;
  const e = v as unknown as BridgeEnvironment;
  const ap = isObject(e.applicationPasswords) ? { ...e.applicationPasswords, changedBy: list<BridgeEnvironment['applicationPasswords']['changedBy'][number]>(e.applicationPasswords.changedBy) } : e.applicationPasswords;
  return {
    ...e,
    plugins: list<Record<string, unknown>>(e.plugins).map(pluginOf).filter((p): p is BridgePlugin => p !== null),
    muPlugins: list(e.muPlugins),
    dropins: list(e.dropins),
    htaccess: list(e.htaccess),
    hooks: isObject(e.hooks) ? (Object.fromEntries(Object.entries(e.hooks).map(([hook, cbs]) => [hook, list(cbs)])) as BridgeEnvironment['hooks']) : {},
    applicationPasswords: ap,
  };
}

/** One ledger entry, or null when it is none (no reachedPhp): the bridge did not see that request. */
export function parseLedgerEntry(v: unknown): BridgeLedgerEntry | null {
  if (!isObject(v) || typeof v.reachedPhp !== 'boolean') return null;
  const e = v as unknown as BridgeLedgerEntry;
  return {
    ...e,
    cookieNames: strings(e.cookieNames),
    hookEvents: list(e.hookEvents),
    dropped: strings(e.dropped),
    authError: isObject(e.authError) && typeof e.authError.code === 'string' ? e.authError : null,
    restError: isObject(e.restError) && typeof e.restError.code === 'string' ? e.restError : null,
    ...('appPasswordError' in e ? { appPasswordError: isObject(e.appPasswordError) && typeof e.appPasswordError.code === 'string' ? e.appPasswordError : null } : {}),
  };
}

/** The ledger as read back: probe id → entry, or null for a probe the bridge never saw. */
export function parseLedger(v: unknown): Record<string, BridgeLedgerEntry | null> | undefined {
  if (!isObject(v)) return undefined;
  return Object.fromEntries(Object.entries(v).map(([id, e]) => [id, parseLedgerEntry(e)]));
}

/** What a probe keeps of its ledger entry (the result's `probe.ledger`). */
export function ledgerSummary(e: BridgeLedgerEntry): LedgerEntry {
  const out: LedgerEntry = {
    reachedPhp: e.reachedPhp === true,
    authorizationHeader: e.authorizationHeader === true,
    cookieNames: e.cookieNames,
    userId: typeof e.userId === 'number' && e.userId >= 0 ? e.userId : 0,
    authError: null,
  };
  if (typeof e.status === 'number') out.status = e.status;
  const err = e.authError ?? e.restError;
  if (err) {
    out.authError = { code: err.code, message: String(err.message ?? '') };
    if (typeof e.authError?.callback === 'string') out.authError.callback = e.authError.callback;
    if (typeof e.authError?.plugin === 'string') out.authError.plugin = e.authError.plugin;
  }
  return out;
}

/** A bridge observation as typed data: from the client, or from a saved file (where it enters again). */
export function parseBridgeObservation(b: BridgeObservation | null | undefined): BridgeObservation | null {
  if (!b) return null;
  if (b.status !== 'ok') return b;
  const environment = parseEnvironment(b.environment);
  if (!environment) return { ...b, status: 'unusable', environment: undefined, message: "the bridge's environment report lacks what wp401 reads (wordpress, php, server)" };
  const ledger = parseLedger(b.ledger);
  return { ...b, environment, ...(ledger ? { ledger } : {}) };
}
