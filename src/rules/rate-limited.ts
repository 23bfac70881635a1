// The login answers 429 (or 403/503 with Retry-After or a lockout message):
// a login limiter has locked this address out. Not a wrong password, not a
// broken login — wait, or clear the lockout.
import { pluginsBySlugs, pluginsByText } from '../catalog/index.js';
import type { Evidence, Probe } from '../model.js';
import type { Rule } from './types.js';
import { catalogWords, headerEv, ISOLATE_HINT, noteEv, pluginCulprit, probeEv, settingsFix } from './util.js';

const LOCKOUT_TEXT = /too many (failed )?login|locked out|lockout|exceeded (the )?maximum login|try again in/i;

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
    const matches = byText.length ? byText : bySlug;
    const wpPage = first.body?.pageKind === 'wp-die' || first.body?.pageKind === 'wp-login';
    const edge = !wpPage && (f.front.software === 'cdn' || f.front.proxyMarks.includes('cf-ray'));
    const retry = first.headers['retry-after']?.[0];
    const posts = obs.probes.filter((p) => p.method === 'POST' && p.source === 'login').length;
    const evidence: Evidence[] = [
      ...limited.slice(0, 3).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} → ${p.status}`)),
      ...headerEv(first, 'retry-after'),
      noteEv(`wp401 posted the login form ${posts} time${posts === 1 ? '' : 's'} in this scan (never more than once) and honours Retry-After: the lockout comes from earlier attempts`),
    ];
    if (words) evidence.push(noteEv(`the page says: "${words.slice(0, 160)}"`));
    return [
      {
        id: 'plugin.login.rate-limited',
        severity: 'error',
        layer: edge ? 'edge' : 'plugin',
        culprit: edge ? { kind: 'proxy', name: 'rate limit' } : pluginCulprit(matches),
        title: `The login is locked out (${first.status}${retry ? `, Retry-After ${retry}` : ''})`,
        explanation:
          `wp-login.php answers ${first.status}${first.status === 429 ? ' Too Many Requests' : ''} before checking any password: ${edge ? 'a rate limit at the CDN/WAF' : 'a login limiter'} has locked this address out after failed logins. ` +
          'This is not a 401: the password was never judged, so changing it does not help. wp401 stopped there rather than retrying. ' +
          (edge ? '' : catalogWords(matches, 'limits login attempts')),
        evidence,
        fixes: [
          retry ? `Wait for the lockout to end (Retry-After: ${retry}${/^\d+$/.test(retry) ? ' seconds' : ''}), then log in once with the right password.` : 'Wait for the lockout to end, then log in once with the right password.',
          ...settingsFix(matches),
          'Clear the lockout or allow-list your address in the limiter\'s settings; tools that retry logins (password managers, uptime checks, old app passwords) are the usual cause of repeated failures.',
          ...(edge || matches.length ? [] : [ISOLATE_HINT]),
        ],
        confidence: matches.length || first.status === 429 ? 'likely' : 'possible',
      },
    ];
  },
};
