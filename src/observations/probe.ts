// One request and what came of it: the raw material every later stage reads.
// Plain, JSON-serialisable data; secret values are redacted before they get here.

/** Which credential a probe carried. Never the credential itself. */
export type AuthMode = 'none' | 'app-password' | 'basic-site' | 'app-password+basic-site' | 'cookie' | 'cookie+nonce' | 'bad-app-password' | 'unknown-user' | 'app-password-xmlrpc';

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

export interface Experiment {
  id: string;
  probe: string;
  pluginsOff: string[];
  status: number;
  errorCode?: string;
  droppedReported?: string[];
}

/**
 * A PHP file that does not exist, asked for once: who answers tells how the
 * web server routes .php. nginx running PHP itself through FastCGI (a
 * `location ~ \.php$` with `try_files $fastcgi_script_name =404`, as Debian's
 * fastcgi-php.conf) answers its own 404 page, or PHP-FPM its "File not
 * found."; Apache with WordPress's .htaccess (`RewriteCond %{REQUEST_FILENAME}
 * !-f` → index.php) hands it to WordPress, which answers its 404 page. Sent by
 * gather/core.ts, read by facts/index.ts (Front.missingPhp).
 */
export const MISSING_PHP_PATH = 'wp401-no-such-file.php';
