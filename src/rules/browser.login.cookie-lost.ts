// What a real browser did with the login cookies: refused (domain, Secure,
// SameSite, size), never given one (a cache replayed the answer without its
// Set-Cookie), or sent one that never arrived (a proxy dropped it). The
// browser's own verdict, from the DevTools protocol, is the evidence.
import type { CookieLoss } from '../observations/browser.js';
import type { Culprit, Evidence, Finding, Layer } from '../model.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

interface Cause {
  layer: Layer;
  culprit: Culprit | null;
  title: string;
  explanation: string;
  fixes: string[];
}

function causeOf(loss: CookieLoss, host: string, domain: string | null): Cause {
  const reason = String(loss.reason);
  if (reason === 'domain' || reason === 'domain-mismatch') {
    return {
      layer: 'browser',
      culprit: { kind: 'wp-config', name: 'COOKIE_DOMAIN' },
      title: `The browser refused the login cookie ${loss.name}: it is set for ${domain ?? 'another domain'}, not ${host}`,
      explanation: 'Browsers only store a cookie for the host the page is on (or a parent domain of it). WordPress adds a Domain attribute only when COOKIE_DOMAIN is defined, so the login cookie is thrown away and the login form comes back.',
      fixes: [`Remove \`define( 'COOKIE_DOMAIN', … );\` from wp-config.php (or set it to '${host}'), then log in again.`],
    };
  }
  if (reason === 'secure' || reason === 'secure-over-http') {
    return {
      layer: 'browser',
      culprit: { kind: 'wp-config', name: 'HTTPS' },
      title: `The login cookie ${loss.name} is marked Secure but sent over plain http`,
      explanation:
        'A browser drops a Secure cookie that arrives over http (only loopback addresses are let off). WordPress marks its cookies Secure when it believes the request is https (is_ssl()): a wp-config.php line forcing $_SERVER[\'HTTPS\'] = \'on\', or a proxy header saying https on a plain-http route, makes it lie.' +
        (loss.kind === 'would-be-refused' ? ' This test ran on a loopback address, where the browser is lenient; on the real host name the cookie is refused.' : ''),
      fixes: [
        "Remove the unconditional `$_SERVER['HTTPS'] = 'on';` from wp-config.php, or set it only when the proxy says so:\nif ( isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) && 'https' === $_SERVER['HTTP_X_FORWARDED_PROTO'] ) { $_SERVER['HTTPS'] = 'on'; }",
        'Or serve the whole site over https (and redirect http to https at the server), so Secure cookies always travel.',
      ],
    };
  }
  if (reason === 'samesite') {
    return {
      layer: 'browser',
      culprit: { kind: 'cookie', name: loss.name },
      title: `The browser kept the login cookie ${loss.name} off a request because of its SameSite attribute`,
      explanation: 'SameSite=Strict/Lax cookies are not sent on cross-site requests; SameSite=None needs Secure. A login that starts on another site (SSO, an embedded form) then loses its cookie.',
      fixes: ['Check the plugin or server rule that adds SameSite to WordPress cookies; WordPress itself sets none.'],
    };
  }
  if (reason === 'served-from-cache') {
    // What the browser saw; the cache itself is named by plugin.cache.login-cached.
    return {
      layer: 'browser',
      culprit: { kind: 'cookie', name: loss.name },
      title: `The browser never got the login cookie ${loss.name}: the answer came from a cache`,
      explanation: 'A page cache replayed a stored copy of the login (or admin) answer; a stored copy carries no Set-Cookie, so the browser never got the cookie the login needs.',
      fixes: ['Exclude /wp-login.php and /wp-admin/ from the page cache, and bypass it for visitors that carry wordpress_logged_in_* cookies (cache plugin settings, or the advanced-cache.php drop-in and WP_CACHE).'],
    };
  }
  if (reason === 'stripped-on-the-way') {
    return {
      layer: 'edge',
      culprit: { kind: 'proxy', name: 'Cookie' },
      title: `The browser sent ${loss.name}, but WordPress never received it`,
      explanation: 'The browser stored the cookie and sent it with the login form, yet WordPress answered as if no cookie had arrived: something between the browser and PHP removed the Cookie header.',
      fixes: ['In the proxy or CDN in front of the site, forward the Cookie header (nginx: remove `proxy_set_header Cookie "";`), and do not strip cookies on /wp-login.php and /wp-admin/.'],
    };
  }
  return {
    layer: 'browser',
    culprit: { kind: 'cookie', name: loss.name },
    title: `The browser lost the login cookie ${loss.name} (${reason})`,
    explanation: loss.detail,
    fixes: ['Compare the Set-Cookie headers of the login with what the browser stored (evidence below).'],
  };
}

export const browserCookieLostRule: Rule = {
  meta: { id: 'browser.login.cookie-lost', title: 'Login cookies the browser never kept', layer: 'browser', requires: ['browser'] },
  evaluate(obs, f) {
    const b = obs.browser;
    if (!b) return [];
    let lost = b.cookies.lost.filter((l) => l.wordpress !== null && l.wordpress !== 'settings');
    // A cache that replays answers explains cookies "not received" as well: do not blame a proxy for them.
    if (lost.some((l) => l.reason === 'served-from-cache')) lost = lost.filter((l) => l.reason !== 'stripped-on-the-way');
    if (lost.length === 0) return [];
    const failed = b.login.outcome !== 'success';
    const groups = new Map<string, CookieLoss[]>();
    for (const l of lost) groups.set(String(l.reason), [...(groups.get(String(l.reason)) ?? []), l]);
    const findings: Finding[] = [];
    for (const [, losses] of groups) {
      const first = losses[0] as CookieLoss;
      const domain = b.cookies.set.find((c) => c.name === first.name && c.domain)?.domain ?? null;
      const cause = causeOf(first, f.host, domain);
      const evidence: Evidence[] = losses.map((l) => ({ kind: 'cookie', name: l.name, reason: `${l.kind}: ${l.reason} — ${l.detail}` }));
      evidence.push(noteEv(`browser login: ${b.login.outcome}${b.login.reauth ? ' (reauth=1)' : ''}; a wordpress_logged_in cookie ${b.login.authCookieStored ? 'was' : 'was not'} kept`));
      for (const s of b.screenshots.slice(0, 2)) evidence.push(noteEv(`screenshot ${s.file}: ${s.reason}`));
      findings.push({
        id: 'browser.login.cookie-lost',
        severity: (failed || first.kind === 'would-be-refused') && first.reason !== 'served-from-cache' ? 'error' : 'warning',
        layer: cause.layer,
        culprit: cause.culprit,
        title: cause.title,
        explanation: `${cause.explanation} ${failed ? 'The browser login did not stick.' : ''}`.trim(),
        evidence,
        fixes: cause.fixes,
        // "sent but never received" is all the browser sees: a proxy, a WAF or the web server can drop the
        // header; only the companion plugin's ledger tells (edge.cookies.not-forwarded reads it)
        confidence: first.reason === 'stripped-on-the-way' ? 'possible' : 'likely',
      });
    }
    return findings;
  },
};
