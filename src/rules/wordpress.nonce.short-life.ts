// REST nonces that die within seconds, seen from outside (--no-browser, the
// HTTP login's nonce check in src/gather/nonce.ts). Core's mechanism:
//   - wp_verify_nonce() accepts a nonce made in the current or the previous
//     tick, a tick being nonce_life / 2 in whole seconds of time()
//     (wp_nonce_tick; nonce_life is a day unless filtered), so a nonce lives
//     at least nonce_life / 2;
//   - rest_cookie_check_errors() refuses a logged-in cookie request whose
//     X-WP-Nonce does not verify with 403 rest_cookie_invalid_nonce.
// Fresh accepted and the same nonce refused seconds later is the symptom; it
// is the nonce's age only if the login session still works (a new nonce is
// accepted) and a nonce is not refused for being used twice (that new one is
// accepted twice in a row), and no answer in between set new login cookies
// (a new session token changes every nonce). Then nonce_life is below
// 2 × (age + 1 s): refused means time() moved by more than a tick between
// making and checking it, and time() counts whole seconds.
// Core never shortens nonce_life itself; what does (a plugin, a must-use
// plugin, the theme, or a replaced pluggable wp_verify_nonce/wp_nonce_tick)
// cannot be told from outside: layer wordpress, no culprit, possible. With
// the companion plugin reporting a short nonce_life, plugin.nonce.short-life
// names its owner instead.
import { bridgeStatusOf } from '../facts/bridge-status.js';
import type { Evidence, Finding } from '../model.js';
import type { Observations, RestNonceAttempt, RestNonceCheck } from '../observations/index.js';
import { SHORT_NONCE_LIFE_S } from './plugin.nonce.short-life.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Who sets nonce_life is what the companion plugin reads (not an isolation replay: a nonce request cannot be replayed). */
function bridgeHint(obs: Observations): string[] {
  const status = bridgeStatusOf({ bridge: obs.bridge, credentials: obs.credentials });
  switch (status.status) {
    case 'ok':
      return [];
    case 'key-refused':
    case 'unreachable':
      return [`Once the companion plugin can answer, a scan names the plugin whose callback sets nonce_life. ${status.message}`];
    default:
      return ['Or install the companion plugin (`wp401 bridge zip` writes it) and scan again: it reads nonce_life and names the plugin whose callback sets it.'];
  }
}

function attemptEv(a: RestNonceAttempt): Evidence {
  const age = a.nonce === 'fresh' || a.nonce === 'renewed' ? 'at once' : `${seconds(a.nonceAgeMs)}–${seconds(a.nonceAgeMaxMs)} s old`;
  const words = { fresh: 'the nonce', aged: 'the same nonce', renewed: 'a new nonce', 'renewed-again': 'that new nonce again' }[a.nonce];
  return { kind: 'probe', probe: a.probe, note: `${words}, ${age}: users/me → ${a.status}${a.code ? ` ${a.code}` : ''}` };
}

const WHY_NOT: Record<NonNullable<RestNonceCheck['skipped']>, string> = {
  'no-action':
    'admin-ajax.php answered 400 "0" to action=rest-nonce: WordPress before 5.3 has no such action (wp_ajax_rest_nonce came with 5.3), or the login cookie was not accepted there',
  refused: 'admin-ajax.php refused the logged-in request for a REST nonce',
  'not-a-nonce': 'admin-ajax.php answered action=rest-nonce with something that is not a nonce (a plugin or a cache answered instead)',
  error: 'admin-ajax.php did not answer the request for a REST nonce',
};

/** Said, not silent: no nonce to age, so nonces that die within seconds stay unseen in this mode. */
function notChecked(why: NonNullable<RestNonceCheck['skipped']>, probe: string): Finding {
  return {
    id: 'wordpress.nonce.short-life.not-checked',
    severity: 'info',
    layer: 'wordpress',
    culprit: null,
    title: 'REST nonce not checked: no nonce could be had without a browser',
    explanation: `${WHY_NOT[why]}, so wp401 had no REST nonce to send fresh and again once aged. A REST nonce that dies within seconds (a short nonce_life) would not show in this scan.`,
    evidence: [{ kind: 'probe', probe, note: WHY_NOT[why] }],
    fixes: ['Scan without --no-browser: the browser reads the REST nonce from an admin page and ages it.'],
    confidence: 'possible',
  };
}

export const restNonceAgeRule: Rule = {
  meta: { id: 'wordpress.nonce.short-life', title: 'REST nonces refused within seconds (seen without a browser)', layer: 'wordpress', requires: ['login'] },
  evaluate(obs) {
    const login = obs.login;
    const check = login?.restNonce;
    if (!check || login?.outcome !== 'success') return [];
    if (check.skipped) return [notChecked(check.skipped, check.nonceProbe)];
    const find = (kind: RestNonceAttempt['nonce']) => check.attempts.find((a) => a.nonce === kind);
    const fresh = find('fresh');
    const stale = check.attempts.find((a) => a.nonce === 'aged' && a.status === 403 && a.code === 'rest_cookie_invalid_nonce');
    const renewed = find('renewed');
    const again = find('renewed-again');
    if (fresh?.status !== 200 || !stale) return [];
    // The session ended, a nonce counts only once, or the session token changed: not the nonce's age (the refusal-net reports these).
    if (renewed?.status !== 200 || again?.status !== 200) return [];
    if (check.attempts.some((a) => a.authCookiesSet.length > 0)) return [];
    const env = obs.bridge?.status === 'ok' ? obs.bridge.environment : undefined;
    const life = env?.wordpress.nonceLife;
    // the companion plugin reads a short nonce_life: plugin.nonce.short-life names who set it
    if (typeof life === 'number' && life < SHORT_NONCE_LIFE_S) return [];

    const bound = Math.ceil(2 * (stale.nonceAgeMaxMs / 1000 + 1));
    const age = seconds(stale.nonceAgeMs);
    const normalLife = typeof life === 'number';
    const evidence: Evidence[] = [
      ...[fresh, stale, renewed, again].map(attemptEv),
      noteEv(`WordPress accepts a nonce for at least half of nonce_life (a day by default: 12 to 24 hours); refused after at most ${seconds(stale.nonceAgeMaxMs)} s means the nonce lives less than ${bound} s here`),
    ];
    if (normalLife) evidence.push({ kind: 'bridge', fact: 'wordpress.nonceLife', value: life });
    return [
      {
        id: 'wordpress.nonce.short-life',
        severity: 'error',
        layer: 'wordpress',
        culprit: null,
        title: `REST nonces die within seconds: one ${age} s old is refused (403 rest_cookie_invalid_nonce) while the user is logged in`,
        explanation:
          `With the login cookies, a REST nonce from admin-ajax.php was accepted at once (users/me → 200) and refused ${age} s later (403 rest_cookie_invalid_nonce). ` +
          'A new nonce was then accepted twice in a row and no answer set new login cookies, so the login session still works and a nonce is not refused for being used twice: the first one was refused for its age. ' +
          `WordPress keeps a nonce valid for at least half its life (nonce_life, a day unless filtered), so nonces live less than ${bound} s on this site: the block editor, admin screens and forms that send a nonce taken a little earlier fail ("The link you followed has expired"). ` +
          (normalLife
            ? `The companion plugin reports nonce_life = ${life} s, so nonce_life is not what ends them: a plugin replacing the pluggable wp_verify_nonce() or wp_nonce_tick() does.`
            : 'Core never shortens nonces by itself: code on the site does, either a plugin, a must-use plugin or the theme filtering nonce_life, or one replacing the pluggable wp_verify_nonce() or wp_nonce_tick(). From outside wp401 cannot tell which; the companion plugin reads nonce_life and names the callback on it.'),
        evidence,
        fixes: [
          'Search plugins, must-use plugins and the theme for what shortens nonces: `grep -rnE "nonce_life|function wp_verify_nonce|function wp_nonce_tick" wp-content/`; remove that filter or raise it to at least DAY_IN_SECONDS (often a "session hardening" or "nonce lifetime" setting of a security plugin).',
          ...bridgeHint(obs),
        ],
        confidence: 'possible',
      },
    ];
  },
};
