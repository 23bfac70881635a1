// What the gather stage hands to the rules: plain, serialisable data. Rules
// read only this (never the network), so a saved observations file replays
// the whole diagnosis without a site (--save-observations / --from-observations).
import type { BridgeEnvironment, BridgeLedgerEntry } from './bridge.js';
import type { BrowserObservations } from './browser.js';
import type { Probe } from './probe.js';
import type { ConcurrencyObservation, StageTiming } from './timings.js';

/** Which credentials the user gave us (never the credentials themselves). */
export interface CredentialsGiven {
  user: boolean;
  password: boolean;
  appPassword: boolean;
  siteBasic: boolean;
  bridgeKey: boolean;
}

export interface RestIndexSummary {
  namespaces: string[];
  /** keys of the index's `authentication` object, e.g. ["application-passwords"] */
  authentication: string[];
  /** GET routes that take no argument, for the crawler */
  routes: string[];
  home?: string;
  url?: string;
}

export interface Discovery {
  reachable: boolean;
  /** yes: WordPress confirmed; locked: everything demands credentials we lack; no: not WordPress */
  wordpress: 'yes' | 'no' | 'locked';
  /** which marks confirmed it */
  marks: string[];
  restIndex: RestIndexSummary | null;
  /** REST reached with ?rest_route= when pretty permalinks are off */
  restBase: string;
  /** WordPress's version, when the site says it (generator tag, asset ?ver=) */
  version?: string;
}

/** A note the HTTP engine made about one probe (cookie refused, credentials stripped, Retry-After…). */
export interface EngineNote {
  probe: string;
  kind: string;
  [key: string]: unknown;
}

export interface ClockObservation {
  /** local time the probe was sent, ms since epoch */
  localMs: number;
  /** server's Date header, ms since epoch */
  serverMs: number | null;
  /** server minus local; positive when the server is ahead */
  skewMs: number | null;
  /** the bridge's own clock, when available (more precise) */
  bridgeSkewMs?: number | null;
}

export interface LoginAttempt {
  probe: string;
  outcome: 'success' | 'wrong-credentials' | 'cookies-blocked' | 'loop' | 'blocked' | 'interstitial' | 'error' | 'skipped';
  /** WordPress's login error text, when shown */
  message?: string;
  /** auth cookie names the server set during the login */
  authCookiesSet: string[];
  /** of those, the ones our jar kept (a browser-like verdict) */
  authCookiesKept: string[];
  /** after a successful login: REST with the login cookies and a nonce, fresh and aged (absent in older saved observations) */
  restNonce?: RestNonceCheck;
}

/**
 * What a REST nonce does as it ages, without a browser. A nonce from
 * admin-ajax.php?action=rest-nonce (core's wp_ajax_rest_nonce, WordPress 5.3+)
 * goes with the login cookies to /wp/v2/users/me at once and again later.
 * Core (wp_verify_nonce, wp_nonce_tick) accepts a nonce of the current or the
 * previous tick, a tick being nonce_life / 2 (a day / 2 by default), and on an
 * accepted cookie request answers X-WP-Nonce with a nonce for the current tick
 * (rest_cookie_check_errors): the same value as the one sent while the tick
 * has not moved. The nonce's value is never recorded, only whether the answer
 * echoed the same one.
 */
export interface RestNonceCheck {
  /** the admin-ajax.php probe that asked for the nonce */
  nonceProbe: string;
  /**
   * No nonce to try, and why: no-action = 400 "0" (admin-ajax.php knows no
   * rest-nonce action for this user: WordPress before 5.3, or the login cookie
   * was not accepted there) · refused = another non-200 answer · not-a-nonce =
   * a 200 that is not a nonce · error = no answer
   */
  skipped?: 'no-action' | 'refused' | 'not-a-nonce' | 'error';
  attempts: RestNonceAttempt[];
  /** the second admin-ajax.php probe, asked for after the aged nonce was refused */
  renewProbe?: string;
  /** the ages waited for, how long this line slept for them, and how much of that no other work of the scan filled */
  wait?: { minAgeMs: number; sleptMs: number; idleMs: number };
}

export interface RestNonceAttempt {
  probe: string;
  /** fresh: at once · aged: once it is older · renewed: a second nonce, asked for after the aged one was refused · renewed-again: that one once more, at once */
  nonce: 'fresh' | 'aged' | 'renewed' | 'renewed-again';
  status: number;
  /** the REST error code, when the answer was one */
  code: string | null;
  /** the nonce's least age at the server: from the end of the answer that carried it to this request's start, ms */
  nonceAgeMs: number;
  /** its greatest age: from the start of the request that fetched it to the end of this answer, ms */
  nonceAgeMaxMs: number;
  /** the X-WP-Nonce of an accepted answer: the nonce sent (the tick has not moved), another one, or none */
  echo: 'same' | 'changed' | 'absent';
  /** names of WordPress auth cookies this answer set (a new session token changes every nonce) */
  authCookiesSet: string[];
}

export interface Observations {
  schemaVersion: 1;
  target: string;
  origin?: string;
  startedAt: string;
  credentials: CredentialsGiven;
  discovery: Discovery;
  probes: Probe[];
  notes: EngineNote[];
  clock: ClockObservation | null;
  login: LoginAttempt | null;
  /** filled by the crawler */
  crawl: { pages: number; restRoutes: number; budgetExhausted: boolean } | null;
  /** filled by the browser stage (src/browser); null with --no-browser or without a login */
  browser: BrowserObservations | null;
  /** screenshots the browser took of failing pages, relative to the report folder */
  screenshots: { url: string; file: string; reason: string }[];
  /** filled by the bridge client (src/bridge); null when no key was given */
  bridge: BridgeObservation | null;
  /** isolation experiments run after the first rules pass */
  experiments: import('./probe.js').Experiment[];
  /** stage errors recorded as data, never thrown */
  errors: { stage: string; message: string }[];
  /** the scan was interrupted: what is here is partial */
  incomplete?: boolean;
  /** when each stage ran (absent in observations saved by older versions) */
  timings?: StageTiming[];
  /** what the request engine allowed in flight */
  concurrency?: ConcurrencyObservation;
  /** the scan's time budget (--time-budget), in ms */
  budgetMs?: number;
}

export interface BridgeObservation {
  /** unusable: it answered, but without what wp401 reads (see src/bridge/parse.ts) */
  status: 'ok' | 'not-installed' | 'wrong-key' | 'blocked' | 'unreachable' | 'rate-limited' | 'error' | 'unusable';
  message?: string;
  /**
   * Why it failed, in one word: server-lock (a Basic challenge), rest-blocked (WordPress or a plugin refused),
   * refused (a 401/403 without either), tls, timeout, network, redirect, unsigned-answer, unexpected-response,
   * expired (clock), replayed, or the bridge's own refusal reason
   */
  reason?: string;
  /**
   * When no door answered as the bridge: whether its files are on the site (null: could not tell). A wrong key
   * looks exactly like no bridge (PROTOCOL.md), so these tell "not installed" from "installed, key refused".
   */
  files?: { readme: boolean | null; loader: boolean | null };
  /** which door answered each bridge call: the early door (must-use loader) or REST */
  doors?: Partial<Record<'env' | 'time' | 'ledger', 'early' | 'rest'>>;
  /** what the client had to warn about (a clock too far off to correct) */
  warnings?: string[];
  environment?: BridgeEnvironment;
  /** probe id → the bridge's entry, or null when it never saw that probe */
  ledger?: Record<string, BridgeLedgerEntry | null>;
  skewMs?: number | null;
  /** the requests made to the bridge itself (environment, clock, ledger): recorded like every probe, judged by no rule */
  calls?: Probe[];
}
