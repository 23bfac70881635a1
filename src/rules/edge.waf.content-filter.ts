// A WAF (a request-content filter) refuses the login: requests to a path
// WordPress itself answers are refused, with the web server's own error page
// instead of WordPress's, when they carry certain content (a query string,
// a form post).
//
// The mechanism, from ModSecurity's and the OWASP CRS's documentation:
// ModSecurity runs inside the web server (Apache's mod_security2, nginx's
// connector) and inspects each request's arguments (ARGS: query string and
// form body) in its request phases, before the content handler — PHP — runs.
// The CRS scores matching rules (anomaly scoring) and its blocking rule 949110
// denies the request with the status set in SecDefaultAction (403 as shipped),
// which the server answers with its own error page. Nothing of that reaches
// the client except the status and the server's page: ModSecurity adds no
// header of its own (SecServerSignature only rewrites Server when set), and
// the matched rule ids are written to the server's audit/error log only. So
// from outside the only separable claim is "a filter in front of PHP refused
// these requests for their content" — a WAF inside the server or a proxy in
// front, or a server rewrite rule on the query string; the path itself is
// not what is refused, since the same path without that content is answered
// by WordPress. One CRS rule is recognisable from the request alone: 931100
// ("Possible Remote File Inclusion: URL Parameter using IP Address",
// REQUEST-931-APPLICATION-ATTACK-RFI.conf) matches any argument starting with
// http(s)://<IPv4>, such as WordPress's own redirect_to on a site served by its
// IP address.
// With the companion plugin: the refused requests never reached PHP (no
// ledger entry) while the same path did, and PHP runs inside the very server
// that answered (its SERVER_SOFTWARE is the outside Server header, no proxy
// marks arrive): the filter is in that web server's configuration — on Apache
// that is ModSecurity (named as possible: a RewriteCond on the query string
// with [F] in the server config answers the same way; the .htaccess files the
// bridge read hold no such rule).
import type { Culprit, Evidence, Probe } from '../model.js';
import type { Facts } from '../facts/index.js';
import type { Observations } from '../observations/index.js';
import { ledgerEv } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { headerEv, noteEv, probeEv } from './util.js';

const SERVER_PAGES = new Set(['apache-error', 'nginx-error']);
const WP_PAGES = new Set(['wp-login', 'wordpress', 'wp-admin', 'wp-die', 'rest-json']);
/** CRS 931100's pattern (REQUEST-931-APPLICATION-ATTACK-RFI.conf). */
const IP_URL = /^(?:file|ftps?|https?):\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/i;

export interface ContentRefusal {
  /** refused requests, answered by the server's error page */
  refused: Probe[];
  /** for each refused path, a request to it that WordPress answered */
  passed: Probe[];
  /** a refused GET whose path without its query string passed: the content, not the path or method, is refused */
  byQuery: boolean;
  /** query arguments of refused requests that CRS rule 931100 matches */
  ipUrlArgs: string[];
}

const finalPath = (p: Probe) => new URL(p.finalUrl || p.url).pathname;
const finalQuery = (p: Probe) => new URL(p.finalUrl || p.url).search;

/** Requests refused with a server error page whose path WordPress answers otherwise; null when there are none. */
export function contentRefusals(obs: Observations, f: Facts): ContentRefusal | null {
  const refused = obs.probes.filter((p) => !p.error && (p.status === 403 || p.status === 406) && SERVER_PAGES.has(p.body?.pageKind ?? '') && !f.basicChallenge(p));
  if (refused.length === 0) return null;
  const answered = obs.probes.filter((p) => p.status < 400 && p.chain.length === 1 && (WP_PAGES.has(p.body?.pageKind ?? '') || f.bridge?.reachedPhp(p) === true));
  const passed: Probe[] = [];
  const hits: Probe[] = [];
  let byQuery = false;
  for (const r of refused) {
    const ok = answered.find((a) => new URL(a.url).pathname === finalPath(r) && (a.method !== r.method || new URL(a.url).search !== finalQuery(r)));
    if (!ok) continue;
    hits.push(r);
    if (!passed.includes(ok)) passed.push(ok);
    if (r.method === 'GET' && ok.method === 'GET' && finalQuery(r) !== '') byQuery = true;
  }
  if (hits.length === 0) return null;
  const ipUrlArgs = [...new Set(hits.flatMap((r) => [...new URL(r.finalUrl || r.url).searchParams].filter(([, v]) => IP_URL.test(v)).map(([k]) => k)))];
  return { refused: hits, passed, byQuery, ipUrlArgs };
}

export const wafContentFilterRule: Rule = {
  meta: { id: 'edge.waf.content-filter', title: 'A WAF refuses requests for their content', layer: 'edge', requires: ['probes'] },
  evaluate(obs, f) {
    const r = contentRefusals(obs, f);
    if (!r) return [];
    const login = r.refused.some((p) => /wp-login\.php$/.test(finalPath(p)));
    const bridge = f.bridge;
    // the ledger speaks of a probe's first hop: only refusals answered without a redirect are judged by it
    const direct = r.refused.filter((p) => p.chain.length === 1);
    const neverReached = bridge ? direct.filter((p) => bridge.ledger(p) === null) : [];
    // PHP runs inside the server that answered: same server family, no proxy marks inside or outside.
    const sameServer = bridge !== null && bridge.proxyMarks.length === 0 && f.front.proxyMarks.length === 0;
    const apache = /apache/i.test(bridge?.env.server.software ?? '');
    const inServer = bridge !== null && neverReached.length > 0 && sameServer;
    // .htaccess rules that refuse by themselves (a RewriteRule with [F], a Require/Deny), as far as the bridge read them
    const htaccessRead = (bridge?.htaccess.length ?? 0) > 0;
    const htaccessDeny = bridge?.htaccess.some((h) => h.directives.some((d) => (/^rewriterule$/i.test(d.directive) && /\[[^\]]*\bF\b/.test(d.args)) || /^(deny|require)$/i.test(d.directive))) ?? false;
    const culprit: Culprit = inServer && apache ? { kind: 'server-config', name: 'ModSecurity' } : inServer ? { kind: 'server-config', name: 'WAF' } : { kind: 'proxy', name: 'WAF' };
    const describe = (p: Probe) => `${p.method} ${new URL(p.finalUrl || p.url).pathname}${finalQuery(p) ? `?${finalQuery(p).slice(1, 120)}` : ''} → ${p.status}`;
    const evidence: Evidence[] = [
      ...r.refused.map((p) => probeEv(p, `${describe(p)}, the web server's own error page (no WordPress marks)`)),
      ...r.passed.map((p) => probeEv(p, `${p.method} ${new URL(p.url).pathname}${new URL(p.url).search} → ${p.status}, answered by WordPress`)),
      ...headerEv(r.refused[0] as Probe, 'server'),
    ];
    if (bridge) {
      for (const p of direct) {
        const e = bridge.ledger(p);
        if (e !== undefined) evidence.push(ledgerEv(p, e, ['reachedPhp']));
      }
      for (const p of r.passed.slice(0, 2)) {
        const e = bridge.ledger(p);
        if (e) evidence.push(ledgerEv(p, e, ['reachedPhp']));
      }
      evidence.push({ kind: 'bridge', fact: 'server.software', value: bridge.env.server.software }, { kind: 'bridge', fact: 'php.sapi', value: bridge.env.php.sapi });
    }
    if (r.ipUrlArgs.length) evidence.push(noteEv(`the refused URL carries ${r.ipUrlArgs.join(', ')}=http(s)://<IP address>…, what the OWASP CRS rule 931100 (remote file inclusion: URL parameter using an IP address) matches`));
    const what = r.byQuery
      ? 'The same path without that query string is answered by WordPress, so what is refused is the request\'s content, not the page or the method: the work of a request-content filter (a WAF).'
      : 'The same path is answered by WordPress for other requests (here: another method), so the refusal depends on the request itself: a request-content filter (a WAF) — or a rule limiting that method.';
    const where = inServer
      ? `The companion plugin's ledger shows that ${neverReached.length === direct.length ? (direct.length === 1 ? 'the refused request sent straight to the server never reached PHP' : 'none of the refused requests sent straight to the server reached PHP') : `${neverReached.length} of the ${direct.length} refused requests sent straight to the server never reached PHP`}, while the same path did, and PHP runs inside the very server that answered (${bridge?.env.server.software}, ${bridge?.env.php.sapi}) with no proxy in front: the filter sits in that web server's configuration${apache ? ` — on Apache, ModSecurity (possible: a RewriteCond on the query string with [F] in the server configuration answers the same way${htaccessRead ? (htaccessDeny ? '; the site\'s .htaccess has refusing rules too — read them' : '; the .htaccess files the companion plugin read hold no refusing rule') : ''})` : ''}.`
      : bridge && neverReached.length
        ? `The companion plugin's ledger shows the refused requests never reached PHP, and there are signs of a proxy in front: the WAF sits there or in the web server.`
        : 'From outside it cannot be told whether the filter is a module inside the web server (ModSecurity with the OWASP Core Rule Set is the common one) or a WAF/proxy in front of it: neither leaves its name on the answer.';
    return [
      {
        id: 'edge.waf.content-filter',
        severity: login ? 'error' : 'warning',
        layer: 'edge',
        culprit,
        title: login ? 'A WAF refuses the login before WordPress runs' : 'A WAF refuses some requests before WordPress runs',
        explanation:
          `${r.refused.length === 1 ? 'This request was' : `These ${r.refused.length} requests were`} answered ${[...new Set(r.refused.map((p) => p.status))].join('/')} with the web server's own error page, not by WordPress: ${r.refused.map(describe).join('; ')}. ${what} ${where}` +
          (r.ipUrlArgs.length ? ` The refused URL carries a parameter whose value is a URL with an IP address (${r.ipUrlArgs.join(', ')}); in the OWASP Core Rule Set that is rule 931100 — WordPress puts its own address in redirect_to, so a site reached by its IP address trips it on every login.` : ''),
        evidence,
        fixes: [
          'Look in the WAF\'s log for these requests to see which rule refused them (ModSecurity: the audit log / the web server\'s error log, "[id …]").',
          'ModSecurity + OWASP CRS: turn on the CRS WordPress exclusions (`tx.crs_exclusions_wordpress=1` in crs-setup.conf) and add an exclusion for the rule that fires on the login, e.g. `SecRuleUpdateTargetById 931100 "!ARGS:redirect_to"` — rather than switching the WAF off.',
          'A WAF in front (CDN, proxy): allow /wp-login.php and its redirect_to parameter in its rules.',
        ],
        confidence: 'possible',
      },
    ];
  },
};
