// No false green: a request that should pass with the credentials the user
// gave, and was refused, is always an error finding — explained by another
// rule, or stated plainly here as refused and not yet explained.
//
// Which requests "should pass" (from WordPress core, for any user role):
//   - the REST index and /wp/v2/users/me with the application password: core
//     authenticates the user (wp_authenticate_application_password on
//     determine_current_user) and users/me answers any logged-in user;
//     other routes need capabilities the user may lack, so they are left out;
//   - /wp-admin/ with the login cookies: any logged-in user reaches it
//     (a subscriber gets the profile screen); users/me with the cookies but
//     no nonce is anonymous by design (rest_cookie_check_errors), so it is
//     left out too; with a nonce a few seconds old (the HTTP login's nonce
//     check, like the browser's REST probe) it passes for any logged-in user;
//   - a login with the given password, over HTTP or in the browser, must end
//     logged in: a lockout page, a second step, a refusal or a lost cookie
//     all leave the user outside.
// This check runs after every other rule and reads their findings: a refused
// request an error finding already cites (by probe) is explained; a failed
// login (HTTP or browser) is explained by any other error finding, since the
// login rules cite the page's message, not the probe.
import type { Evidence, Finding, Probe } from '../model.js';
import type { Observations } from '../observations/index.js';
import type { Facts } from '../facts/index.js';
import { bridgeStatusOf } from '../facts/bridge-status.js';
import { isolateHint } from './util.js';

export const UNEXPLAINED_REFUSAL_ID = 'auth.refused.unexplained';

const SHOULD_PASS_APP_PASSWORD = [/^wp-json\/?$/, /^wp-json\/wp\/v2\/users\/me$/, /^\?rest_route=%2F(?:wp%2Fv2%2Fusers%2Fme)?$/, /^\?rest_route=\/(?:wp\/v2\/users\/me)?$/];

interface Refusal {
  what: string;
  probe?: Probe;
  /** the layers that can produce it, most likely first (what the answer itself separates) */
  layers: Finding['layer'][];
}

function refused(p: Probe): boolean {
  if (p.error) return false; // a network failure is another rule's (unreachable, timeout)
  if (p.status >= 400) return true;
  // Sent somewhere else (a login wall, a lock's page) instead of being answered.
  const asked = new URL(p.url);
  const got = new URL(p.finalUrl || p.url);
  return p.chain.length > 1 && (asked.pathname !== got.pathname || asked.search !== got.search);
}

function describe(p: Probe): string {
  const code = p.body?.restError?.code;
  const page = p.body?.pageKind;
  const where = p.chain.length > 1 ? ` (sent on to ${p.finalUrl})` : '';
  return `${p.method} ${p.url} with ${p.auth === 'cookie' ? 'the login cookies' : 'the application password'} → HTTP ${p.status}${code ? ` ${code}` : ''}${page && page !== 'other' ? `, a ${page} page` : ''}${where}`;
}

/** Which layers can have refused a request, as far as its answer shows. */
function probeLayers(p: Probe, facts: Facts): Finding['layer'][] {
  const reached = facts.bridge?.reachedPhp(p);
  const wordpressAnswered = reached === true || p.body?.restError !== undefined || ['wp-die', 'wp-login', 'wp-admin', 'wordpress', 'rest-json'].includes(p.body?.pageKind ?? '');
  if (wordpressAnswered) return ['plugin', 'wordpress'];
  if (reached === false || ['apache-error', 'nginx-error'].includes(p.body?.pageKind ?? '') || facts.basicChallenge(p)) return facts.front.proxied ? ['edge', 'server'] : ['server', 'edge'];
  return ['plugin', 'wordpress', 'server', 'edge'];
}

/**
 * A login that did not end logged in. Core has no lockout and no second step:
 * those are a plugin's (or a WAF's, when the page is not WordPress's). A
 * session cookie that never came back was lost on the way (a cache or proxy
 * in front, or the cookie's own scope), not refused by WordPress.
 */
function loginLayers(outcome: string, p: Probe | undefined, facts: Facts): Finding['layer'][] {
  switch (outcome) {
    case 'blocked':
    case 'interstitial':
      return p && !['wp-login', 'wp-die', 'wp-admin', 'wordpress'].includes(p.body?.pageKind ?? '') ? ['edge', 'server', 'plugin'] : ['plugin'];
    case 'cookies-blocked':
    case 'loop':
      return facts.front.proxied ? ['edge', 'browser', 'wordpress', 'plugin'] : ['browser', 'wordpress', 'plugin', 'edge'];
    case 'wrong-credentials':
      return ['wordpress', 'plugin'];
    default:
      return ['wordpress', 'plugin', 'server', 'edge'];
  }
}

const LAYER_WORDS: Record<Finding['layer'], string> = {
  browser: 'the cookie itself (its domain, path or Secure flag)',
  network: 'the network',
  edge: 'a proxy, cache or WAF in front of the site',
  server: 'the web server',
  wordpress: 'WordPress core',
  plugin: 'a plugin',
};

export function unexplainedRefusals(obs: Observations, facts: Facts, findings: readonly Finding[]): Finding[] {
  const errors = findings.filter((f) => f.severity === 'error');
  const cited = new Set<string>();
  for (const f of errors) for (const e of f.evidence) if ('probe' in e && e.probe) cited.add(e.probe);

  const refusals: Refusal[] = [];
  for (const p of obs.probes) {
    const path = facts.pathOf(p);
    const shouldPass =
      (p.auth === 'app-password' && p.method === 'GET' && SHOULD_PASS_APP_PASSWORD.some((re) => re.test(path))) ||
      (p.auth === 'cookie' && p.method === 'GET' && /^wp-admin\/?$/.test(path));
    if (shouldPass && refused(p) && !cited.has(p.id)) refusals.push({ what: describe(p), probe: p, layers: probeLayers(p, facts) });
  }
  const login = obs.login;
  // Login rules cite what the login page said rather than its probe: a failed
  // login counts as explained by any other error finding.
  if (login && login.outcome !== 'success' && login.outcome !== 'skipped' && errors.length === 0) {
    const p = facts.byId.get(login.probe);
    refusals.push({ what: `the HTTP login ended "${login.outcome}"${login.message ? ` — the page said: "${login.message.slice(0, 160)}"` : ''}`, probe: p, layers: loginLayers(login.outcome, p, facts) });
  }
  const b = obs.browser;
  if (b && b.login.outcome !== 'success' && b.login.outcome !== 'not-attempted' && errors.length === 0) {
    refusals.push({ what: `the browser login ended "${b.login.outcome}"${b.login.message ? ` — the page said: "${b.login.message.slice(0, 160)}"` : ''}`, layers: loginLayers(b.login.outcome, undefined, facts) });
  }
  const fresh = b?.rest?.attempts.find((a) => a.nonce === 'fresh');
  if (fresh && fresh.status >= 400 && errors.length === 0) {
    refusals.push({ what: `REST users/me from the logged-in browser with a fresh nonce → HTTP ${fresh.status}${fresh.code ? ` ${fresh.code}` : ''}`, layers: fresh.code ? ['plugin', 'wordpress'] : ['plugin', 'wordpress', 'server', 'edge'] });
  }
  // The HTTP login's nonce check (src/gather/nonce.ts): users/me with the
  // login cookies and a nonce at most a few seconds old passes for any logged-in
  // user (rest_cookie_check_errors); like the browser's, counted when no other
  // error finding speaks for the site.
  for (const a of obs.login?.restNonce?.attempts ?? []) {
    if (a.status < 400 || errors.length > 0 || cited.has(a.probe)) continue;
    const p = facts.byId.get(a.probe);
    refusals.push({
      what: `REST users/me with the login cookies and ${a.nonce === 'fresh' || a.nonce === 'renewed' ? 'a fresh nonce' : `a nonce ${Math.round(a.nonceAgeMs / 100) / 10} s old`} → HTTP ${a.status}${a.code ? ` ${a.code}` : ''}`,
      probe: p,
      layers: a.code ? ['plugin', 'wordpress'] : ['plugin', 'wordpress', 'server', 'edge'],
    });
  }
  if (refusals.length === 0) return [];

  const evidence: Evidence[] = refusals.map((r) => (r.probe ? { kind: 'probe', probe: r.probe.id, note: r.what } : { kind: 'note', text: r.what }));
  // Candidates: the layers every refusal allows, most likely first; the
  // finding names the first and the explanation all of them.
  const candidates = [...new Set(refusals.flatMap((r) => r.layers))];
  const layer = candidates[0] as Finding['layer'];
  return [
    {
      id: UNEXPLAINED_REFUSAL_ID,
      severity: 'error',
      layer,
      culprit: null,
      title: 'Requests that should pass with your credentials were refused, and no rule explains why yet',
      explanation: `With the credentials you gave, ${refusals.length === 1 ? 'this should have passed' : `these ${refusals.length} should have passed`} for any WordPress user: ${refusals.map((r) => r.what).join('; ')}. ${
        candidates.length === 1 ? `What the answers show points at ${LAYER_WORDS[layer]}` : `Possible: ${candidates.map((l) => LAYER_WORDS[l]).join(', or ')} — the answers do not tell them apart yet`
      }. This is not a clean bill of health: the site refuses legitimate logins or API calls.`,
      evidence,
      fixes: [
        'Open the listed requests in the report (Requests section): the status, the page or REST error code, and the headers show who answered.',
        ...(bridgeStatusOf(obs).status === 'ok'
          ? obs.experiments.length > 0
            ? []
            : ['Scan again with --isolate: the companion plugin answered; its replays switch plugins off one request at a time to find the one responsible.']
          : isolateHint(obs)),
      ],
      confidence: 'possible',
    },
  ];
}
