// Discriminating probes for a refused application password (issue 16, class
// 6). WordPress answers a wrong application password, an unknown user name
// (or the application's *name* used as the user name) and an Authorization
// header that never reached PHP alike: 401 rest_not_logged_in. Why, from
// core's source (wp-includes/user.php, rest-api.php, class-wp-rest-server.php;
// the same on 6.1, 6.5 and 6.7-alpha of the test bed):
//   - the user is first determined in WP::init, before REST_REQUEST is
//     defined, so wp_authenticate_application_password() returns early
//     (is_api_request false) and no error is recorded;
//   - WP_REST_Server::serve_request() forgets that anonymous user, and the
//     next determination (rest_cookie_check_errors, rest_authentication_errors
//     priority 100) does record incorrect_password / invalid_username through
//     application_password_failed_authentication — but
//     rest_application_password_check_errors (priority 90) has already run,
//     so the request goes on anonymously and the route answers
//     rest_not_logged_in. (A plugin that asks for the current user before
//     priority 90 makes the real code surface: then REST itself tells.)
// So, only when the application password was refused on users/me without a
// Basic challenge and the REST index still offers application passwords:
//   1. the same route with a deliberately wrong application password, and
//      with a user name that does not exist: if this site answers those
//      differently from the real credentials, REST itself tells them apart;
//   2. when it does not, the real credentials once over XML-RPC, where they
//      travel in the body (no Authorization header to lose):
//      wp.getUsersBlogs succeeds → they are right, the header is lost;
//      fault 403 "Incorrect username or password." → they are wrong (or a
//      plugin refuses XML-RPC logins); fault 405 → XML-RPC is switched off.
// One XML-RPC call at most: a failed one counts as a failed login for login
// limiters (wp_authenticate fires wp_login_failed).
import { randomBytes } from 'node:crypto';
import type { Engine, ProbeRequest } from '../http/index.js';
import type { Probe } from '../model.js';
import type { CredentialSet } from './core.js';

export const CREDENTIAL_PROBE_SOURCE = 'discriminate';

const ME = 'wp-json/wp/v2/users/me';

function alnum(n: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(n)].map((b) => chars[b % chars.length]).join('');
}

/** An application password that cannot be anyone's: 24 random letters and digits, grouped like WordPress shows them. */
export function decoyAppPassword(): string {
  return (alnum(24).match(/.{4}/g) ?? []).join(' ');
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** wp.getUsersBlogs(user, password): the cheapest XML-RPC method that needs a login and changes nothing. */
export function getUsersBlogsCall(user: string, password: string): string {
  return `<?xml version="1.0"?><methodCall><methodName>wp.getUsersBlogs</methodName><params><param><value><string>${xmlEscape(user)}</string></value></param><param><value><string>${xmlEscape(password)}</string></value></param></params></methodCall>`;
}

const sameAnswer = (a: Probe, b: Probe) => a.status === b.status && (a.body?.restError?.code ?? null) === (b.body?.restError?.code ?? null);

/** The discriminating probes, when the application password was refused; [] otherwise. */
export async function runCredentialProbes(engine: Engine, base: string, sets: CredentialSet[], core: Probe[]): Promise<Probe[]> {
  const set = sets.find((s) => s.auth === 'app-password');
  if (!set?.basic) return [];
  const path = (p: Probe) => new URL(p.url).href.slice(new URL(base).href.length);
  const real = core.find((p) => p.auth === 'app-password' && path(p) === ME);
  if (real?.status !== 401 || /basic|digest/i.test(real.headers['www-authenticate']?.join(',') ?? '')) return [];
  const index = core.find((p) => p.auth === 'none' && path(p) === 'wp-json/');
  const offered = index?.body?.facts?.restAuthentication;
  if (Array.isArray(offered) && !offered.includes('application-passwords')) return []; // unavailable: another rule's case

  const rest = (auth: ProbeRequest['auth'], user: string): ProbeRequest => ({
    source: CREDENTIAL_PROBE_SOURCE,
    url: new URL(ME, base).toString(),
    auth,
    credentials: { basic: { user, password: decoyAppPassword() } },
    useJar: false,
  });
  const controls = await Promise.all([engine.probe(rest('bad-app-password', set.basic.user)), engine.probe(rest('unknown-user', `wp401-no-such-user-${alnum(6).toLowerCase()}`))]);
  if (!controls.every((c) => sameAnswer(c, real))) return controls;

  // REST cannot tell: the same credentials in the body, over XML-RPC, when it is on.
  const xmlrpcGet = core.find((p) => p.auth === 'none' && path(p) === 'xmlrpc.php');
  if (xmlrpcGet?.status !== 405 && !/POST requests only/i.test(xmlrpcGet?.body?.excerpt ?? '')) return controls;
  const xmlrpc = await engine.probe({
    source: CREDENTIAL_PROBE_SOURCE,
    method: 'POST',
    url: new URL('xmlrpc.php', base).toString(),
    auth: 'app-password-xmlrpc',
    body: { raw: getUsersBlogsCall(set.basic.user, set.basic.password), contentType: 'text/xml', secrets: [set.basic.password, xmlEscape(set.basic.password)] },
    useJar: false,
    followRedirects: false,
  });
  return [...controls, xmlrpc];
}

/**
 * The REST index does not offer application passwords, and the scan is logged
 * in: the user's profile page says why (core's wp-admin/user-edit.php). Its
 * Application Passwords section shows only a "requires HTTPS" notice when
 * core does not support them (plain http, WP_ENVIRONMENT_TYPE not "local"),
 * and is hidden when they are supported but a filter made them unavailable.
 * One GET with the login cookies, read-only.
 */
export async function runProfileProbe(engine: Engine, base: string): Promise<Probe | null> {
  // the anonymous REST index: discovery's answer, which the core probes take as theirs
  const index = engine.probes().find((p) => (p.source === 'core' || p.source === 'discover') && p.auth === 'none' && p.status > 0 && p.url === new URL('wp-json/', base).toString());
  const offered = index?.body?.facts?.restAuthentication;
  if (!Array.isArray(offered) || offered.includes('application-passwords')) return null;
  return engine.probe({ source: 'cookie', url: new URL('wp-admin/profile.php', base).toString(), auth: 'cookie', useJar: true });
}
