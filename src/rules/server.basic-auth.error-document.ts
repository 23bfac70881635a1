// A Basic challenge on an answer that is not a 401: a password-protected
// folder that shows WordPress's 404 page (or a redirect) instead of asking
// for its password.
//
// The mechanism (the HTTP and Apache documentation):
//   - a browser asks the user for a password only on a 401 (RFC 9110 §11.6.1,
//     §15.5.2): WWW-Authenticate on a 404, 200 or 3xx is ignored, so nobody can
//     ever enter the folder's password;
//   - Apache's authentication (mod_auth_basic) puts the challenge among the
//     headers kept for error answers and then serves the 401 through
//     ErrorDocument 401 when one is set (core docs, ErrorDocument: a 401's
//     document must be a local path). When that path does not exist under a
//     WordPress .htaccess, the rewrite rules hand it to index.php: WordPress
//     answers with its own status (404, or 301 from redirect_guess_404_permalink)
//     and the challenge stays attached;
//   - code sending WWW-Authenticate without a 401 (a plugin or script calling
//     header() on a normal answer) leaves the same trace: that is the other
//     candidate, named until the .htaccess is seen.
// With the companion plugin the .htaccess files it reads show an
// `ErrorDocument 401` line (the docroot's and wp-admin/'s; a folder of its
// own is not read).
import type { Culprit, Evidence, Probe } from '../model.js';
import { answeredBy } from '../facts/answered-by.js';
import type { Challenge } from '../parse/www-authenticate.js';
import type { Rule } from './types.js';
import { describe, headerEv, noteEv, probeEv } from './util.js';

const isChallenge = (c: Challenge) => /^(basic|digest)$/i.test(c.scheme);

export const errorDocumentRule: Rule = {
  meta: { id: 'server.basic-auth.error-document', title: 'A password challenge on an answer that is not a 401', layer: 'server', requires: ['probes'] },
  evaluate(obs, f) {
    const odd = obs.probes.filter((p) => p.status > 0 && p.status !== 401 && !p.error && p.auth !== 'basic-site' && f.challenges(p).some(isChallenge));
    if (odd.length === 0) return [];
    const first = odd[0] as Probe;
    const realm = f.challenges(first).find(isChallenge)?.realm ?? null;
    const realmWords = realm !== null ? `realm "${realm}"` : 'no realm';
    const paths = [...new Set(odd.map((p) => `/${f.pathOf(p)}`))];
    const byWordPress = odd.filter((p) => answeredBy(p).by === 'php');
    const what = (p: Probe) => (p.status >= 300 && p.status < 400 ? `a ${p.status} redirect${p.chain[0]?.location ? ` to ${p.chain[0].location}` : ''}` : `HTTP ${p.status}`);
    // the companion plugin's reading of the .htaccess files: an ErrorDocument 401 line
    const lines = (f.bridge?.htaccess ?? []).flatMap((h) => h.directives.filter((d) => /^errordocument$/i.test(d.directive) && /^401\s/.test(d.args)).map((d) => ({ file: h.file.replace(/^home:/, ''), d })));
    const line = lines[0];
    const culprit: Culprit = line ? { kind: 'htaccess', name: 'ErrorDocument 401', file: line.file } : { kind: 'htaccess', name: 'ErrorDocument 401' };
    const evidence: Evidence[] = [
      ...odd.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)} with a Basic challenge on a non-401 answer`)),
      ...headerEv(first, 'www-authenticate'),
      ...(byWordPress.length ? [noteEv(`WordPress wrote the answer: ${answeredBy(byWordPress[0] as Probe).marks.join('; ')}`)] : []),
      ...lines.slice(0, 2).map(({ file, d }) => ({ kind: 'bridge' as const, fact: `htaccess.${file}`, value: [`${d.line}: ${d.section ? `${d.section} ` : ''}${d.directive} ${d.args}`] })),
    ];
    return [
      {
        id: 'server.basic-auth.error-document',
        severity: 'error',
        layer: 'server',
        culprit,
        title: `${paths.slice(0, 2).join(', ')} ${paths.length === 1 ? 'asks' : 'ask'} for a password (${realmWords}) on ${what(first)}: no browser will show the password prompt`,
        explanation:
          `${paths.slice(0, 3).join(', ')} answered ${odd.map(what).filter((v, i, a) => a.indexOf(v) === i).join(' / ')}${byWordPress.length ? " (WordPress's own page)" : ''} while carrying WWW-Authenticate (${realmWords}). A browser asks for a password only on a 401, so this area cannot be opened by anyone, and visitors see a "not found" page instead of a password box. ` +
          'This is what Apache does when a folder is password-protected (AuthType Basic) and an `ErrorDocument 401` points at a document that does not exist: Apache hands its 401 to that path, WordPress\'s rewrite rules catch it, and WordPress answers with its own 404 or a redirect while the challenge stays attached. ' +
          (line
            ? `The companion plugin read it: ${line.file || '.htaccess'} line ${line.d.line} says \`ErrorDocument ${line.d.args}\`.`
            : 'Possible also: a plugin or script that sends WWW-Authenticate without the 401 status; the .htaccess files (the docroot\'s and the folder\'s) tell them apart.'),
        evidence,
        fixes: [
          line
            ? `Point \`ErrorDocument ${line.d.args}\` in ${line.file || '.htaccess'} at a file that exists (a static page, not a WordPress URL), or remove the line; in the protected folder's own .htaccess, \`ErrorDocument 401 default\` restores Apache's own 401.`
            : "Find the `ErrorDocument 401` line (in the docroot's .htaccess, the protected folder's, or the vhost): point it at a static file that exists, or remove it; `ErrorDocument 401 default` in the protected folder's .htaccess restores Apache's own 401.",
          `Then check that ${paths[0]} answers 401 and the browser asks for the password.`,
        ],
        confidence: line ? 'likely' : 'possible',
      },
    ];
  },
};
