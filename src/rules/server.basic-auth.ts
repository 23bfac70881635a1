// HTTP basic auth in front of WordPress: a site-wide staging lock or a zone
// (usually /wp-admin/ from an .htaccess file). The 401 carries a Basic
// challenge, so the web server (or an edge) asked — WordPress never saw it.
// With the companion plugin that is proven, not inferred: the challenged
// probes have no ledger entry (they never reached PHP) while others do, and
// the bridge's reading of the .htaccess files names the file and directives.
// A challenge PHP wrote (WordPress's marks on the 401, or a ledger entry) is
// a plugin's lock, not the server's: plugin.basic-auth.php-lock reports it.
import type { Culprit, Evidence, Finding, Probe } from '../model.js';
import { authDirectives, ledgerEv } from '../facts/bridge.js';
import { phpChallenged } from './plugin.basic-auth.php-lock.js';
import { answeredBy } from '../facts/answered-by.js';
import type { Facts } from '../facts/index.js';
import type { Rule } from './types.js';
import { describe, headerEv, noteEv, probeEv } from './util.js';

function zonePrefix(paths: string[]): string {
  // the smallest directory prefix all challenged paths share
  const dirs = paths.map((p) => p.replace(/[?#].*$/, '').split('/').slice(0, -1));
  const first = dirs[0] ?? [];
  let n = first.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && d[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join('/') + (n > 0 ? '/' : '');
}

function culpritFor(f: Facts, prefix: string): { culprit: Culprit; layer: Finding['layer'] } {
  if (f.front.software === 'cdn' || f.front.proxyMarks.some((m) => m !== 'x-proxy-cache' && !m.startsWith('via'))) {
    return { culprit: { kind: 'proxy', name: 'basic auth at the edge' }, layer: 'edge' };
  }
  if (f.front.software === 'nginx') return { culprit: { kind: 'server-config', name: 'auth_basic', file: prefix ? `location /${prefix}` : 'server block' }, layer: 'server' };
  return { culprit: { kind: 'htaccess', name: 'AuthType Basic', file: `${prefix}.htaccess` }, layer: 'server' };
}

/** What the bridge adds: where the challenge came from, proven by the ledger and the .htaccess files it read. */
function fromBridge(f: Facts, challenged: Probe[], prefix: string): { culprit: Culprit; layer: Finding['layer']; evidence: Evidence[] } | null {
  const bridge = f.bridge;
  if (!bridge?.hasLedger) return null;
  // (a challenge that reached PHP is a plugin's: plugin.basic-auth.php-lock)
  const never = challenged.filter((p) => bridge.reachedPhp(p) === false);
  if (never.length === 0) return null;
  const seen = [...f.byId.values()].filter((p) => bridge.reachedPhp(p) === true).length;
  const evidence: Evidence[] = [
    ...never.slice(0, 3).map((p) => ledgerEv(p, null)),
    noteEv(`the companion plugin's ledger has no entry for ${never.length === 1 ? 'this request' : `these ${never.length} requests`}: ${never.length === 1 ? 'it' : 'they'} never reached PHP — the web server answered the challenge itself${seen ? `, while ${seen} other request${seen === 1 ? '' : 's'} of this scan did reach PHP` : ''}`),
  ];
  const dirOf = (file: string) => file.replace(/^home:/, '').replace(/\.htaccess$/, '');
  const withAuth = bridge.htaccess.filter((h) => h.directives.some((d) => /^authtype$/i.test(d.directive)) && prefix.startsWith(dirOf(h.file)));
  const file = withAuth.sort((a, b) => dirOf(b.file).length - dirOf(a.file).length)[0];
  if (file) {
    const type = file.directives.find((d) => /^authtype$/i.test(d.directive))?.args ?? 'Basic';
    evidence.push({ kind: 'bridge', fact: `htaccess.${file.file}`, value: authDirectives(file).map((d) => `${d.line}: ${d.section ? `${d.section} ` : ''}${d.directive} ${d.args}`) });
    return { culprit: { kind: 'htaccess', name: `AuthType ${type}`, file: file.file.replace(/^home:/, '') }, layer: 'server', evidence };
  }
  if (bridge.proxyMarks.length > 0) {
    evidence.push(...bridge.proxyMarks.map((m) => noteEv(`a proxy in front: ${m}`)));
    return { culprit: { kind: 'proxy', name: 'basic auth at the edge' }, layer: 'edge', evidence };
  }
  evidence.push(noteEv('no .htaccess file the companion plugin read (docroot, wp-admin/) has Auth directives: the zone is in the server configuration (vhost)'));
  const nginx = /nginx/i.test(bridge.env.server.software);
  return { culprit: nginx ? { kind: 'server-config', name: 'auth_basic', file: prefix ? `location /${prefix}` : 'server block' } : { kind: 'server-config', name: 'AuthType Basic', file: 'vhost' }, layer: 'server', evidence };
}

export const basicAuthRule: Rule = {
  meta: { id: 'server.basic-auth', title: 'HTTP basic auth in front of WordPress', layer: 'server', requires: ['probes'] },
  evaluate(obs, f) {
    const anon = obs.probes.filter((p) => p.auth === 'none' && (p.source === 'core' || p.source === 'discover' || p.source === 'crawl') && p.method === 'GET');
    // A challenge PHP wrote (WordPress's marks, or the ledger) is a plugin's lock: plugin.basic-auth.php-lock.
    const fromPhp = new Set(phpChallenged(obs.probes, f));
    const challenged = anon.filter((p) => f.basicChallenge(p) && !fromPhp.has(p));
    if (challenged.length === 0) return [];
    const first = challenged[0] as Probe;
    const realm = f.basicChallenge(first)?.realm ?? null;
    const realmWords = realm !== null ? `realm "${realm}"` : 'no realm';
    const paths = [...new Set(challenged.map((p) => f.pathOf(p)))];
    const homeLocked = challenged.some((p) => f.pathOf(p) === '');
    const prefix = homeLocked ? '' : zonePrefix(paths);
    const inside = fromBridge(f, challenged, prefix);
    // Without the ledger, the server is named from its own 401 page; a page with no mark of either is also what a PHP lock with a page of its own sends.
    const unmarked = !inside && challenged.every((p) => answeredBy(p).by === 'unknown');
    const { culprit, layer } = inside ?? culpritFor(f, prefix);
    const withSite = obs.probes.filter((p) => p.auth === 'basic-site');
    const siteOk = withSite.some((p) => paths.includes(f.pathOf(p)) && !f.basicChallenge(p) && p.status > 0);
    const siteRefused = withSite.filter((p) => f.basicChallenge(p));
    const evidence: Evidence[] = [...challenged.slice(0, 4).map((p) => probeEv(p, describe(f, p))), ...headerEv(first, 'www-authenticate'), ...(inside?.evidence ?? [])];
    const findings: Finding[] = [];
    const ajaxLocked = paths.some((p) => p.startsWith('wp-admin/admin-ajax.php'));
    const restLocked = paths.some((p) => p.startsWith('wp-json'));
    const apacheFixes =
      culprit.kind === 'htaccess'
        ? homeLocked
          ? [
              `This is the staging lock in ${culprit.file} (AuthType Basic, AuthName "${realm ?? ''}"). If it is intended, keep it and give every tool its user and password; wp401 reads them from WP401_HTTP_USER / WP401_HTTP_PASSWORD.`,
              'To let REST clients and AJAX through while the rest stays locked (Apache 2.4), add after the Require line: `SetEnvIf Request_URI "^/(wp-json/|wp-admin/admin-ajax\\.php)" wp401_open` and `<RequireAny>` `Require env wp401_open` `Require valid-user` `</RequireAny>`.',
            ]
          : [
              `The zone comes from ${culprit.file} (AuthType Basic, AuthName "${realm ?? ''}"): remove the Auth* and Require lines there if the second password is not wanted.`,
              ...(ajaxLocked
                ? ['Keep the zone but let admin-ajax.php through, which every visitor\'s front-end features call: add `<Files "admin-ajax.php">` `Require all granted` `</Files>` to the same .htaccess.']
                : []),
            ]
        : culprit.kind === 'server-config'
          ? [`Remove or narrow the nginx \`auth_basic "${realm ?? ''}";\` / \`auth_basic_user_file\` lines in ${culprit.file}.`]
          : ['The challenge comes from a proxy or CDN in front of the site (its access rules): exempt these paths there, or give the scan the credentials it asks for.'];
    findings.push({
      id: homeLocked ? 'server.basic-auth.site-lock' : 'server.basic-auth.zone',
      severity: 'error',
      layer,
      culprit,
      title: homeLocked ? `The whole site asks for an HTTP password (${realmWords})` : `/${prefix} asks for an HTTP password (${realmWords})`,
      explanation:
        `${homeLocked ? 'Every path' : `Paths under /${prefix}`} answer 401 with a Basic challenge (${realmWords}) before WordPress runs: the browser shows its own password box, and WordPress's login, cookies and application passwords never come into play until it is answered. ` +
        (ajaxLocked ? 'admin-ajax.php is inside it, so front-end features that call it ask every visitor for this password. ' : '') +
        (restLocked ? 'The REST API is inside it, so apps and the block editor outside the lock get 401. ' : '') +
        (inside?.layer === 'server' ? `The companion plugin confirms it: these requests never reached PHP${culprit.kind === 'htaccess' ? `, and ${culprit.file} holds the AuthType, AuthName and Require lines` : ''}. ` : '') +
        (unmarked
          ? 'The 401 page carries no mark of the web server (its own error page) nor of WordPress: possible too, a plugin sending the challenge from PHP with a page of its own; the .htaccess files and the plugin list tell them apart. '
          : '') +
        (siteOk ? 'The HTTP credentials you gave pass it.' : withSite.length ? '' : 'No HTTP credentials were given to the scan (WP401_HTTP_USER / WP401_HTTP_PASSWORD).'),
      evidence,
      fixes: apacheFixes,
      confidence: unmarked ? 'possible' : 'likely',
    });
    if (siteRefused.length > 0 && !siteOk) {
      findings.push({
        id: 'server.basic-auth.credentials-refused',
        severity: 'error',
        layer,
        culprit: { kind: 'credential', name: 'http basic auth' },
        title: `The HTTP credentials given are refused (${realmWords})`,
        explanation: `With WP401_HTTP_USER / WP401_HTTP_PASSWORD the server still answers 401 with the same challenge: the user or password is wrong for this realm, so the browser would keep asking (a basic-auth loop).`,
        evidence: siteRefused.slice(0, 3).map((p) => probeEv(p, describe(f, p))),
        fixes: ['Check the user and password against the AuthUserFile (htpasswd) the zone names; recreate them with `htpasswd` if unsure.'],
        confidence: 'likely',
      });
    }
    return findings;
  },
};
