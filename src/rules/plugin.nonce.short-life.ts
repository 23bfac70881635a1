// nonce_life filtered far below WordPress's day: every REST nonce an admin
// page hands out (the block editor's X-WP-Nonce, admin-ajax forms) dies within
// seconds or minutes and the next call fails with 403 rest_cookie_invalid_nonce
// while the user is logged in. Only the companion plugin can read it; the
// browser stage proves the symptom (browser-nonce), this rule names the cause
// when no browser ran.
import type { Evidence } from '../model.js';
import { blamedCulprit, blamedWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

const DAY = 86_400;
/** below this a nonce dies while an editor is still open */
const ERROR_S = 600;
/** below this the companion plugin's nonce_life is reported (wordpress.nonce.short-life then steps aside) */
export const SHORT_NONCE_LIFE_S = 3_600;

export const nonceLifeRule: Rule = {
  meta: { id: 'plugin.nonce.short-life', title: 'REST and form nonces expire far too early', layer: 'plugin', requires: ['bridge'] },
  evaluate(obs, f) {
    const bridge = f.bridge;
    const life = bridge?.env.wordpress.nonceLife;
    if (!bridge || typeof life !== 'number' || life >= SHORT_NONCE_LIFE_S) return [];
    const b = obs.browser;
    // the browser stage saw the refusal itself: browser-nonce reports it with that proof
    if (b?.rest && b.login.outcome === 'success' && b.rest.attempts.some((a) => a.code === 'rest_cookie_invalid_nonce')) return [];
    const hooked = bridge.thirdParty('nonce_life');
    const first = hooked[0];
    const who = first ? bridge.blame(first.owner, { callback: first.callback, hook: 'nonce_life' }) : null;
    const evidence: Evidence[] = [
      { kind: 'bridge', fact: 'wordpress.nonceLife', value: life },
      { kind: 'bridge', fact: 'hooks.nonce_life', value: hooked.map((cb) => `${cb.callback} (${cb.owner.slug ?? cb.owner.type}, priority ${cb.priority})`) },
      noteEv(`WordPress's default nonce life is ${DAY} s (a day); here it is ${life} s`),
    ];
    // the HTTP login's nonce check saw it happen (src/gather/nonce.ts)
    const seen = obs.login?.restNonce?.attempts.find((a) => a.nonce === 'aged' && a.code === 'rest_cookie_invalid_nonce');
    if (seen) evidence.push({ kind: 'probe', probe: seen.probe, note: `the login's REST nonce, ${Math.round(seen.nonceAgeMs / 100) / 10} s old: users/me → ${seen.status} rest_cookie_invalid_nonce` });
    return [
      {
        id: 'plugin.nonce.short-life',
        severity: life < ERROR_S ? 'error' : 'warning',
        layer: who ? 'plugin' : 'wordpress',
        culprit: who ? blamedCulprit(who) : null,
        title: `Nonces live only ${life} s: logged-in REST and admin requests fail with 403 rest_cookie_invalid_nonce`,
        explanation:
          `WordPress nonces normally live a day (nonce_life = ${DAY} s); the companion plugin reads ${life} s on this site. A nonce is valid for at most that long, so the block editor, admin screens and forms that send a nonce taken from a page a little earlier are refused (403 rest_cookie_invalid_nonce, "The link you followed has expired") although the user is logged in. ` +
          (who ? `The nonce_life filter belongs to ${blamedWords(who)}.` : 'The nonce_life filter is set by code the companion plugin could not attribute to a plugin.'),
        evidence,
        fixes: who
          ? [`Look at ${who.slug}'s nonce or session-hardening setting${who.file ? ` (${who.file})` : ''}: remove its nonce_life filter or raise it to at least DAY_IN_SECONDS.`]
          : ['Search plugins, mu-plugins and the theme for "nonce_life" (`grep -rn nonce_life wp-content/`) and remove the filter or raise it to at least DAY_IN_SECONDS.'],
        confidence: who ? 'likely' : 'possible',
      },
    ];
  },
};
