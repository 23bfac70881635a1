// The REST index does not list "application-passwords": WordPress will not
// accept them. Core turns them off on plain http outside a "local"
// environment (wp_is_application_passwords_supported(): is_ssl() ||
// 'local' === wp_get_environment_type(), wp-includes/user.php); on https (or
// a local site) something turned them off on purpose — a security plugin,
// most often. From outside, WP_ENVIRONMENT_TYPE cannot be seen: an address
// like 127.0.0.1 or *.test says nothing about it (a production copy runs
// there too), so on plain http core's rule and a plugin's filter are both
// named, as possible (issue 16, class 7). With the companion plugin the
// reason is known (needs HTTPS/local, or a filter turned them off) and the
// callback that returned false names its plugin — unless it is core's own
// __return_false, whose file says nothing about who added it (--isolate does).
import { pluginsBySlugs } from '../catalog/index.js';
import type { Evidence, Finding } from '../model.js';
import { type Blamed, blamedCulprit, blamedWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { describe, isolateHint, noteEv, probeEv, settingsFix } from './util.js';

export const appPasswordsUnavailableRule: Rule = {
  meta: { id: 'wordpress.app-passwords.unavailable', title: 'Application passwords unavailable', layer: 'wordpress', requires: ['probes'] },
  evaluate(obs, f) {
    const idx = f.restIndex;
    if (!idx || idx.authentication.includes('application-passwords')) return [];
    const me = f.find('wp-json/wp/v2/users/me', 'app-password');
    const ignored = me !== undefined && me.status === 401 && !f.basicChallenge(me);
    const https = f.base.startsWith('https:');
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
    // Logged in, the profile page tells core's rule from a filter (src/gather/credentials.ts, runProfileProbe).
    const profile = obs.probes.find((p) => p.auth === 'cookie' && f.pathOf(p) === 'wp-admin/profile.php' && typeof p.body?.facts?.appPasswordsSection === 'string');
    const section = profile?.body?.facts?.appPasswordsSection;
    if (profile && !ap) evidence.push(probeEv(profile, section === 'unsupported' ? 'your profile page, logged in: its Application Passwords section holds only WordPress\'s "requires HTTPS" notice (core does not support them here)' : section === 'hidden' ? 'your profile page, logged in: no Application Passwords section, which WordPress hides only when they are supported but filtered off' : 'your profile page, logged in: the Application Passwords section offers them'));
    const needsHttps = ap ? ap.reason === 'requires-https-or-local' : section ? section === 'unsupported' : !https;
    if (needsHttps) {
      const env = ap ? `The companion plugin reads WP_ENVIRONMENT_TYPE = "${ap.environmentType}" and is_ssl() false: core's wp_is_application_passwords_supported() is false, so no plugin is needed to explain it.` : '';
      return [
        {
          id: 'wordpress.app-passwords.unavailable',
          severity,
          layer: 'wordpress',
          culprit: { kind: 'wp-config', name: 'WP_ENVIRONMENT_TYPE' },
          title: 'Application passwords are off: the site is not served over HTTPS',
          explanation:
            'WordPress only offers application passwords over HTTPS or when WP_ENVIRONMENT_TYPE is "local" (wp_is_application_passwords_supported). This site answers on plain http and its REST index does not list them, so any application password is ignored and the request is treated as anonymous' +
            (ignored ? ' — as the one wp401 sent was (401, not logged in).' : '.') +
            (ap
              ? ` ${env}`
              : section === 'unsupported'
                ? ' Your profile page shows WordPress\'s own notice that application passwords need HTTPS here: core switched them off (WP_ENVIRONMENT_TYPE is not "local"), not a plugin.'
                : ` Unless wp-config.php sets WP_ENVIRONMENT_TYPE to "local", core itself switches them off here — the site's address (${f.host}) says nothing about that setting. Possible too: a security plugin filtering wp_is_application_passwords_available to false, which looks the same from outside; the companion plugin tells the two apart.`),
          evidence,
          fixes: [
            'Serve the site over https (and set the site and home URLs to https://…).',
            "For a local development copy only: `define( 'WP_ENVIRONMENT_TYPE', 'local' );` in wp-config.php.",
            ...(ap || section ? [] : ["If WP_ENVIRONMENT_TYPE is already 'local', look for a plugin that switches application passwords off: `grep -rn wp_is_application_passwords_available wp-content/`."]),
            ...(ap || section ? [] : isolateHint(obs)),
          ],
          confidence: ap || section === 'unsupported' ? 'likely' : 'possible',
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
          `${https ? 'The site is served over HTTPS' : ap ? `The site is set up as a "${ap.environmentType}" environment (the companion plugin reads WP_ENVIRONMENT_TYPE)` : 'WordPress supports application passwords on this site (your profile page has no "requires HTTPS" notice; it hides the whole section, as it does only when a filter turns them off)'}, where WordPress offers application passwords by itself, yet its REST index does not list them` +
          (ignored ? ' and the application password wp401 sent was ignored (401, not logged in).' : '.') +
          (blamed
            ? ` The companion plugin shows who: ${blamedWords(blamed)} returns false on wp_is_application_passwords_available.`
            : byCore
              ? ` The companion plugin shows the filter wp_is_application_passwords_available returning false through WordPress's own ${byCore}, which a plugin or mu-plugin added — the callback's file cannot tell which one${others.length ? ` (active plugins: ${others.join(', ')})` : ''}; --isolate finds it.`
              : ' Something filters wp_is_application_passwords_available to false — usually a security or login plugin' +
                (suspects.length ? `; active plugins that can do it: ${suspects.map((m) => m.plugin.name).join(', ')}.` : ' (which one cannot be seen from outside).')) +
          '',
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
