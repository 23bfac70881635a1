// A 401 on a page WordPress keeps public (the home page, the REST index)
// that is neither a Basic challenge nor a WordPress REST error: an access
// rule in front of WordPress (CDN/WAF access policy, SSO gateway, a server
// auth module) claims the path.
import type { Probe } from '../model.js';
import type { Rule } from './types.js';
import { headerEv, probeEv } from './util.js';

const PUBLIC = new Set(['', 'wp-json/', 'wp-login.php']);

export const publicPath401Rule: Rule = {
  meta: { id: 'edge.auth.public-path', title: 'An access rule in front of WordPress on public paths', layer: 'edge', requires: ['probes'] },
  evaluate(obs, f) {
    const hits = obs.probes.filter(
      (p) => (p.auth === 'none' || p.auth === 'basic-site') && p.status === 401 && PUBLIC.has(f.pathOf(p)) && !f.basicChallenge(p) && !p.body?.restError && p.body?.pageKind !== 'wp-login' && p.body?.pageKind !== 'wp-die',
    );
    if (hits.length === 0) return [];
    const first = hits[0] as Probe;
    const schemes = f.challenges(first).map((c) => c.scheme);
    const edge = f.front.proxied || f.front.software === 'cdn';
    return [
      {
        id: 'edge.auth.public-path',
        severity: 'error',
        layer: edge ? 'edge' : 'server',
        culprit: edge ? { kind: 'proxy', name: 'access rule' } : { kind: 'server-config', name: 'auth module' },
        title: `Public pages answer 401 before WordPress (${hits.map((p) => `/${f.pathOf(p)}`).join(', ')})`,
        explanation:
          `These paths are public in WordPress, but they answer 401${schemes.length ? ` with a ${schemes.join('/')} challenge` : ' with no challenge WordPress would send'} and a page that is not WordPress's. ` +
          (edge ? `An access policy at the proxy/CDN (${f.front.server ?? f.front.proxyMarks.join(', ')}) demands credentials first.` : 'A web-server auth module (SSO, mod_auth_*) demands credentials first.'),
        evidence: [...hits.slice(0, 3).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} → 401`)), ...headerEv(first, 'www-authenticate'), ...headerEv(first, 'server')],
        fixes: [
          edge
            ? 'Exclude the public paths (/, /wp-json/ for public routes, /wp-login.php) from the CDN/WAF access policy, or sign in to it first (Cloudflare Access, an SSO gateway).'
            : 'Look for auth directives (AuthType, Require) in the vhost or .htaccess covering these paths.',
        ],
        confidence: 'possible',
      },
    ];
  },
};
