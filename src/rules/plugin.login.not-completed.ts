// The login did not end logged in, and WordPress's own answer shows a plugin
// stopped it: a lockout on a 200 login page, a CAPTCHA, a second step, a login
// moved away (wp-login.php answers 404), or the login page that /wp-admin/
// sends visitors to refused with 403.
//
// Why a plugin (WordPress core's source, wp-login.php and pluggable.php):
//   - core has no lockout, no CAPTCHA and no second step: a password that
//     wp_authenticate() accepts gets its auth cookies (wp_signon →
//     wp_set_auth_cookie) and a redirect; a wrong one gets core's own messages
//     ("The password you entered … is incorrect", "… is not registered"),
//     which wordpress.login reports. Any other message on the login page comes
//     from a filter on authenticate / wp_authenticate_user / login_errors, or
//     from a plugin's own login_form_<action> handler;
//   - wp-login.php only knows its default actions (login, logout,
//     lostpassword, retrievepassword, resetpass, rp, register, postpass,
//     checkemail, confirmaction, confirm_admin_email, entered_recovery_mode);
//     a login that lands on another ?action= landed on a plugin's step;
//   - wp-login.php is a file WordPress always ships: a 404 for it that carries
//     WordPress's own marks (its theme's 404 page, wp_get_nocache_headers()'s
//     "Expires: Wed, 11 Jan 1984", the REST Link header) was produced by code
//     running inside WordPress, not by the web server;
//   - auth_redirect() sends anonymous /wp-admin/ visitors to wp-login.php; a
//     401/403 there from PHP (WordPress's marks, or a "Status:" header PHP sent)
//     is a plugin refusing the login page itself (a firewall's query-string
//     list, for one).
// Naming: the companion plugin's ledger (who returned the login error, who
// set the status) proves it; otherwise a verified catalog mark on the page
// names a plugin (likely only when it is seen installed and the mark is its
// alone, catalogVerdict); otherwise the one plugin outside core on the login
// hooks; otherwise a plugin, with every candidate the scan saw named.
import { pluginsByHeaders, pluginsByRedirect, pluginsByText } from '../catalog/index.js';
import type { Evidence, Finding, Probe } from '../model.js';
import { type Blamed, blamedCulprit, blamedWords } from '../facts/bridge.js';
import type { Facts } from '../facts/index.js';
import type { Observations } from '../observations/index.js';
import type { Rule } from './types.js';
import { catalogVerdict, installedPlugins, isolateHint, noteEv, probeEv, settingsFix } from './util.js';

const CORE_ACTIONS = new Set(['login', 'logout', 'lostpassword', 'retrievepassword', 'resetpass', 'rp', 'register', 'postpass', 'checkemail', 'confirmaction', 'confirm_admin_email', 'entered_recovery_mode']);
const LOCKOUT = /too many (failed )?login|locked out|lockout|exceeded (the )?maximum login|maximum (number of )?login (attempts|retries)|please try (again )?after/i;
const CAPTCHA = /verify (that )?you are (a )?human|captcha|turnstile|are you a robot|human verification/i;
const SECOND_STEP = /two[- ]factor|\b2fa\b|authentication code|verification code|one[- ]time (pass)?code|authenticator app|security code/i;
/** core's own login messages: another rule's (wordpress.login, browser cookie rules) */
const CORE_MESSAGE = /incorrect|not registered|unknown (username|email)|invalid username|cookies are blocked|cookies.*not supported|username field is empty|password field is empty/i;
const LOGIN_HOOKS = ['authenticate', 'wp_authenticate_user', 'wp_login_failed', 'login_init', 'wp_login'];

type Stop = 'lockout' | 'captcha' | 'second-step' | 'other-step' | 'moved' | 'login-page-refused';

const STOP_WORDS: Record<Stop, { title: string; what: string }> = {
  lockout: { title: 'The login is locked out (on a normal-looking login page)', what: 'locks this address out of the login' },
  captcha: { title: 'The login needs a CAPTCHA that no script can solve', what: 'refuses the password without a CAPTCHA answer' },
  'second-step': { title: 'The login stops at a second step (two-factor)', what: 'asks for a second factor after the password' },
  'other-step': { title: "The login ends on a plugin's own step", what: 'sends the login to a step of its own' },
  moved: { title: 'wp-login.php answers 404: the login was moved', what: 'hides wp-login.php behind a 404' },
  'login-page-refused': { title: 'The login page /wp-admin/ sends visitors to is refused', what: 'refuses the login page that /wp-admin/ redirects to' },
};

/** Why this answer came from inside WordPress (PHP), or null when nothing shows it. */
function phpMark(p: Probe, f: Facts): string | null {
  if (f.bridge?.reachedPhp(p) === true) return 'the companion plugin saw the request in PHP';
  const kind = p.body?.pageKind ?? '';
  if (['wp-login', 'wordpress', 'wp-die', 'wp-admin'].includes(kind)) return `the page is WordPress's own (${kind})`;
  if ((p.headers.expires ?? []).some((v) => v.includes('11 Jan 1984'))) return 'it carries WordPress\'s no-cache header (Expires: Wed, 11 Jan 1984)';
  if ((p.headers.link ?? []).some((v) => v.includes('api.w.org'))) return 'it carries WordPress\'s REST API Link header';
  if (p.headers.status) return 'it carries a "Status:" header, which PHP code sends (the web server never adds one)';
  return null;
}

const textOf = (p: Probe) => `${p.body?.title ?? ''} ${p.body?.excerpt ?? ''} ${String(p.body?.facts?.message ?? '')}`;
const markTexts = (p: Probe) => (Array.isArray(p.body?.facts?.pluginMarkTexts) ? (p.body?.facts?.pluginMarkTexts as string[]) : []);

function actionOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('action');
  } catch {
    return null;
  }
}

/** What stopped the HTTP login, when its answer shows a plugin's step (null: not this rule's). */
function loginStop(obs: Observations, f: Facts): { stop: Stop; probe: Probe; why: string } | null {
  const login = obs.login;
  if (!login || login.outcome === 'success' || login.outcome === 'skipped' || login.outcome === 'error') return null;
  const post = f.byId.get(login.probe);
  if (!post) return null;
  const page = obs.probes.find((p) => p.source === 'login' && p.method === 'GET');
  const moved = [post, page].find((p) => p && p.status === 404 && f.pathOf(p).startsWith('wp-login.php'));
  if (moved) {
    const why = phpMark(moved, f);
    return why ? { stop: 'moved', probe: moved, why } : null;
  }
  if (post.status !== 200) return null; // 401/403/429/503: the limiter and WAF rules'
  const why = phpMark(post, f);
  if (!why) return null;
  const text = `${textOf(post)} ${markTexts(post).join(' ')}`;
  const action = actionOf(post.finalUrl || post.url);
  if (LOCKOUT.test(text)) return { stop: 'lockout', probe: post, why };
  if (CAPTCHA.test(text)) return { stop: 'captcha', probe: post, why };
  if (SECOND_STEP.test(text)) return { stop: 'second-step', probe: post, why };
  // core's own messages (wrong password, cookies blocked) are wordpress.login's and the cookie rules'
  if (action && !CORE_ACTIONS.has(action) && !CORE_MESSAGE.test(text)) return { stop: 'other-step', probe: post, why };
  return null;
}

/** Anonymous /wp-admin/ sent to wp-login.php, which then answers 401/403 from PHP, while the login itself is reachable. */
function loginPageRefused(obs: Observations, f: Facts): { stop: Stop; probe: Probe; why: string } | null {
  for (const p of obs.probes) {
    if (p.auth !== 'none' || p.method !== 'GET' || !/^wp-admin\/?$/.test(f.pathOf(p))) continue;
    if (p.chain.length < 2 || (p.status !== 401 && p.status !== 403) || f.basicChallenge(p)) continue;
    let target: URL;
    try {
      target = new URL(p.finalUrl);
    } catch {
      continue;
    }
    if (!target.pathname.endsWith('/wp-login.php')) continue;
    const why = phpMark(p, f);
    if (why) return { stop: 'login-page-refused', probe: p, why };
  }
  return null;
}

interface Naming {
  finding: Pick<Finding, 'culprit' | 'confidence'>;
  words: string;
  evidence: Evidence[];
  blamed: Blamed | null;
}

function byLedger(f: Facts, probes: Probe[]): Naming | null {
  const bridge = f.bridge;
  if (!bridge) return null;
  for (const p of probes) {
    const e = bridge.ledger(p);
    if (!e) continue;
    const who = bridge.errorOwner(e) ?? bridge.stopOwner(e);
    if (!who) continue;
    const value = { status: e.status, authError: e.authError ? { code: e.authError.code, callback: e.authError.callback, plugin: who.slug } : null, statusSetBy: e.statusSetBy?.hook ?? null, plugin: who.slug };
    return {
      finding: { culprit: blamedCulprit(who), confidence: 'confirmed' },
      words: `The companion plugin saw who stopped it on this very request: ${blamedWords(who)}${e.authError ? ` returned "${e.authError.code}"` : ''}.`,
      evidence: [{ kind: 'bridge', fact: `ledger.${p.id}.stop`, value }],
      blamed: who,
    };
  }
  return null;
}

function byLoginHooks(f: Facts): Naming | null {
  const bridge = f.bridge;
  if (!bridge) return null;
  const hooked = LOGIN_HOOKS.flatMap((h) => bridge.thirdParty(h).map((cb) => ({ ...cb, hook: h })));
  const owners = [...new Map(hooked.map((cb) => [cb.owner.slug, cb])).values()];
  const only = owners.length === 1 ? owners[0] : undefined;
  const who = only ? bridge.blame(only.owner, { callback: only.callback, hook: only.hook }) : null;
  if (!who) return null;
  return {
    finding: { culprit: blamedCulprit(who), confidence: 'likely' },
    words: `The companion plugin shows one plugin outside core on WordPress's login hooks: ${blamedWords(who)}.`,
    evidence: [{ kind: 'bridge', fact: 'hooks.login', value: hooked.map((cb) => `${cb.callback} on ${cb.hook} (${cb.owner.slug ?? cb.owner.type})`) }],
    blamed: who,
  };
}

export const loginNotCompletedRule: Rule = {
  meta: { id: 'plugin.login.not-completed', title: 'The login does not end logged in: a plugin stopped it', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const found = loginStop(obs, f) ?? loginPageRefused(obs, f);
    if (!found) return [];
    const { stop, probe, why } = found;
    const words = STOP_WORDS[stop];
    const page = textOf(probe).trim();
    // the catalog: verified page-text marks on the stop page, a redirect mark, the stop's own headers
    const admin = obs.probes.find((p) => p.auth === 'none' && p.method === 'GET' && /^wp-admin\/?$/.test(f.pathOf(p)) && p.chain.length > 1);
    const matches = [
      ...[...markTexts(probe), page, probe.finalUrl].flatMap((t) => pluginsByText(t)),
      ...pluginsByHeaders(probe.headers),
      ...(admin && stop === 'moved' ? pluginsByRedirect('wp-admin/', admin.finalUrl) : []),
    ];
    const unique = [...new Map(matches.map((m) => [`${m.plugin.slug} ${m.mark}`, m])).values()];
    const installed = installedPlugins(obs, f);
    const verdict = catalogVerdict(unique, installed, words.what);
    const ledger = byLedger(f, [probe, ...obs.probes.filter((p) => p.source === 'login' && p !== probe)]);
    const hooks = ledger ? null : byLoginHooks(f);
    const fromCatalog: Naming | null =
      verdict.candidates.length > 0 ? { finding: { culprit: verdict.culprit, confidence: verdict.confidence }, words: verdict.words, evidence: [], blamed: null } : null;
    // the strongest: the ledger, then a catalog mark or the one plugin on the login hooks, whichever the evidence makes likely
    const naming = ledger ?? (fromCatalog?.finding.confidence === 'likely' ? fromCatalog : (hooks ?? fromCatalog));
    const candidates = f.bridge ? f.bridge.env.plugins.filter((p) => !p.bridge && ['security', 'login-lock', 'auth'].includes(p.category)).map((p) => p.slug) : [];

    const evidence: Evidence[] = [probeEv(probe, `${probe.method} /${f.pathOf(probe)} → ${probe.status}${probe.finalUrl !== probe.url ? ` (ended at ${probe.finalUrl})` : ''}: ${why}`)];
    if (admin && admin !== probe && stop === 'moved') evidence.push(probeEv(admin, `anonymous /wp-admin/ → ${admin.status} at ${admin.finalUrl}`));
    if (page && stop !== 'moved' && stop !== 'login-page-refused') evidence.push(noteEv(`the page says: "${page.slice(0, 200)}"`));
    // quote each verified mark with the probe it was seen on, so the evidence carries it
    for (const m of verdict.candidates) if (m.text) evidence.push(probeEv(m.mark.startsWith('/wp-admin') && admin ? admin : probe, `${m.plugin.slug}'s mark "${m.text}"${m.source ? ` (verified in ${m.source.plugin} ${m.source.version}, ${m.source.file} line ${m.source.line})` : ''}`));
    if (naming) evidence.push(...naming.evidence);
    if (obs.login) evidence.push(noteEv(`the HTTP login (one attempt, with the password you gave) ended "${obs.login.outcome}" without WordPress's auth cookies`));

    const appOk = obs.probes.some((p) => p.auth === 'app-password' && p.status === 200 && /^wp-json\/wp\/v2\/users\/me$|rest_route=%2Fwp%2Fv2%2Fusers%2Fme|rest_route=\/wp\/v2\/users\/me/.test(f.pathOf(p)) && !(p.chain.length > 1));
    const named = naming?.finding.culprit ?? { kind: 'plugin' as const, name: 'unknown' };
    // the plugin's main file, when the companion plugin lists it
    const basename = named && !named.file ? f.bridge?.plugin(named.name)?.basename : undefined;
    const culprit = basename ? { ...named, file: basename } : named;
    const confidence = naming?.finding.confidence ?? 'possible';
    const mechanism: Record<Stop, string> = {
      lockout:
        'WordPress answered its login page (200) without the auth cookies and with a lockout message: the right password is refused while the lockout lasts. WordPress core has no lockout; a login limiter hooked into authenticate does this, per client address, after earlier failed logins (wp401 posts the form once per scan).',
      captcha:
        'WordPress answered its login page (200) without the auth cookies and asks for a CAPTCHA: the password was never judged. Core has no CAPTCHA; a plugin hooked into authenticate refuses every login without a fresh challenge answer, which no script, monitor or app can give.',
      'second-step':
        'The password was accepted, but instead of the auth cookies WordPress answered a second step (a code from an authenticator app, or setting one up). Core has no second factor; a two-factor plugin holds the cookies back until the code is given. Scripts and monitors cannot log in; application passwords are not affected by most of these plugins.',
      'other-step': `The login ended at wp-login.php?action=${actionOf(probe.finalUrl) ?? ''}, an action WordPress core does not have: a plugin's login_form_<action> handler took over and no auth cookies were set.`,
      moved:
        'wp-login.php is a file WordPress always ships, yet it answers 404 — and the 404 came from inside WordPress, not from the web server. A plugin that moves the login to a secret address does this; anything that logs in at wp-login.php (scripts, apps, monitors, bookmarks) fails.',
      'login-page-refused':
        'WordPress sends visitors of /wp-admin/ to wp-login.php?redirect_to=…; that login page answers 401/403 from PHP, while wp-login.php without that query string works. A plugin refuses the login page by its address (a firewall that blocks query strings it finds suspicious, such as an IP address or a URL inside redirect_to), so people who start at /wp-admin/ cannot log in.',
    };
    return [
      {
        id: 'plugin.login.not-completed',
        severity: 'error',
        layer: 'plugin',
        culprit,
        title: words.title,
        explanation:
          `${mechanism[stop]} ` +
          (naming
            ? naming.words
            : `${verdict.words}${candidates.length ? ` Active plugins that can do this (the companion plugin's list): ${candidates.join(', ')}.` : ''}`) +
          (appOk ? ' Application passwords still work (REST users/me answered 200), so only the password login is stopped.' : ''),
        evidence,
        fixes: [
          ...(naming?.blamed ? [`Look at ${naming.blamed.slug}'s settings${naming.blamed.file ? ` (${naming.blamed.file})` : ''}.`] : []),
          ...settingsFix(verdict.candidates.length ? verdict.candidates : verdict.hints),
          ...(stop === 'lockout' ? ['Wait for the lockout to end or clear it in the limiter, then allow-list the addresses of your own tools; one wrong saved password retried by a monitor or app is the usual cause.'] : []),
          ...(stop === 'captcha' || stop === 'second-step' ? ['For scripts, apps and monitors use an application password (Users → Profile) instead of the login form; for people, this step is intended — check that it is.'] : []),
          ...(stop === 'moved' ? ['Log in at the plugin\'s new login address, and update bookmarks, apps and monitors; if the address is lost, renaming the plugin\'s folder under wp-content/plugins/ restores wp-login.php.'] : []),
          ...(stop === 'login-page-refused' ? ['Allow wp-login.php with its redirect_to parameter in the firewall plugin (or its allow list), or log in at wp-login.php directly.'] : []),
          ...(confidence === 'confirmed' ? [] : isolateHint(obs)),
        ],
        confidence,
      },
    ];
  },
};
