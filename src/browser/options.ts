// How a browser session is asked to run: the target, the login, the bounds.

import type { CookieHandover } from './handover.js';

export interface BrowserOptions {
  /** the site's address, e.g. http://127.0.0.1:8401/ (a WordPress in a sub-folder keeps its folder) */
  target: string;
  /** WordPress user for the login form; without it the session only looks at the login page */
  user?: string;
  /** that user's password (secret) */
  password?: string;
  /** site-wide HTTP basic auth (staging lock); answered only for the target's origin */
  basic?: { user: string; password: string };
  /** accept certificates that do not verify (self-signed staging TLS) */
  insecure?: boolean;
  /** base64 SHA-256 SPKI hashes of server keys the scan verified itself (--ca, NODE_EXTRA_CA_CERTS): Chromium accepts those */
  trustedServerKeys?: string[];
  /** admin pages visited after the login, /wp-admin/ included; default 15 */
  maxAdminPages?: number;
  /** per navigation; default 30000 */
  timeoutMs?: number;
  /** where to write PNG screenshots of failed pages; none when absent */
  screenshotsDir?: string;
  /** aborting ends the session quickly: the browser is closed and its profile removed */
  signal?: AbortSignal;
  /** the Chrome to use; default: findChrome() */
  executablePath?: string;
  /**
   * Send every host name except 127.0.0.1 to nowhere, so a closed network never
   * stalls the browser. Default: on when the target is a loopback address.
   */
  blockOtherHosts?: boolean;
  /** the aged-nonce REST probe waits until the page's nonce is at least this old; default 0 */
  nonceMinAgeMs?: number;
  /**
   * When core echoed the fresh nonce unchanged, the aged probe is first sent
   * this long after that answer, and is the last one if it is refused or
   * echoed unchanged again (src/gather/nonce.ts says why); only a changed
   * echo waits on to nonceMinAgeMs. Default 0: always nonceMinAgeMs.
   */
  nonceTickMs?: number;
  /**
   * Called once, right after a successful login, with the cookies the browser
   * then holds for the site (secret): the HTTP line can use them while the
   * session crawls wp-admin. The session's result hands its cookies over too.
   */
  onLoggedIn?: (cookies: CookieHandover) => void;
  /**
   * Called once the dashboard's nonce has had its first REST answer: from
   * then on the session only waits for that nonce to age (and loads the
   * menu's screens meanwhile). Not called when the session sends no nonce.
   */
  onNonceSent?: () => void;
  /** progress lines (never secrets) */
  log?: (msg: string) => void;
}
