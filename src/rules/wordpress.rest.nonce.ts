// REST with cookie + nonce, as the block editor and admin screens call it.
// Cookie alone → WordPress treats the request as anonymous (normal). A fresh
// nonce works but one a few seconds old fails → nonces die far too early.
import type { BridgeEnvironment } from '../observations/bridge.js';
import type { Rule } from './types.js';
import { noteEv } from './util.js';

export const browserNonceRule: Rule = {
  meta: { id: 'wordpress.rest.nonce', title: 'REST nonce with the login cookie', layer: 'wordpress', requires: ['browser'] },
  evaluate(obs) {
    const b = obs.browser;
    if (!b?.rest || b.login.outcome !== 'success') return [];
    const a = b.rest.attempts;
    const fresh = a.find((x) => x.nonce === 'fresh');
    const aged = a.find((x) => x.nonce === 'aged');
    const evidence = a.map((x) => noteEv(`${x.nonce} nonce${x.nonceAgeMs !== undefined ? ` (${Math.round(x.nonceAgeMs / 100) / 10} s old)` : ''}: ${x.url} → ${x.status}${x.code ? ` ${x.code}` : ''}`));
    const refused = [fresh, aged].filter((x) => x?.code === 'rest_cookie_invalid_nonce');
    if (refused.length > 0) {
      const env = obs.bridge?.status === 'ok' ? obs.bridge.environment : undefined;
      const life = nonceLife(env);
      const plugin = nonceLifeOwner(env);
      const short = life !== null && life < 3600;
      const age = Math.round(((refused[0]?.nonceAgeMs ?? 0) / 1000) * 10) / 10;
      if (short || plugin) {
        return [
          {
            id: 'wordpress.rest.nonce-expires-early',
            severity: 'error',
            layer: plugin ? 'plugin' : 'wordpress',
            culprit: plugin ? { kind: 'plugin', name: plugin.slug, ...(plugin.file ? { file: plugin.file } : {}) } : null,
            title: `REST nonces live only ${life ?? '?'} s here: admin and editor REST calls fail with 403 rest_cookie_invalid_nonce`,
            explanation:
              `WordPress nonces normally live a day (nonce_life = 86400 s). On this site the nonce_life filter returns ${life ?? 'a short value'}, so a nonce taken from an admin page is refused ${age} s later and the block editor and admin screens fail while the user is logged in.` +
              (plugin ? ` The companion plugin shows ${plugin.slug} filtering nonce_life.` : ''),
            evidence: [...evidence, { kind: 'bridge', fact: 'nonce_life', value: life }],
            fixes: plugin
              ? [`Look at ${plugin.slug}'s nonce or session-hardening setting (it filters nonce_life); remove the filter or raise it to at least DAY_IN_SECONDS.`]
              : ['Find the code filtering nonce_life (a plugin, mu-plugin or the theme) and remove it or raise it to at least DAY_IN_SECONDS.'],
            confidence: 'likely',
          },
        ];
      }
      return [
        {
          id: 'wordpress.rest.nonce-refused',
          severity: 'error',
          layer: life !== null ? 'browser' : 'wordpress',
          culprit: null,
          title: `REST refuses the logged-in browser's nonce (403 rest_cookie_invalid_nonce, ${age} s after the page was served)`,
          explanation:
            'The same cookie + X-WP-Nonce request the block editor makes is refused. Either the nonce dies far too early (a plugin filtering nonce_life, or admin pages served from a cache with a stale nonce), or WordPress sees a different login on the REST request than on the page that issued the nonce (cookie scope, http/https mix-up).' +
            (life !== null ? ` The companion plugin reports nonce_life = ${life} s (normal), so the nonce is not the problem: look at the login cookies sent with REST requests.` : ' Install the companion plugin to tell the two apart.'),
          evidence: life !== null ? [...evidence, { kind: 'bridge', fact: 'nonce_life', value: life }] : evidence,
          fixes:
            life !== null
              ? ['Check that the site address (home/siteurl), the scheme (http/https) and COOKIE_DOMAIN/COOKIEPATH agree, so the login cookie is sent with REST requests.']
              : ['Search plugins and mu-plugins for "nonce_life"; make sure admin pages are never cached; check the site address and scheme agree.'],
          confidence: 'possible',
        },
      ];
    }
    if (fresh && fresh.status !== 200 && fresh.status !== 0) {
      return [
        {
          id: 'wordpress.rest.cookie-auth-failed',
          severity: 'error',
          layer: 'wordpress',
          culprit: null,
          title: `REST refuses the logged-in browser even with a fresh nonce (${fresh.status}${fresh.code ? ` ${fresh.code}` : ''})`,
          explanation: 'The same request the block editor makes fails for a logged-in user: a plugin restricting REST, or the login cookie not reaching REST requests.',
          evidence,
          fixes: ['See the REST findings above; with the companion plugin and --isolate wp401 names the plugin.'],
          confidence: 'possible',
        },
      ];
    }
    return [];
  },
};

function nonceLife(env: BridgeEnvironment | undefined): number | null {
  return typeof env?.wordpress.nonceLife === 'number' ? env.wordpress.nonceLife : null;
}

function nonceLifeOwner(env: BridgeEnvironment | undefined): { slug: string; file?: string } | null {
  for (const cb of env?.hooks.nonce_life ?? []) {
    if (cb.owner?.type === 'plugin' && cb.owner.slug) return { slug: cb.owner.slug, ...(cb.owner.plugin ? { file: cb.owner.plugin } : {}) };
  }
  return null;
}
