// What the one HTTP login came to, when it is the answer itself: the
// password is wrong (WordPress said so), or the login form was refused
// before WordPress judged it (a WAF or security plugin blocking the POST).
import type { Evidence, Finding, Probe } from '../model.js';
import type { Rule } from './types.js';
import { headerEv, isolateHint, noteEv, probeEv } from './util.js';
import { contentRefusals } from './edge.waf.content-filter.js';

export const loginRefusedRule: Rule = {
  meta: { id: 'wordpress.login', title: 'The login itself is refused', layer: 'wordpress', requires: ['probes', 'login'] },
  evaluate(obs, f) {
    const login = obs.login;
    if (!login) return [];
    const post = f.byId.get(login.probe) as Probe | undefined;
    const evidence: Evidence[] = post ? [probeEv(post, `login form posted → ${post.status}`)] : [];
    if (login.outcome === 'wrong-credentials') {
      // core's own message says which of the two is wrong (wp-includes/user.php, wp_authenticate_username_password)
      const unknownUser = /is not registered on this site|unknown (username|email address)/i.test(login.message ?? '');
      return [
        {
          id: 'wordpress.login.wrong-credentials',
          severity: 'error',
          layer: 'wordpress',
          culprit: { kind: 'credential', name: unknownUser ? 'user' : 'password' },
          title: unknownUser ? 'WordPress says the user name is not registered' : 'WordPress says the user name or password is wrong',
          explanation: `WordPress checked the login and refused it${login.message ? `: "${login.message.slice(0, 200)}"` : ''}. Everything before WordPress let the request through; the credential itself is the problem (or an authenticate filter of a plugin rejects it).`,
          evidence: [...evidence, noteEv('wp401 made exactly one login attempt')],
          fixes: ['Check the user name and WP401_PASSWORD; reset the password with "Lost your password?" or `wp user update <user> --user_pass=…`.', `If the password is surely right, a plugin on the authenticate filter (2FA, SSO, a login limiter) may refuse it.${isolateHint(obs).map((h) => ` ${h}`).join('')}`],
          confidence: 'likely',
        },
      ];
    }
    if (login.outcome === 'blocked' && post && post.status !== 429 && !post.headers['retry-after']) {
      // refused for its content while the same path passes: edge.waf.content-filter's finding
      if (contentRefusals(obs, f)?.refused.includes(post)) return [];
      const wpPage = post.body?.pageKind === 'wp-die' || post.body?.pageKind === 'wp-login' || !!post.body?.restError;
      const layer: Finding['layer'] = wpPage ? 'plugin' : f.front.proxied ? 'edge' : 'server';
      return [
        {
          id: 'wordpress.login.blocked',
          severity: 'error',
          layer,
          culprit: layer === 'plugin' ? { kind: 'plugin', name: 'unknown' } : layer === 'edge' ? { kind: 'proxy', name: 'WAF' } : { kind: 'server-config', name: 'wp-login.php' },
          title: `Posting the login form is refused (${post.status})`,
          explanation:
            `The login form was answered ${post.status}${post.status === 403 ? ' Forbidden — "you may not", not "who are you?"' : ''} before any login happened. ` +
            (wpPage
              ? 'The refusal page is WordPress\'s own (wp_die), so a plugin hooked into the login stopped it.'
              : layer === 'edge'
                ? 'The page is not WordPress\'s: a WAF or proxy rule in front of the site blocks POSTs to wp-login.php (or the login callback URL).'
                : 'The page is not WordPress\'s: a web-server rule (an IP allow list, a deny on wp-login.php) blocks it.'),
          evidence: [...evidence, ...headerEv(post, 'server')],
          fixes:
            layer === 'edge'
              ? ['Allow POST /wp-login.php (and your SSO/login callback URLs) in the WAF rules, or add your address to its allow list.']
              : layer === 'server'
                ? ['Look for `<Files wp-login.php>` / `Require ip` blocks in .htaccess or the vhost, or `location = /wp-login.php { deny …; }` in nginx.']
                : isolateHint(obs),
          confidence: 'possible',
        },
      ];
    }
    return [];
  },
};
