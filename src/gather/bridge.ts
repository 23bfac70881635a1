// The companion plugin's part of the gather stage: sign every probe so the
// bridge records what reached PHP, read its environment report and clock,
// and after the probes read the ledger back onto each probe.
import { randomBytes } from 'node:crypto';
import { type BridgeAnswer, BridgeBlocked, BridgeClient, BridgeError, BridgeUnreachable, BridgeWrongKey, type BridgeTransport, ledgerSummary, parseEnvironment, UNCORRECTED_SKEW_SECONDS } from '../bridge/index.js';
import type { BridgeLedgerEntry } from '../observations/bridge.js';
import type { Engine, EngineHooks } from '../http/index.js';
import type { Probe } from '../model.js';
import type { BridgeObservation, ClockObservation } from '../observations/index.js';

/** The source of the probes that are calls to the bridge itself (environment, clock, ledger). */
export const BRIDGE_SOURCE = 'bridge';

export interface BridgeStage {
  client: BridgeClient;
  /** a per-scan prefix so ledger ids of two scans never collide */
  scanTag: string;
  hooks: EngineHooks;
  ledgerId(probeId: string): string;
  /** the engine the bridge calls go through from now on (the scan's, then the replays') */
  use(engine: Engine): void;
}

/** Bridge calls as ordinary requests of the engine: its TLS, --resolve, budget, redaction and probe record (source "bridge"). */
function engineTransport(current: () => Engine | null, basic: { user: string; password: string } | undefined): BridgeTransport {
  return async (url, headers) => {
    const engine = current();
    if (!engine) return { status: 0, header: () => null, bytes: new Uint8Array(), failure: { code: 'no-engine' } };
    let answer: Pick<BridgeAnswer, 'bytes' | 'header'> = { bytes: new Uint8Array(), header: () => null };
    const probe = await engine.probe({
      source: BRIDGE_SOURCE,
      url: url.href,
      headers,
      auth: basic ? 'basic-site' : 'none',
      ...(basic ? { credentials: { basic } } : {}),
      useJar: false,
      followRedirects: false,
      ownSignature: true,
      onAnswer: (bytes, header) => {
        answer = { bytes, header };
      },
    });
    if (probe.status === 0) return { status: 0, header: () => null, bytes: new Uint8Array(), failure: { code: probe.error?.code ?? 'network' } };
    return { status: probe.status, ...answer };
  };
}

export function createBridgeStage(siteUrl: string, key: string, basic: { user: string; password: string } | undefined, timeoutMs: number): BridgeStage {
  let engine: Engine | null = null;
  const client = new BridgeClient({ siteUrl, key, timeoutMs, transport: engineTransport(() => engine, basic) });
  const scanTag = randomBytes(6).toString('hex');
  const ledgerId = (probeId: string) => `${scanTag}-${probeId}`;
  return {
    client,
    scanTag,
    ledgerId,
    hooks: {
      signHeaders(method, url, body, ctx) {
        return client.signHeaders(method, url, body, { probe: ledgerId(ctx.probeId), troubleshoot: [...ctx.pluginsOff] });
      },
    },
    use(next) {
      engine = next;
    },
  };
}

/** Seconds kept between a Date header's reading of the server's clock and the skew our signatures go out uncorrected at: its one-second resolution, and a Date an edge in front may have written from its own clock. */
const DATE_HEADER_MARGIN_SECONDS = 30;

/**
 * Whether the site's Date header (discovery's answers) shows a clock close
 * enough to ours that the bridge's clock call cannot change a signature
 * (BridgeClient.syncClock corrects only beyond UNCORRECTED_SKEW_SECONDS), so
 * probes need not wait for it. No Date header: not known, so wait. Pure.
 */
export function bridgeClockSettled(clock: ClockObservation | null): boolean {
  if (!clock || clock.skewMs === null) return false;
  return Math.abs(clock.skewMs) <= (UNCORRECTED_SKEW_SECONDS - DATE_HEADER_MARGIN_SECONDS) * 1000;
}

/** Environment report and clock; a failure is recorded as the bridge's status. */
export async function readBridge(stage: BridgeStage): Promise<BridgeObservation> {
  const client = stage.client;
  const extras = (): Pick<BridgeObservation, 'doors' | 'warnings'> => ({
    doors: { ...client.doors },
    ...(client.warnings.length > 0 ? { warnings: [...client.warnings] } : {}),
  });
  try {
    const time = await client.syncClock();
    const environment = parseEnvironment(await client.env());
    if (!environment) return { status: 'unusable', message: "the bridge's environment report lacks the wordpress, php or server part: update the companion plugin", ...extras() };
    return { status: 'ok', environment, skewMs: Math.round(time.skewMs), ...extras() };
  } catch (err) {
    if (err instanceof BridgeError) return { status: err.kind, message: err.message, ...reasonOf(err), ...extras() };
    return { status: 'error', message: err instanceof Error ? err.message : String(err), ...extras() };
  }
}

/** Why a bridge call failed, in one word (BridgeObservation.reason). */
function reasonOf(err: BridgeError): Pick<BridgeObservation, 'reason'> {
  if (err instanceof BridgeBlocked) return { reason: err.realm !== null ? 'server-lock' : err.restCode !== null || err.wpDie ? 'rest-blocked' : 'refused' };
  if (err instanceof BridgeUnreachable) return { reason: err.code === 'tls-error' ? 'tls' : /^(timeout|redirect|unsigned-answer|unexpected-response)$/.test(err.code) ? err.code : 'network' };
  if (err instanceof BridgeWrongKey) return { reason: err.reason };
  return {};
}

/** Where the companion plugin's files live when it is installed (its readme, and the must-use loader it installs on activation). */
export const BRIDGE_FILES = { readme: 'wp-content/plugins/wp401-bridge/readme.txt', loader: 'wp-content/mu-plugins/wp401-troubleshoot.php' } as const;

/**
 * No door answered as the bridge. A wrong key looks exactly like no bridge
 * (PROTOCOL.md: unsigned and badly signed requests see what WordPress gives
 * without it), so look at its files instead: its readme.txt is a static file
 * the web server serves when the plugin is installed; the must-use loader is
 * copied into mu-plugins on activation and removed on deactivation, and run
 * directly it exits at once (its ABSPATH guard) with an empty 200 — a missing
 * file is WordPress's (or the server's) 404. Two GETs, only in this case.
 */
export async function checkBridgeFiles(engine: Engine, base: string, basic: { user: string; password: string } | undefined): Promise<NonNullable<BridgeObservation['files']>> {
  const get = (path: string) =>
    engine.probe({ source: BRIDGE_SOURCE, url: new URL(path, base).toString(), auth: basic ? 'basic-site' : 'none', ...(basic ? { credentials: { basic } } : {}), useJar: false, followRedirects: false });
  const [readme, loader] = await Promise.all([get(BRIDGE_FILES.readme), get(BRIDGE_FILES.loader)]);
  const seen = (p: Probe, present: boolean): boolean | null => (p.status === 404 || p.status === 410 ? false : present ? true : null);
  return {
    readme: seen(readme, readme.status === 200 && /text\/plain/i.test(readme.headers['content-type']?.[0] ?? '')),
    loader: seen(loader, loader.status === 200 && (loader.body?.bytes ?? -1) === 0),
  };
}

/** Reads the ledger for every probe and attaches it; probes the bridge never saw get `ledger: null`. */
export async function attachLedger(stage: BridgeStage, probes: Probe[], obs: BridgeObservation): Promise<void> {
  const signed = probes.filter((p) => p.status > 0);
  if (signed.length === 0) return;
  try {
    const entries = await stage.client.ledger(signed.map((p) => stage.ledgerId(p.id)));
    const ledger: Record<string, BridgeLedgerEntry | null> = {};
    for (const p of signed) {
      const e = entries[stage.ledgerId(p.id)] ?? null;
      p.ledger = e ? ledgerSummary(e) : null;
      ledger[p.id] = e;
    }
    obs.ledger = ledger;
    obs.doors = { ...obs.doors, ...stage.client.doors };
  } catch (err) {
    obs.message = `ledger unavailable: ${err instanceof Error ? err.message : String(err)}`;
  }
}
