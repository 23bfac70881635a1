// The REST API refuses anonymous visitors on routes WordPress itself keeps
// public (the index, posts, pages). Core never does that: a plugin or a
// snippet hooked rest_authentication_errors. The error code names it when
// the catalog knows the code from the plugin's source. Codes are shared
// (rest_cannot_access is returned by several unrelated plugins), so the
// catalog narrows by the plugin's own message and names a plugin "likely"
// only when one verified mark is left and the plugin is seen installed
// (catalogVerdict). With the companion plugin the ledger names the callback
// that returned the error and the plugin it belongs to.
import { pluginsByRestCode } from '../catalog/index.js';
import type { Evidence, Probe } from '../model.js';
import { type Blamed, blamedCulprit, blamedWords, switchOffWords } from '../facts/bridge.js';
import type { Facts } from '../facts/index.js';
import type { Rule } from './types.js';
import { catalogVerdict, describe, installedPlugins, isolateHint, probeEv, settingsFix } from './util.js';

/** Who the bridge says returned the error: the ledger's callback, or the one plugin on rest_authentication_errors. */
function blamedByBridge(f: Facts, blocked: Probe[]): { who: Blamed; evidence: Evidence[]; certain: boolean } | null {
  const bridge = f.bridge;
  if (!bridge) return null;
  for (const p of blocked) {
    const e = bridge.ledger(p);
    const who = e ? bridge.errorOwner(e) : null;
    if (e && who) {
      return {
        who,
        certain: true,
        evidence: [{ kind: 'bridge', fact: `ledger.${p.id}.authError`, value: { code: e.authError?.code, callback: e.authError?.callback, hook: e.authError?.hook, plugin: who.slug } }],
      };
    }
  }
  const hooked = bridge.thirdParty('rest_authentication_errors');
  const owners = [...new Map(hooked.map((cb) => [cb.owner.slug, cb])).values()];
  const only = owners.length === 1 ? owners[0] : undefined;
  const who = only ? bridge.blame(only.owner, { callback: only.callback, hook: 'rest_authentication_errors' }) : null;
  return who ? { who, certain: false, evidence: [{ kind: 'bridge', fact: 'hooks.rest_authentication_errors', value: hooked.map((cb) => `${cb.callback} (${cb.owner.slug ?? cb.owner.type}, priority ${cb.priority})`) }] } : null;
}

const PUBLIC_ROUTES = ['wp-json/', 'wp-json/wp/v2/posts', 'wp-json/wp/v2/pages', 'wp-json/wp/v2/types', 'wp-json/wp/v2/categories'];

export const restBlockedRule: Rule = {
  meta: { id: 'plugin.rest.blocked-for-anonymous', title: 'REST API blocked for visitors who are not logged in', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const blocked: Probe[] = obs.probes.filter(
      (p) => (p.auth === 'none' || p.auth === 'basic-site') && (p.status === 401 || p.status === 403) && p.body?.restError && !f.basicChallenge(p) && PUBLIC_ROUTES.includes(f.pathOf(p)),
    );
    if (blocked.length === 0) return [];
    const first = blocked[0] as Probe;
    const err = first.body?.restError as { code: string; message: string };
    const verdict = catalogVerdict(pluginsByRestCode(err.code, err.message), installedPlugins(obs, f), `returns the code ${err.code}`);
    const matches = verdict.candidates;
    const bridged = blamedByBridge(f, blocked);
    const withApp = f.find('wp-json/', 'app-password');
    const appOk = withApp !== undefined && withApp.status === 200;
    const evidence: Evidence[] = blocked.slice(0, 4).map((p) => probeEv(p, `${describe(f, p)} ${p.body?.restError?.code ?? ''}`));
    if (withApp) evidence.push(probeEv(withApp, `with the application password → ${withApp.status}`));
    if (bridged) evidence.push(...bridged.evidence);
    const status403 = first.status === 403 ? ' It answers 403 ("you may not"), not 401 ("who are you?"): the block is a policy, not a missing login form.' : '';
    return [
      {
        id: 'plugin.rest.blocked-for-anonymous',
        severity: 'error',
        layer: 'plugin',
        culprit: bridged ? blamedCulprit(bridged.who) : verdict.culprit,
        title: `The REST API refuses visitors who are not logged in (${err.code})`,
        explanation:
          `${describe(f, first)} with the REST error "${err.code}" ("${err.message.slice(0, 160)}"). WordPress keeps the REST index and published content public by itself, so this refusal is added by code hooked into rest_authentication_errors. ` +
          (bridged
            ? bridged.certain
              ? `The companion plugin saw which callback returned it: ${blamedWords(bridged.who)}. `
              : `The companion plugin shows one callback outside core on rest_authentication_errors: ${blamedWords(bridged.who)}. `
            : verdict.words) +
          status403 +
          (appOk ? ' Logged-in requests (the application password) still pass, so themes, blocks and apps that read the REST API anonymously break while admins see nothing wrong.' : ''),
        evidence,
        fixes: [
          ...(bridged ? [`Look at the REST-access setting of ${bridged.who.slug}${bridged.who.file ? ` (${bridged.who.file})` : ''}; ${switchOffWords(bridged.who)}.`] : []),
          ...settingsFix(matches),
          `Search the plugins, mu-plugins and theme for the code: \`grep -rn "${err.code}" wp-content/\`.`,
          'If the restriction is intended, allow the routes your front end and integrations need (most REST-restriction plugins have an allow list).',
          ...isolateHint(obs),
        ],
        // likely from the catalog only with a verified mark of one plugin alone, seen installed (catalogVerdict)
        confidence: bridged ? 'likely' : verdict.confidence,
      },
    ];
  },
};
