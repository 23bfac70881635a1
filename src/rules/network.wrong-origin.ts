// The request did not reach this WordPress: a captive portal or a login wall
// of another host answered, or the site's own idea of its address differs
// from where we reached it (stale DNS, a hosts-file entry, the wrong origin).
import type { Evidence, Finding, Probe } from '../model.js';
import type { Rule } from './types.js';
import { noteEv, probeEv } from './util.js';

export const wrongOriginRule: Rule = {
  meta: { id: 'network.wrong-origin', title: 'Captive portal, stale DNS or the wrong origin', layer: 'network', requires: ['probes'] },
  evaluate(obs, f) {
    const findings: Finding[] = [];
    const portal = obs.probes.filter((p) => p.body?.pageKind === 'captive-portal' || p.body?.pageKind === 'login-wall-other-host' || p.status === 511);
    if (portal.length) {
      const first = portal[0] as Probe;
      findings.push({
        id: 'network.captive-portal',
        severity: 'error',
        layer: 'network',
        culprit: null,
        title: first.body?.pageKind === 'login-wall-other-host' ? 'A login page of another host answers instead of the site' : 'A captive portal answers instead of the site',
        explanation:
          'Some answers are not from this WordPress at all: a Wi-Fi/hotel/corporate portal or a login wall on another host intercepts the request. Its "log in" is not WordPress\'s, and every 401 behind it says nothing about the site.',
        evidence: portal.slice(0, 3).map((p) => probeEv(p, `${p.method} /${f.pathOf(p)} → ${p.status} (${p.body?.pageKind ?? `status ${p.status}`}), ended at ${p.finalUrl}`)),
        fixes: ['Sign in to the network portal (or use another network / turn the VPN off or on), then scan again.'],
        confidence: 'likely',
      });
    }
    const home = f.restIndex?.home;
    if (home) {
      let homeHost = '';
      try {
        homeHost = new URL(home).hostname.toLowerCase();
      } catch {
        // not a URL: nothing to compare
      }
      if (homeHost && homeHost !== f.host) {
        const evidence: Evidence[] = [noteEv(`the REST index says home is ${home}; the scan reached it as ${f.base}`)];
        const idx = f.find('wp-json/') ?? f.find('wp-json/', 'basic-site');
        if (idx) evidence.unshift(probeEv(idx));
        findings.push({
          id: 'network.wrong-origin',
          severity: 'warning',
          layer: 'network',
          culprit: { kind: 'wp-config', name: 'WP_HOME' },
          title: `The site believes it lives at ${homeHost}, but was reached as ${f.host}`,
          explanation:
            'WordPress builds its login redirects and cookie scope from its home/site URL. Reached under another name (stale DNS, a hosts-file entry, an IP address, the origin behind a CDN), logins redirect away or set cookies for the other host, which looks like a 401 or a login loop.',
          evidence,
          fixes: ['Scan (and browse) the site under its real address, or fix DNS / the hosts file.', `If the address changed on purpose, update WP_HOME and WP_SITEURL (Settings → General) to ${f.base.replace(/\/$/, '')}.`],
          confidence: 'possible',
        });
      }
    }
    return findings;
  },
};
