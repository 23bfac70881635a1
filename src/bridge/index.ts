export { BridgeClient } from './client.js';
export { BRIDGE_NAMESPACE, DROPPED_HEADER, HEADER_DROPPED, parsePluginList } from './protocol.js';
export type { BridgeClientOptions, SignExtra } from './client.js';
export { BridgeBlocked, BridgeError, BridgeNotInstalled, BridgeUnreachable, BridgeWrongKey } from './errors.js';
export type { BridgeErrorKind } from './errors.js';
export * from './sign.js';
export type * from '../observations/bridge.js';
export { BRIDGE_PLUGIN_SLUG, BRIDGE_ZIP_EXCLUDES, BridgeZipError, buildBridgeZip, excludedFromZip, findBridgeSource } from './zip.js';
