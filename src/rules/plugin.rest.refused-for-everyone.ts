// The REST API is switched off for everyone: every REST request, those with
// an application password included, ends in a wp_die() page instead of a
// REST answer (the blunt "disable the REST API" plugins and snippets).
//
// Why this is a plugin and not WordPress core or the server (the mechanism):
//   - WordPress's REST server answers every request itself, refusals included,
//     as JSON with an error code (WP_REST_Server::serve_request, error_to_response);
//     it never prints an HTML page;
//   - wp_die() during a REST request prints WordPress's HTML page
//     (_default_wp_die_handler: <body id="error-page">) unless the client asked
//     for JSON, when _json_wp_die_handler answers {"code":"wp_die"} — either way
//     code called wp_die() while the REST request was being set up
//     (parse_request, rest_api_init…), before any route ran: core does not;
//   - the page and its headers are PHP's (facts/answered-by.ts), so the web
//     server did not answer, and an application password that core would
//     accept is refused the same way: the refusal does not look at who asks.
// From outside, which plugin called wp_die() cannot be seen (its message is
// the only trace); the companion plugin's ledger records who called wp_die()
// and who set the status (`died`, `statusSetBy`) for each request.
import type { Culprit, Evidence, Probe } from '../model.js';
import { answeredBy } from '../facts/answered-by.js';
import { blamedCulprit, blamedWords, switchOffWords } from '../facts/bridge.js';
import type { Rule } from './types.js';
import { describe, isolateHint, ledgerStop, noteEv, probeEv } from './util.js';

const isRest = (path: string) => /^wp-json(\/|$)/.test(path) || /^\?rest_route=/.test(path);

/** The request ended in wp_die() (its HTML page, or the JSON handler's "wp_die" code), not in a REST answer. */
const diedInRest = (p: Probe) => p.body?.pageKind === 'wp-die' || p.body?.restError?.code === 'wp_die';

export const restRefusedForEveryoneRule: Rule = {
  meta: { id: 'plugin.rest.refused-for-everyone', title: 'The REST API ends every request in a wp_die() page', layer: 'plugin', requires: ['probes'] },
  evaluate(obs, f) {
    const rest = obs.probes.filter((p) => p.method === 'GET' && !p.error && p.status > 0 && isRest(f.pathOf(p)) && !f.basicChallenge(p) && p.auth !== 'cookie' && p.auth !== 'bad-app-password');
    const walled = rest.filter((p) => p.status >= 400 && diedInRest(p) && answeredBy(p).by !== 'server');
    if (walled.length === 0) return [];
    // Every REST request: one the REST server answered (JSON, 2xx or its own error) means no wall.
    if (walled.length !== rest.length) return [];
    const anon = walled.filter((p) => p.auth === 'none' || p.auth === 'basic-site');
    const app = walled.filter((p) => p.auth === 'app-password' || p.auth === 'app-password+basic-site');
    const appGiven = obs.probes.some((p) => p.auth === 'app-password' || p.auth === 'app-password+basic-site');
    const first = (app[0] ?? walled[0]) as Probe;
    const message = first.body?.restError?.message ?? (typeof first.body?.facts?.message === 'string' ? first.body.facts.message : undefined) ?? first.body?.excerpt ?? '';
    const statuses = [...new Set(walled.map((p) => p.status))].join('/');
    const owner = ledgerStop(f, [...app, ...anon]);
    const culprit: Culprit = owner ? blamedCulprit(owner.who) : { kind: 'plugin', name: 'unknown' };
    const evidence: Evidence[] = [
      ...app.slice(0, 3).map((p) => probeEv(p, `${describe(f, p)} with the application password: a wp_die() page, not a REST answer`)),
      ...anon.slice(0, 2).map((p) => probeEv(p, `${describe(f, p)}: a wp_die() page, not a REST answer`)),
      noteEv(`marks of PHP on the answer: ${answeredBy(first).marks.join('; ') || 'none'}`),
      ...(owner?.evidence ?? []),
    ];
    const who = owner
      ? `The companion plugin's ledger names it: ${blamedWords(owner.who)} ${owner.did}.`
      : 'Which plugin called wp_die() cannot be seen from outside (only its message): the candidates are every active plugin, must-use plugin and the theme.';
    return [
      {
        id: 'plugin.rest.refused-for-everyone',
        severity: 'error',
        layer: 'plugin',
        culprit,
        title: app.length ? 'The REST API is switched off for everyone, application passwords included' : 'The REST API ends every request in a wp_die() page',
        explanation:
          `Every REST request the scan sent (${walled.length}: ${anon.length} without credentials${app.length ? `, ${app.length} with the application password` : ''}) was answered HTTP ${statuses} with WordPress's wp_die() page${message ? ` ("${message.slice(0, 120)}")` : ''} instead of a REST answer. ` +
          "WordPress's REST server answers every request itself, refusals included, as JSON with an error code; a wp_die() page means code stopped the request while the REST API was starting, before any route or permission check ran — a \"disable REST API\" plugin or snippet, not WordPress core and not the web server (the page is PHP's). " +
          (app.length
            ? 'Because it does not look at who asks, logged-in clients are refused too: apps and integrations using application passwords, and the block editor, which saves through the REST API. '
            : appGiven
              ? ''
              : 'No application password was given, so whether logged-in requests pass was not tried (WP401_APP_PASSWORD). ') +
          who,
        evidence,
        fixes: [
          owner
            ? `The wall is ${blamedWords(owner.who)}: allow the REST API (at least for logged-in users) in its settings, or ${switchOffWords(owner.who)}.`
            : 'Look for a plugin or snippet that disables the REST API ("disable REST API", "disable JSON API", security hardening); allow the REST API for logged-in users there, or deactivate it.',
          ...(message ? [`Search the plugins, mu-plugins and theme for the page's message: \`grep -rn "${message.slice(0, 40).replace(/[`"\\]/g, '')}" wp-content/\`.`] : []),
          'WordPress core needs the REST API for the block editor and for application passwords: restrict it for anonymous visitors only, if at all.',
          ...(owner ? [] : isolateHint(obs)),
        ],
        confidence: owner ? 'confirmed' : 'possible',
      },
    ];
  },
};
