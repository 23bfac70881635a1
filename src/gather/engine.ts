// The scan's request engine and bridge stage, built from the options and
// secrets: every request of a scan (probes, crawl, login, replays, bridge
// calls) goes through an engine made here.
import { secretValues } from '../config/secrets.js';
import { createEngine, type Engine } from '../http/index.js';
import { caTrust } from '../http/trust.js';
import { summarizeBody } from '../parse/body.js';
import { type BridgeStage, createBridgeStage } from './bridge.js';
import type { GatherContext } from './context.js';

export function createScanEngine(ctx: GatherContext, bridge?: BridgeStage | null, idPrefix = 'p'): Engine {
  const { options } = ctx;
  const resolve: Record<string, string> = {};
  for (const r of options.resolve) {
    const [host, , address] = r.split(/:(\d+):/);
    if (host && address) resolve[host] = address;
  }
  return createEngine({
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    adaptive: options.adaptive,
    maxRequests: options.maxRequests,
    insecure: options.insecure,
    ...(options.ca ? { ca: caTrust(options.ca) } : {}),
    secrets: secretValues(ctx.secrets),
    summarizeBody,
    resolve,
    signal: ctx.signal,
    hooks: ctx.progress?.request ? { ...bridge?.hooks, onHop: (e) => ctx.progress?.request?.(e) } : bridge?.hooks,
    idPrefix,
  });
}

export function createBridge(ctx: GatherContext): BridgeStage | null {
  const { secrets, options } = ctx;
  if (!secrets.bridgeKey) return null;
  const basic = secrets.httpUser && secrets.httpPassword ? { user: secrets.httpUser, password: secrets.httpPassword } : undefined;
  return createBridgeStage(options.url, secrets.bridgeKey, basic, options.timeoutMs);
}
