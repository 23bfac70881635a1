// "Did the server ask for HTTP authentication?" answered once. A Basic or
// Digest challenge on a 401 comes from the web server or an edge in front of
// it (htpasswd zones, a staging lock, an access policy) — or from a plugin's
// lock in PHP: WordPress core never sends one. Which of them wrote it is
// facts/answered-by.ts's question. Pure.
import type { Probe } from '../model.js';
import { type Challenge, parseWwwAuthenticate } from '../parse/www-authenticate.js';

/** Every challenge in the answer's WWW-Authenticate headers. */
export function challengesOf(p: Pick<Probe, 'headers'>): Challenge[] {
  return parseWwwAuthenticate(p.headers['www-authenticate'] ?? []);
}

/** The Basic or Digest challenge among these, when the answer is a 401. */
export function serverChallengeIn(status: number, challenges: readonly Challenge[]): Challenge | undefined {
  return status === 401 ? challenges.find((c) => /^(basic|digest)$/i.test(c.scheme)) : undefined;
}

/** The Basic or Digest challenge of a 401: the server (or an edge) asked, not WordPress. */
export function serverChallenge(p: Pick<Probe, 'status' | 'headers'>): Challenge | undefined {
  return serverChallengeIn(p.status, challengesOf(p));
}
