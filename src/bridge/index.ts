export { BridgeClient, fetchTransport } from './client.js';
export { BRIDGE_NAMESPACE, DROPPED_HEADER, EARLY_DOOR_PARAM, HEADER_DROPPED, MAX_CLOCK_CORRECTION_SECONDS, parsePluginList, UNCORRECTED_SKEW_SECONDS } from './protocol.js';
export type { BridgeAnswer, BridgeClientOptions, BridgeDoor, BridgeRoute, BridgeTransport, SignExtra } from './client.js';
export { BridgeBlocked, BridgeError, BridgeNotInstalled, BridgeRateLimited, BridgeUnreachable, BridgeWrongKey } from './errors.js';
export { ledgerSummary, parseBridgeObservation, parseEnvironment, parseLedger, parseLedgerEntry } from './parse.js';
export type { BridgeErrorKind } from './errors.js';
export * from './sign.js';
export type * from '../observations/bridge.js';
export { BRIDGE_PLUGIN_SLUG, BRIDGE_ZIP_EXCLUDES, BridgeZipError, buildBridgeZip, excludedFromZip, findBridgeSource } from './zip.js';
