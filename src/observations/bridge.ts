// JSON shapes answered by the bridge's REST routes (wp401/v1). They mirror the
// PHP collectors; see wp-plugin/wp401-bridge/PROTOCOL.md.

import type { LedgerEntry } from './probe.js';

export type OwnerType = 'plugin' | 'mu-plugin' | 'drop-in' | 'theme' | 'core' | 'php' | 'unknown';

/** What a source file belongs to. `file` is relative to its root (plugins dir, mu-plugins dir, theme root, ABSPATH). */
export interface BridgeOwner {
  type: OwnerType;
  slug: string | null;
  file: string | null;
  /** plugin basename (slug/file.php) when known */
  plugin: string | null;
}

export interface BridgeHookCallback {
  priority: number;
  /** "function", "Class::method", "Class->method", "Closure@file:line", "Class->__invoke" */
  callback: string;
  file: string | null;
  line: number | null;
  owner: BridgeOwner;
}

export type PluginCategory = 'security' | 'cache' | 'auth' | 'rest-restriction' | 'other';

export interface BridgePlugin {
  basename: string;
  slug: string;
  name: string;
  version: string;
  network: boolean;
  category: PluginCategory;
  /** "keyword:<word>", "hook:<hook>" or "none" */
  reason: string;
  /** auth hooks this plugin attached callbacks to */
  hooks: string[];
  /** true for the bridge itself */
  bridge: boolean;
}

export interface BridgeMuPlugin {
  file: string;
  name: string;
  version: string;
  category: PluginCategory;
  reason: string;
  hooks: string[];
  bridge: boolean;
}

export interface BridgeDropin {
  file: string;
  name: string;
  /** advanced-cache.php only runs with WP_CACHE; the others whenever present */
  active: boolean;
  hooks: string[];
}

export interface BridgeHtaccessDirective {
  line: number;
  directive: string;
  args: string;
  /** enclosing sections, e.g. "<Files wp-login.php>"; "" at top level */
  section: string;
}

export interface BridgeHtaccessFile {
  /** ".htaccess", "wp-admin/.htaccess" or "home:.htaccess" */
  file: string;
  exists: boolean;
  readable: boolean;
  directives: BridgeHtaccessDirective[];
}

export interface BridgeAppPasswordChange {
  priority: number;
  callback: string;
  owner: BridgeOwner;
  to: boolean;
}

export interface BridgeEnvironment {
  bridge: {
    version: string;
    protocol: 'v1';
    keySource: 'constant' | 'option';
    muLoader: { installed: boolean; ours: boolean; version: string | null };
  };
  time: { unix: number; iso: string };
  wordpress: {
    version: string;
    multisite: boolean;
    homeUrl: string;
    siteUrl: string;
    isSsl: boolean;
    forceSslAdmin: boolean;
    environmentType: string;
    permalinkStructure: string;
    restPrefix: string;
    restUrl: string;
    debug: boolean;
    /** seconds a nonce lives (core: 86400) */
    nonceLife?: number;
  };
  php: { version: string; sapi: string };
  server: { software: string; https: string | null; forwardedProto: string | null };
  cookies: {
    domain: string | false | null;
    path: string | null;
    sitePath: string | null;
    adminPath: string | null;
    pluginsPath: string | null;
    hash: string | null;
    names: {
      auth: string | null;
      secureAuth: string | null;
      loggedIn: string | null;
      test: string | null;
      user: string | null;
      pass: string | null;
    };
  };
  applicationPasswords: {
    supported: boolean;
    available: boolean;
    reason: 'available' | 'requires-https-or-local' | 'disabled-by-filter' | 'forced-on-by-filter';
    environmentType: string;
    changedBy: BridgeAppPasswordChange[];
  };
  wpCache: boolean;
  plugins: BridgePlugin[];
  muPlugins: BridgeMuPlugin[];
  dropins: BridgeDropin[];
  theme: { stylesheet: string; template: string; hooks: string[] };
  htaccess: BridgeHtaccessFile[];
  /** hook name → callbacks in priority order (the bridge's own observers left out) */
  hooks: Record<string, BridgeHookCallback[]>;
}

export interface BridgeHookEvent {
  hook: string;
  priority: number;
  callback: string;
  owner: BridgeOwner;
  /** error: became/changed a WP_Error · cleared · user: determine_current_user changed · enabled/disabled: app passwords */
  change: 'error' | 'cleared' | 'user' | 'enabled' | 'disabled';
  code?: string;
  message?: string;
  from?: number;
  to?: number;
}

export interface BridgeBlame {
  hook: string;
  owner: BridgeOwner | null;
  line: number | null;
}

/** One ledger entry as stored by the bridge; a superset of the model's LedgerEntry. */
export interface BridgeLedgerEntry extends LedgerEntry {
  probe: string;
  at: number;
  method: string;
  authorizationSources: { HTTP_AUTHORIZATION: boolean; REDIRECT_HTTP_AUTHORIZATION: boolean; PHP_AUTH_USER: boolean };
  status?: number;
  isRest: boolean;
  authError?: {
    code: string;
    message: string;
    callback?: string;
    plugin?: string;
    hook?: string;
    priority?: number;
    ownerType?: OwnerType;
  } | null;
  restError: { code: string; message: string; status: number } | null;
  /** why core refused an application password on this request (application_password_failed_authentication): incorrect_password, invalid_username… */
  appPasswordError?: { code: string; message: string } | null;
  /** wp_die() was called: from which hook and which file outside core */
  died: BridgeBlame | null;
  /** who first set a 401/403/429 status */
  statusSetBy: (BridgeBlame & { status: number }) | null;
  /** who first called wp_redirect(), its status, and whether it sent the request to wp-login.php (absent from older bridges) */
  redirectedBy?: (BridgeBlame & { status: number; toLogin: boolean }) | null;
  hookEvents: BridgeHookEvent[];
  /** plugins the troubleshooting loader left out of this request */
  dropped: string[];
  truncated?: boolean;
}

export interface BridgeTime {
  /** server time, ms since epoch */
  serverMs: number;
  /** server clock minus local clock, ms (midpoint estimate) */
  skewMs: number;
  /** round trip of the measurement, ms */
  rttMs: number;
}
