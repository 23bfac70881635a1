export { BRIDGE_NAMESPACE, BridgeClient } from './client.js';
export type { BridgeClientOptions, SignExtra } from './client.js';
export { BridgeBlocked, BridgeError, BridgeNotInstalled, BridgeUnreachable, BridgeWrongKey } from './errors.js';
export type { BridgeErrorKind } from './errors.js';
export * from './sign.js';
export type * from './types.js';
export { BRIDGE_PLUGIN_SLUG, BRIDGE_ZIP_EXCLUDES, buildBridgeZip, findBridgeSource } from './zip.js';
