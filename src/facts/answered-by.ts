// "Who wrote this answer: the web server, or PHP running WordPress?" read
// from the answer itself, for when the companion plugin's ledger cannot say.
// Pure.
//
// What WordPress (PHP) leaves on an answer, from WordPress core's source:
//   - wp_die()'s default handler (_default_wp_die_handler, wp-includes/functions.php)
//     prints a page whose <body id="error-page"> holds <div class="wp-die-message">,
//     and before it sends status_header() and nocache_headers();
//   - nocache_headers() (wp_get_nocache_headers) sends
//     `Expires: Wed, 11 Jan 1984 05:00:00 GMT` — a date no web server picks;
//   - the REST server answers JSON errors ({"code":…,"message":…}), and
//     _json_wp_die_handler answers wp_die() as JSON with the code "wp_die";
//   - wp_redirect() sends `X-Redirect-By: WordPress`;
//   - rest_output_link_header() sends `Link: <…/wp-json/>; rel="https://api.w.org/"`
//     on front-end pages (template_redirect), xmlrpc.php's pingback_url `X-Pingback`;
//   - WordPress's cookies (wordpress_*, wp-settings-*, wordpress_test_cookie);
//   - PHP itself: `X-Powered-By: PHP/…` where expose_php is On.
// What the web server leaves: its own built-in error page (Apache's
// "<address>Apache/… Server at …", nginx's "<center>nginx</center>"),
// recognised by parse/page.ts. A server's ErrorDocument that points into
// WordPress makes WordPress write the page (and its status: the
// class-10 case, server.basic-auth.error-document); a static ErrorDocument
// carries no mark of either, so the answer stays "unknown".
import type { Probe } from '../model.js';

export interface AnsweredBy {
  /** php: WordPress (a plugin or core) wrote it · server: the web server's own page · unknown: no mark, or marks of both */
  by: 'php' | 'server' | 'unknown';
  /** what was seen, in words, for evidence */
  marks: string[];
}

/** nocache_headers()' Expires value (wp_get_nocache_headers in wp-includes/functions.php) */
export const WP_NOCACHE_EXPIRES = 'Wed, 11 Jan 1984 05:00:00 GMT';

const WP_COOKIE = /^(wordpress_|wordpress-|wp-settings-|wp-postpass_|wordpress_test_cookie)/;

/** The marks of PHP/WordPress and of the web server on one answer. */
export function answeredBy(p: Pick<Probe, 'headers' | 'body'>): AnsweredBy {
  const php: string[] = [];
  const server: string[] = [];
  const h = (name: string) => p.headers[name] ?? [];
  const kind = p.body?.pageKind;
  if (kind === 'wp-die') php.push('the page is WordPress\'s wp_die() page (<body id="error-page">)');
  else if (kind === 'wp-login' || kind === 'wp-admin' || kind === 'wordpress') php.push(`the page is a WordPress page (${kind})`);
  if (p.body?.restError) php.push(`the body is a WordPress JSON error (${p.body.restError.code})`);
  if (h('expires').some((v) => v.trim() === WP_NOCACHE_EXPIRES)) php.push(`Expires: ${WP_NOCACHE_EXPIRES} (WordPress's nocache_headers())`);
  if (h('x-redirect-by').some((v) => /wordpress/i.test(v))) php.push('X-Redirect-By: WordPress (wp_redirect())');
  if (h('link').some((v) => v.includes('rel="https://api.w.org/"'))) php.push('Link: rel="https://api.w.org/" (WordPress\'s REST link header)');
  if (h('x-pingback').length > 0) php.push('X-Pingback (WordPress)');
  const poweredBy = h('x-powered-by').find((v) => /php/i.test(v));
  if (poweredBy) php.push(`X-Powered-By: ${poweredBy.slice(0, 40)}`);
  const cookies = h('set-cookie')
    .map((c) => c.split('=')[0]?.trim() ?? '')
    .filter((n) => WP_COOKIE.test(n));
  if (cookies.length > 0) php.push(`WordPress sets cookies (${[...new Set(cookies)].slice(0, 3).join(', ')})`);
  if (kind === 'apache-error') server.push("the page is Apache's own error page");
  if (kind === 'nginx-error') server.push("the page is nginx's own error page");
  const by = php.length > 0 && server.length === 0 ? 'php' : server.length > 0 && php.length === 0 ? 'server' : 'unknown';
  return { by, marks: [...php, ...server] };
}

/**
 * Who sent a 401's Basic challenge: the ledger when it has the probe (an
 * entry: it reached PHP; none: the server or an edge answered first), else
 * the marks on the answer. WordPress core never sends WWW-Authenticate, so a
 * challenge PHP wrote comes from a plugin, a must-use plugin, a theme or
 * code in wp-config.php.
 */
export function challengeFrom(p: Pick<Probe, 'headers' | 'body'>, reachedPhp: boolean | undefined): AnsweredBy['by'] {
  if (reachedPhp === true) return 'php';
  if (reachedPhp === false) return 'server';
  return answeredBy(p).by;
}
