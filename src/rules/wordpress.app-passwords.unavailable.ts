// The REST index does not list "application-passwords": WordPress will not
// accept them. Core turns them off on plain http outside a "local"
// environment; on https (or a local site) something turned them off on
// purpose — a security plugin, most often. With the companion plugin the
// reason is known (needs HTTPS/local, or a filter turned them off) and the
// callback that returned false names its plugin — unless it is core's own
// __return_false, whose file says nothing about who added it (--isolate does).
import { pluginsBySlugs } from '../catalog/index.js';
import type { Evidence, Finding } from '../model.js';
import { type Blamed, blamedCulprit, blamedWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { describe, isolateHint, looksLocal, noteEv, probeEv, settingsFix } from './util.js';

export const appPasswordsUnavailableRule: Rule = {
  meta: { id: 'wordpress.app-passwords.unavailable', title: 'Application passwords unavailable', layer: 'wordpress', requires: ['probes'] },
  evaluate(obs, f) {
    const idx = f.restIndex;
    if (!idx || idx.authentication.includes('application-passwords')) return [];
    const me = f.find('wp-json/wp/v2/users/me', 'app-password');
    const ignored = me !== undefined && me.status === 401 && !f.basicChallenge(me);
    const https = f.base.startsWith('https:');
    const local = looksLocal(f.host);
    const evidence: Evidence[] = [noteEv(`the REST index's "authentication" lists ${idx.authentication.length ? idx.authentication.join(', ') : 'nothing'}: no "application-passwords"`)];
    const index = f.find('wp-json/') ?? f.find('wp-json/', 'basic-site');
    if (index) evidence.unshift(probeEv(index, 'REST index'));
    if (me) evidence.push(probeEv(me, `${describe(f, me)} with the application password${me.body?.restError ? ` ${me.body.restError.code}` : ''}`));
    const severity: Finding['severity'] = ignored ? 'error' : obs.credentials.appPassword ? 'warning' : 'info';
    const ap = f.bridge?.env.applicationPasswords;
    if (ap?.available) return []; // the bridge says WordPress offers them: the index is not the whole truth (a cached index)
    let blamed: Blamed | null = null;
    let byCore: string | null = null;
    if (f.bridge && ap) {
      const off = ap.changedBy.filter((c) => !c.to);
      evidence.push({ kind: 'bridge', fact: 'applicationPasswords', value: { available: ap.available, reason: ap.reason, environmentType: ap.environmentType, changedBy: off.map((c) => `${c.callback} (${c.owner.slug ?? c.owner.type}, priority ${c.priority})`) } });
      for (const c of off) {
        blamed = f.bridge.blame(c.owner, { callback: c.callback, hook: 'wp_is_application_passwords_available' });
        if (blamed) break;
        byCore = c.callback;
      }
    }
    const needsHttps = ap ? ap.reason === 'requires-https-or-local' : !https && !local;
    if (needsHttps) {
      return [
        {
          id: 'wordpress.app-passwords.unavailable',
          severity,
          layer: 'wordpress',
          culprit: { kind: 'wp-config', name: 'WP_ENVIRONMENT_TYPE' },
          title: 'Application passwords are off: the site is not served over HTTPS',
          explanation:
            'WordPress only offers application passwords over HTTPS or when WP_ENVIRONMENT_TYPE is "local". This site answers on plain http, and its REST index does not list them, so any application password is ignored and the request is treated as anonymous. A security plugin can also switch them off.',
          evidence,
          fixes: [
            'Serve the site over https (and set the site and home URLs to https://…).',
            "For a local development copy only: `define( 'WP_ENVIRONMENT_TYPE', 'local' );` in wp-config.php.",
            ...isolateHint(obs),
          ],
          confidence: 'possible',
        },
      ];
    }
    const slugs = obs.probes.flatMap((p) => (Array.isArray(p.body?.facts?.pluginSlugs) ? (p.body?.facts?.pluginSlugs as string[]) : []));
    const suspects = pluginsBySlugs(slugs).filter((m) => m.plugin.category === 'security' || m.plugin.category === 'auth');
    const first = suspects[0];
    const others = f.bridge ? f.bridge.env.plugins.filter((p) => !p.bridge).map((p) => p.slug) : [];
    return [
      {
        id: 'plugin.app-passwords.disabled',
        severity,
        layer: 'plugin',
        culprit: blamed ? blamedCulprit(blamed) : first ? { kind: 'plugin', name: first.plugin.slug } : { kind: 'plugin', name: 'unknown' },
        title: 'A plugin has switched application passwords off',
        explanation:
          `The site is ${https ? 'served over HTTPS' : 'a local site'}, where WordPress offers application passwords by itself, yet its REST index does not list them` +
          (ignored ? ' and the application password wp401 sent was ignored (401, not logged in).' : '.') +
          (blamed
            ? ` The companion plugin shows who: ${blamedWords(blamed)} returns false on wp_is_application_passwords_available.`
            : byCore
              ? ` The companion plugin shows the filter wp_is_application_passwords_available returning false through WordPress's own ${byCore}, which a plugin or mu-plugin added — the callback's file cannot tell which one${others.length ? ` (active plugins: ${others.join(', ')})` : ''}; --isolate finds it.`
              : ' Something filters wp_is_application_passwords_available to false — usually a security or login plugin' +
                (suspects.length ? `; active plugins that can do it: ${suspects.map((m) => m.plugin.name).join(', ')}.` : ' (which one cannot be seen from outside).')) +
          (local && !https ? ' (If WP_ENVIRONMENT_TYPE is not "local" on this http site, that alone also turns them off.)' : ''),
        evidence,
        fixes: [
          ...(blamed ? [`Turn application passwords back on in ${blamed.slug}'s settings${blamed.file ? ` (${blamed.file})` : ''}, or remove its wp_is_application_passwords_available filter.`] : []),
          ...settingsFix(suspects),
          'Look for a setting named "Disable application passwords" in security plugins (Wordfence Login Security, Solid Security, All In One WP Security, WP Cerber…).',
          "Search the plugins and mu-plugins for `wp_is_application_passwords_available` (`grep -rn wp_is_application_passwords_available wp-content/`).",
          ...isolateHint(obs),
        ],
        confidence: blamed || first ? 'likely' : 'possible',
      },
    ];
  },
};
