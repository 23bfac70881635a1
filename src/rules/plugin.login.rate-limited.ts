// The login answers 429 (or 403/503 with Retry-After or a lockout message):
// a login limiter has locked this address out. Not a wrong password, not a
// broken login — wait, or clear the lockout. With the companion plugin the
// ledger names who set the 429 (or called wp_die), or else the plugin hooked
// on login_init / wp_login_failed.
import { pluginsBySlugs, pluginsByText } from '../catalog/index.js';
import type { Evidence, Probe } from '../model.js';
import { type Blamed, blamedCulprit, blamedWords } from '../facts/bridge.js';
import type { Facts } from '../facts/index.js';
import type { Rule } from './types.js';
import { catalogVerdict, headerEv, installedPlugins, isolateHint, noteEv, probeEv, settingsFix } from './util.js';

const LOCKOUT_TEXT = /too many (failed )?login|locked out|lockout|exceeded (the )?maximum login|try again in/i;

/** The limiter the bridge names: who set the status / died on the locked request, or the one plugin on the login hooks. */
function limiterByBridge(f: Facts, limited: Probe[]): { who: Blamed; evidence: Evidence[] } | null {
  const bridge = f.bridge;
  if (!bridge) return null;
  for (const p of limited) {
    const e = bridge.ledger(p);
    const who = e ? bridge.stopOwner(e) : null;
    if (e && who) return { who, evidence: [{ kind: 'bridge', fact: `ledger.${p.id}.statusSetBy`, value: { status: e.statusSetBy?.status ?? e.status, hook: who.hook, owner: who.slug, line: e.statusSetBy?.line ?? e.died?.line ?? null } }] };
  }
  const hooked = [...bridge.thirdParty('login_init'), ...bridge.thirdParty('wp_login_failed'), ...bridge.thirdParty('authenticate')];
  const owners = [...new Map(hooked.map((cb) => [cb.owner.slug, cb])).values()];
  const only = owners.length === 1 ? owners[0] : undefined;
  const who = only ? bridge.blame(only.owner, { callback: only.callback }) : null;
  return who ? { who, evidence: [{ kind: 'bridge', fact: 'hooks.login', value: hooked.map((cb) => `${cb.callback} (${cb.owner.slug ?? cb.owner.type})`) }] } : null;
}

export const rateLimitedRule: Rule = {
  meta: { id: 'plugin.login.rate-limited', title: 'Login locked out by a limiter', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const text = (p: Probe) => `${p.body?.title ?? ''} ${p.body?.excerpt ?? ''} ${String(p.body?.facts?.message ?? '')}`;
    const limited = obs.probes.filter((p) => {
      if (!f.pathOf(p).startsWith('wp-login.php') && p.source !== 'login') return false;
      if (p.status === 429) return true;
      return (p.status === 403 || p.status === 503) && (p.headers['retry-after'] !== undefined || LOCKOUT_TEXT.test(text(p)));
    });
    if (limited.length === 0) return [];
    const first = limited[0] as Probe;
    const words = text(first).trim();
    const byText = pluginsByText(words).filter((m) => m.plugin.category === 'login-lock' || m.plugin.category === 'security');
    const bySlug = pluginsBySlugs(obs.probes.flatMap((p) => (Array.isArray(p.body?.facts?.pluginSlugs) ? (p.body?.facts?.pluginSlugs as string[]) : []))).filter(
      (m) => m.plugin.category === 'login-lock' || m.plugin.category === 'security',
    );
    const installed = installedPlugins(obs, f);
    // the page's own text names the limiter; without it, limiters seen installed are the candidates
    const verdict = catalogVerdict(byText.length ? byText : bySlug, installed, 'limits login attempts');
    const matches = verdict.candidates;
    const wpPage = first.body?.pageKind === 'wp-die' || first.body?.pageKind === 'wp-login';
    const reached = f.bridge?.reachedPhp(first);
    const edge = reached === undefined ? !wpPage && (f.front.software === 'cdn' || f.front.proxyMarks.includes('cf-ray')) : !reached && f.bridge !== null && (f.bridge.proxyMarks.length > 0 || f.front.proxied);
    const bridged = edge ? null : limiterByBridge(f, limited);
    const retry = first.headers['retry-after']?.[0];
    const posts = obs.probes.filter((p) => p.method === 'POST' && p.source === 'login').length;
    const evidence: Evidence[] = [
      ...limited.slice(0, 3).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} → ${p.status}`)),
      ...headerEv(first, 'retry-after'),
      noteEv(`wp401 posted the login form ${posts} time${posts === 1 ? '' : 's'} in this scan (never more than once) and honours Retry-After: the lockout comes from earlier attempts`),
    ];
    if (words) evidence.push(noteEv(`the page says: "${words.slice(0, 160)}"`));
    if (bridged) evidence.push(...bridged.evidence);
    return [
      {
        id: 'plugin.login.rate-limited',
        severity: 'error',
        layer: edge ? 'edge' : 'plugin',
        culprit: edge ? { kind: 'proxy', name: 'rate limit' } : bridged ? blamedCulprit(bridged.who) : verdict.culprit,
        title: `The login is locked out (${first.status}${retry ? `, Retry-After ${retry}` : ''})`,
        explanation:
          `wp-login.php answers ${first.status}${first.status === 429 ? ' Too Many Requests' : ''} before checking any password: ${edge ? 'a rate limit at the CDN/WAF' : 'a login limiter'} has locked this address out after failed logins. ` +
          'This is not a 401: the password was never judged, so changing it does not help. wp401 stopped there rather than retrying. ' +
          (edge ? '' : bridged ? `The companion plugin names the limiter: ${blamedWords(bridged.who)}.` : verdict.words),
        evidence,
        fixes: [
          retry ? `Wait for the lockout to end (Retry-After: ${retry}${/^\d+$/.test(retry) ? ' seconds' : ''}), then log in once with the right password.` : 'Wait for the lockout to end, then log in once with the right password.',
          ...(bridged ? [`Clear the lockout in ${bridged.who.slug}'s settings (or its lockout table/transients), and allow-list your address there.`] : settingsFix(matches)),
          'Clear the lockout or allow-list your address in the limiter\'s settings; tools that retry logins (password managers, uptime checks, old app passwords) are the usual cause of repeated failures.',
          ...(edge || bridged || matches.length ? [] : isolateHint(obs)),
        ],
        // likely: the bridge named it, the page carries a verified mark of one installed limiter, or a 429 says "limited" by itself
        confidence: bridged || (!edge && byText.length > 0 && verdict.confidence === 'likely') || first.status === 429 ? 'likely' : 'possible',
      },
    ];
  },
};
