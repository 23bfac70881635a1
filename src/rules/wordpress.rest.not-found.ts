// /wp-json/ answers 404 on a WordPress site: pretty permalinks are off or the
// server does not route /wp-json/ to WordPress, so REST clients fail (often
// reported as "authentication failed" by apps).
import type { Rule } from './types.js';
import { probeEv } from './util.js';

export const restNotFoundRule: Rule = {
  meta: { id: 'wordpress.rest.not-found', title: 'REST API not reachable at /wp-json/', layer: 'server', requires: ['probes'] },
  evaluate(obs, f) {
    if (obs.discovery.wordpress !== 'yes') return [];
    const idx = f.find('wp-json/') ?? f.find('wp-json/', 'basic-site');
    if (idx?.status !== 404) return [];
    return [
      {
        id: 'wordpress.rest.not-found',
        severity: 'warning',
        layer: 'server',
        culprit: { kind: 'htaccess', name: 'mod_rewrite', file: '.htaccess' },
        title: '/wp-json/ answers 404',
        explanation: 'The REST API is not reached under /wp-json/: pretty permalinks are off, or the server does not pass /wp-json/ to WordPress (missing rewrite rules). Clients then get 404 — some report it as a failed login. A 404 is not a 401: nothing asked for credentials.',
        evidence: [probeEv(idx, `GET /wp-json/ → 404`)],
        fixes: ['Settings → Permalinks → Save (rewrites .htaccess with the `# BEGIN WordPress` block), and make sure AllowOverride permits it; on nginx use `try_files $uri $uri/ /index.php?$args;`.', 'Clients can use ?rest_route=/ meanwhile.'],
        confidence: 'likely',
      },
    ];
  },
};
