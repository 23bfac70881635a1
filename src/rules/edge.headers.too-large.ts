// 431, or a 400 "Request Header Or Cookie Too Large": the request's headers
// (usually the cookies) are over a server or proxy limit, and the session
// is lost. Also an oversized cookie the site sets itself.
import type { Evidence, Probe } from '../model.js';
import type { Rule } from './types.js';
import { probeEv } from './util.js';

const TOO_LARGE = /header (field )?(or cookie )?too large|request header or cookie too large|size of a request header field exceeds|header.*exceeds/i;

export const headerTooLargeRule: Rule = {
  meta: { id: 'edge.headers.too-large', title: 'Request headers or cookies too large', layer: 'edge', requires: ['probes'] },
  evaluate(obs, f) {
    const text = (p: Probe) => `${p.body?.title ?? ''} ${p.body?.excerpt ?? ''}`;
    const hit = obs.probes.filter((p) => p.status === 431 || (p.status === 400 && TOO_LARGE.test(text(p))));
    const oversized = f.setCookies.filter((c) => c.judgement.problems.some((p) => p.code === 'oversized'));
    if (hit.length === 0 && oversized.length === 0) return [];
    const first = hit[0];
    const evidence: Evidence[] = [
      ...hit.slice(0, 3).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} → ${p.status}`)),
      ...oversized.slice(0, 3).map((c): Evidence => ({ kind: 'cookie', name: c.judgement.name ?? '?', reason: `${c.judgement.valueLength} bytes: over the 4096-byte browser limit`, probe: c.probe })),
    ];
    const nginx = first ? (first.body?.pageKind === 'nginx-error' || f.front.software === 'nginx') : false;
    return [
      {
        id: 'edge.headers.too-large',
        severity: hit.length ? 'error' : 'warning',
        layer: hit.length && !f.front.proxied ? 'server' : 'edge',
        culprit: first ? { kind: nginx || f.front.proxied ? 'proxy' : 'server-config', name: nginx ? 'large_client_header_buffers' : 'LimitRequestFieldSize' } : { kind: 'cookie', name: oversized[0]?.judgement.name ?? '?' },
        title: first ? `Request headers too large (${first.status})` : 'The site sets a cookie larger than browsers keep',
        explanation: first
          ? `${first.status === 431 ? '431 Request Header Fields Too Large' : '400 with a "header or cookie too large" page'}: the request's headers — almost always the accumulated cookies — exceed a limit of the server or a proxy, which answers before WordPress runs. Browsers then look logged out or get 400/401 on every page. This is not a credential problem.`
          : 'A cookie over 4096 bytes is dropped (or truncated) by browsers, so whatever it carries — a session, a login state — is lost.',
        evidence,
        fixes: [
          'Clear the site\'s cookies in the browser to confirm; then find which plugin sets large or many cookies.',
          nginx ? 'nginx: raise `large_client_header_buffers 4 16k;` (http or server block).' : 'Apache: raise `LimitRequestFieldSize 16380` in the vhost.',
          'CDNs and load balancers have fixed header limits (often 8–16 KB): reducing cookies is the lasting fix.',
        ],
        confidence: 'likely',
      },
    ];
  },
};
