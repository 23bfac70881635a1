// The server's clock is far from ours: signed requests (OAuth, JWT, the
// bridge), time-based 2FA codes and cookie expiry can fail as 401.
import type { Rule } from './types.js';
import { noteEv } from './util.js';

const WARN_MS = 5 * 60_000;
const ERROR_MS = 60 * 60_000;

export const clockSkewRule: Rule = {
  meta: { id: 'wordpress.clock.skew', title: 'Server clock skew', layer: 'wordpress', requires: ['probes'] },
  evaluate(obs) {
    const skew = obs.clock?.bridgeSkewMs ?? obs.clock?.skewMs;
    if (skew === null || skew === undefined || Math.abs(skew) < WARN_MS) return [];
    const minutes = Math.round(Math.abs(skew) / 60_000);
    return [
      {
        id: 'wordpress.clock.skew',
        severity: Math.abs(skew) >= ERROR_MS ? 'error' : 'warning',
        layer: 'wordpress',
        culprit: null,
        title: `The server's clock is ${minutes} minutes ${skew > 0 ? 'ahead of' : 'behind'} this computer's`,
        explanation:
          'Time-limited credentials fail as 401 when the clocks disagree: signed requests (OAuth 1, JWT "exp"/"nbf", webhooks), time-based 2FA codes and short-lived nonces. Either clock can be the wrong one; compare both with a time server.',
        evidence: [noteEv(`server Date header vs local time: ${Math.round(skew / 1000)} s`)],
        fixes: ['Turn on time synchronisation on the server (`timedatectl set-ntp true`, chrony or ntpd) — and on this computer if it is the one that is off.'],
        confidence: 'possible',
      },
    ];
  },
};
