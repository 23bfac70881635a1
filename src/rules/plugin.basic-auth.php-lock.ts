// HTTP basic auth demanded from PHP: a "password protect the site" or
// staging-lock plugin answers 401 with `WWW-Authenticate: Basic` while
// WordPress loads (plugins_loaded, init…), instead of the web server.
//
// Why this is not an .htaccess lock (the mechanism, not a fixture):
//   - WordPress core never sends WWW-Authenticate (no occurrence in
//     wp-includes/ or wp-admin/ of 6.1); a challenge PHP wrote was written by
//     a plugin, a must-use plugin, a theme, or code in wp-config.php;
//   - PHP's answer carries WordPress's marks (facts/answered-by.ts): the
//     wp_die() page (_default_wp_die_handler), nocache_headers()' Expires of
//     11 Jan 1984, WordPress's cookies, X-Powered-By: PHP; Apache's mod_auth
//     answers with its own error page and none of them;
//   - with the companion plugin there is no guessing: the ledger has an entry
//     for the challenged request (it reached PHP), and its `died` /
//     `statusSetBy` name the file that called wp_die() or set the 401.
// Such plugins often leave some paths open (the REST API, a health check):
// requests that WordPress itself answered without the challenge are listed,
// so no sentence says a request was refused by the lock when it passed.
import type { Culprit, Evidence, Probe } from '../model.js';
import { answeredBy, challengeFrom } from '../facts/answered-by.js';
import { blamedCulprit, blamedWords, ledgerEv, switchOffWords } from '../facts/bridge.js';
import type { Facts } from '../facts/index.js';
import type { Rule } from './types.js';
import { describe, headerEv, isolateHint, ledgerStop, noteEv, probeEv } from './util.js';

/** Challenged anonymous requests whose challenge PHP wrote. */
export function phpChallenged(probes: readonly Probe[], f: Facts): Probe[] {
  return probes.filter(
    (p) => p.auth === 'none' && p.method === 'GET' && ['core', 'discover', 'crawl'].includes(p.source) && f.basicChallenge(p) && challengeFrom(p, f.bridge?.reachedPhp(p)) === 'php',
  );
}

export const phpBasicLockRule: Rule = {
  meta: { id: 'plugin.basic-auth.php-lock', title: 'HTTP basic auth demanded from PHP by a plugin', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const challenged = phpChallenged(obs.probes, f);
    if (challenged.length === 0) return [];
    const first = challenged[0] as Probe;
    const realm = f.basicChallenge(first)?.realm ?? null;
    const realmWords = realm !== null ? `realm "${realm}"` : 'no realm';
    const homeLocked = challenged.some((p) => f.pathOf(p) === '');
    const lockedPaths = [...new Set(challenged.map((p) => `/${f.pathOf(p)}`))];
    const marks = answeredBy(first).marks;
    const reached = f.bridge ? challenged.filter((p) => f.bridge?.reachedPhp(p) === true) : [];
    const owner = ledgerStop(f, challenged);

    // A site lock's exemptions: requests WordPress answered itself, without the challenge.
    const open = homeLocked
      ? obs.probes.filter((p) => (p.auth === 'none' || p.auth === 'app-password') && p.status > 0 && !f.basicChallenge(p) && !p.error && answeredBy(p).by === 'php')
      : [];
    const openPaths = [...new Set(open.map((p) => `/${f.pathOf(p)}`))];
    const appPassed = open.filter((p) => p.auth === 'app-password' && p.status >= 200 && p.status < 300);
    const siteOk = obs.probes.some((p) => p.auth === 'basic-site' && !f.basicChallenge(p) && p.status > 0 && !p.error);
    const siteRefused = obs.probes.filter((p) => p.auth === 'basic-site' && f.basicChallenge(p));

    const culprit: Culprit = owner ? blamedCulprit(owner.who) : { kind: 'plugin', name: 'unknown' };
    const evidence: Evidence[] = [
      ...challenged.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)} with a Basic challenge, answered by PHP`)),
      ...headerEv(first, 'www-authenticate'),
      ...headerEv(first, 'expires'),
      ...(marks.length ? [noteEv(`marks of WordPress on the 401: ${marks.join('; ')}`)] : []),
      ...(owner?.evidence ?? reached.slice(0, 2).map((p) => ledgerEv(p, f.bridge?.ledger(p) ?? null, ['reachedPhp', 'status']))),
      ...open.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)}${p.auth === 'app-password' ? ' with the application password' : ''}: answered by WordPress, no challenge`)),
    ];
    const who = owner
      ? `The companion plugin's ledger names it: ${blamedWords(owner.who)} ${owner.did}.`
      : reached.length > 0
        ? 'The companion plugin saw these requests inside PHP, but not which code ended them.'
        : `Which plugin it is cannot be told from outside (a lock plugin usually loads nothing on public pages); the candidates are every active plugin, must-use plugin, the theme and wp-config.php.`;
    return [
      {
        id: 'plugin.basic-auth.php-lock',
        severity: 'error',
        layer: 'plugin',
        culprit,
        title: homeLocked ? `A plugin locks the whole site with an HTTP password from PHP (${realmWords})` : `A plugin asks for an HTTP password from PHP on ${lockedPaths.slice(0, 3).join(', ')} (${realmWords})`,
        explanation:
          `${homeLocked ? 'Every page answers' : `${lockedPaths.slice(0, 4).join(', ')} answer${lockedPaths.length > 1 ? '' : 's'}`} 401 with a Basic challenge (${realmWords}), but the answer was written by WordPress, not by the web server` +
          (reached.length > 0 ? ': the companion plugin saw the requests reach PHP' : marks.length ? `: ${marks.join('; ')}` : '') +
          '. WordPress core never sends this challenge, so a plugin (or a must-use plugin, the theme, or wp-config.php) demands the password while WordPress loads; no .htaccess or server configuration is involved, and changing them would not help. ' +
          `${who} ` +
          (openPaths.length
            ? `The lock leaves some requests to WordPress: ${openPaths.slice(0, 4).join(', ')} ${openPaths.length === 1 ? 'was' : 'were'} answered without the challenge${appPassed.length ? ` (with the application password: ${appPassed.map((p) => `${describe(f, p)}`).slice(0, 3).join(', ')})` : ''}. `
            : '') +
          (siteOk ? 'The HTTP credentials you gave pass it.' : siteRefused.length ? 'The HTTP credentials you gave are refused by it.' : 'No HTTP credentials were given to the scan (WP401_HTTP_USER / WP401_HTTP_PASSWORD).'),
        evidence,
        fixes: [
          owner
            ? `The lock is ${blamedWords(owner.who)}: look at its password / "protect site" settings (the user, the password, the paths it leaves open), or ${switchOffWords(owner.who)}.`
            : 'Look for a plugin that password-protects the site ("password protect", "staging", "maintenance", "private site"): its settings hold the user, the password and the paths it leaves open. Deactivating it (or renaming its folder in wp-content/plugins/ over FTP) removes the lock.',
          'If the lock is intended, give every tool its user and password (wp401 reads WP401_HTTP_USER / WP401_HTTP_PASSWORD); its Basic credentials use the same Authorization header as application passwords, so let the REST API through in its settings if apps need it.',
          ...(owner ? [] : isolateHint(obs)),
        ],
        confidence: owner ? 'confirmed' : 'possible',
      },
    ];
  },
};
