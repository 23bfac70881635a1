// The REST nonce of an HTTP login (--no-browser), fresh and aged: the probes
// behind RestNonceCheck (src/observations/index.ts). A nonce from
// admin-ajax.php?action=rest-nonce goes with the login cookies to
// /wp/v2/users/me at once, then again once it is older.
//
// Why the first aged request is sent after about a second, not 2.5 s: core
// accepts a nonce of the current or the previous tick, a tick being
// nonce_life / 2 counted in whole seconds of time() (wp_nonce_tick), and an
// accepted cookie request answers X-WP-Nonce = wp_create_nonce('wp_rest') for
// the current tick (rest_cookie_check_errors). When that echo is the nonce we
// sent, no tick boundary passed since it was made. A request more than a
// second later reaches PHP in a later second of time(), so with nonce_life of
// 2 s or less (a tick of a second or less) the tick has moved: the echo
// differs or the nonce is refused. That is the range the browser's 2.5 s aged
// nonce catches for certain (refused needs two ticks), so a healthy site is
// done after about a second; only when the tick moved does the line wait until the
// nonce is NONCE_MIN_AGE_MS old, like the browser, to see it refused.
// The nonce's value stays in this module's memory and in the redactor.
import type { Engine, ProbeRequest } from '../http/index.js';
import { sleep } from '../http/index.js';
import type { Probe } from '../model.js';
import type { RestNonceAttempt, RestNonceCheck } from '../observations/index.js';
import { wordPressCookieKind } from '../parse/set-cookie.js';

/** The age an aged nonce is sent at when the tick has moved: the browser stage's wait (src/gather/browser.ts). */
export const NONCE_MIN_AGE_MS = 2500;
/** A first aged request this long after the nonce's answer lands in a later second of the server's time(). */
export const NONCE_TICK_AGE_MS = 1050;
/** Requests the check sends when the site is healthy (nonce, fresh, aged); at most 7 when a nonce is refused. */
export const NONCE_CHECK_REQUESTS = 3;

const SOURCE = 'rest-nonce';
/** core: substr(wp_hash(…), -12, 10) — ten hex digits; a little room for pluggable variants */
const NONCE_SHAPE = /^[0-9a-f]{6,32}$/i;

export interface NonceCheckOptions {
  base: string;
  /** the site's REST root, absolute (advertisedRestRoot) */
  restRoot: string;
  basic?: { user: string; password: string };
  signal?: AbortSignal;
  /** ms on the scan's timeline, to place the sleep among the other lines' work */
  now?: () => number;
  /** the two ages (default NONCE_TICK_AGE_MS, NONCE_MIN_AGE_MS); tests shorten them */
  ages?: { tickMs: number; minMs: number };
}

/**
 * The REST root the site advertises on its pages (rest_output_link_header:
 * `Link: <root>; rel="https://api.w.org/"`, the rest_url() the block editor
 * calls: `…/wp-json/`, or `…/?rest_route=/` without pretty permalinks), when
 * it is on the scanned origin; else `<base>wp-json/`.
 */
export function advertisedRestRoot(probes: readonly Probe[], base: string): string {
  const origin = new URL(base).origin;
  for (const p of probes) {
    for (const v of p.headers.link ?? []) {
      const m = /<([^>]+)>\s*;\s*rel="https:\/\/api\.w\.org\/"/.exec(v);
      if (!m?.[1]) continue;
      try {
        const root = new URL(m[1], p.finalUrl);
        if (root.origin === origin) return root.toString();
      } catch {
        // not a URL: look further
      }
    }
  }
  return new URL('wp-json/', base).toString();
}

/** /wp/v2/users/me under a REST root, pretty (`…/wp-json/`) or not (`…/?rest_route=/`). */
export function usersMeUrl(root: string): string {
  const u = new URL(root);
  if (u.searchParams.has('rest_route')) {
    u.searchParams.set('rest_route', '/wp/v2/users/me');
    return u.toString();
  }
  return new URL('wp/v2/users/me', u.toString().endsWith('/') ? u : `${u.toString()}/`).toString();
}

interface Nonce {
  value: string;
  /** the request that fetched it started / its answer ended (ms, Date.now clock) */
  askedAt: number;
  gotAt: number;
}

interface Fetched {
  probe: Probe;
  nonce: Nonce | null;
}

function authCookiesSet(p: Probe): string[] {
  const names = new Set<string>();
  for (const hop of p.chain) {
    for (const line of hop.headers['set-cookie'] ?? []) {
      const name = line.split('=')[0]?.trim() ?? '';
      const kind = wordPressCookieKind(name);
      if (kind === 'logged-in' || kind === 'auth' || kind === 'secure-auth') names.add(name);
    }
  }
  return [...names];
}

async function askNonce(engine: Engine, opts: NonceCheckOptions): Promise<Fetched> {
  let value: string | null = null;
  const askedAt = Date.now();
  const req: ProbeRequest = {
    source: SOURCE,
    // the nonce must then age: the scan's longest chain goes ahead of the crawl
    first: true,
    url: new URL('wp-admin/admin-ajax.php?action=rest-nonce', opts.base).toString(),
    auth: 'cookie',
    useJar: true,
    followRedirects: false,
    // core answers the nonce as the whole body: it becomes a secret before the body is summarised and recorded
    onAnswer: (bytes) => {
      const text = Buffer.from(bytes.subarray(0, 64)).toString('utf8').trim();
      if (bytes.length <= 64 && NONCE_SHAPE.test(text)) {
        value = text;
        engine.redactor.addSecret(text);
      }
    },
  };
  if (opts.basic) req.credentials = { basic: opts.basic };
  const probe = await engine.probe(req);
  const got: string | null = value;
  return { probe, nonce: probe.status === 200 && got ? { value: got, askedAt, gotAt: Date.now() } : null };
}

function whyNoNonce(p: Probe): RestNonceCheck['skipped'] {
  if (p.status === 0) return 'error';
  if (p.status === 400) return 'no-action';
  return p.status === 200 ? 'not-a-nonce' : 'refused';
}

async function sendWith(engine: Engine, opts: NonceCheckOptions, nonce: Nonce, kind: RestNonceAttempt['nonce']): Promise<RestNonceAttempt> {
  let echo: RestNonceAttempt['echo'] = 'absent';
  const req: ProbeRequest = {
    source: SOURCE,
    // the nonce must then age: the scan's longest chain goes ahead of the crawl
    first: true,
    url: usersMeUrl(opts.restRoot),
    auth: 'cookie+nonce',
    useJar: true,
    followRedirects: false,
    headers: { 'X-WP-Nonce': nonce.value },
    onAnswer: (_bytes, header) => {
      const back = header('x-wp-nonce')?.trim();
      if (!back) return;
      echo = back === nonce.value ? 'same' : 'changed';
      engine.redactor.addSecret(back);
    },
  };
  if (opts.basic) req.credentials = { basic: opts.basic };
  const sentAt = Date.now();
  const probe = await engine.probe(req);
  const endedAt = Date.now();
  return {
    probe: probe.id,
    nonce: kind,
    status: probe.status,
    code: probe.status === 200 ? null : (probe.body?.restError?.code ?? null),
    nonceAgeMs: Math.max(0, sentAt - nonce.gotAt),
    nonceAgeMaxMs: Math.max(0, endedAt - nonce.askedAt),
    echo: probe.status === 200 ? echo : 'absent',
    authCookiesSet: authCookiesSet(probe),
  };
}

const refusedAsStale = (a: RestNonceAttempt) => a.status === 403 && a.code === 'rest_cookie_invalid_nonce';

/** The sleep of this line: how long, and when on the scan's timeline (to tell later how much of it other work filled). */
export interface NonceSleep {
  startMs: number;
  endMs: number;
}

/**
 * Fresh, then aged: see the top of this file. Call it only after a login that
 * ended logged in (the jar holds its cookies). Never throws for an answer;
 * every request is recorded by the engine like any probe.
 */
export async function checkRestNonce(engine: Engine, opts: NonceCheckOptions): Promise<{ check: RestNonceCheck; sleeps: NonceSleep[] }> {
  const now = opts.now ?? (() => performance.now());
  const ages = opts.ages ?? { tickMs: NONCE_TICK_AGE_MS, minMs: NONCE_MIN_AGE_MS };
  const sleeps: NonceSleep[] = [];
  const first = await askNonce(engine, opts);
  const check: RestNonceCheck = { nonceProbe: first.probe.id, attempts: [] };
  const nonce = first.nonce;
  if (!nonce) {
    check.skipped = whyNoNonce(first.probe);
    return { check, sleeps };
  }
  let minAgeMs = 0;
  const ageTo = async (ms: number): Promise<void> => {
    minAgeMs = ms;
    const wait = ms - (Date.now() - nonce.gotAt);
    if (wait <= 0) return;
    const startMs = now();
    await sleep(wait, opts.signal);
    sleeps.push({ startMs, endMs: now() });
  };
  const fresh = await sendWith(engine, opts, nonce, 'fresh');
  check.attempts.push(fresh);
  // a fresh nonce refused is not about its age: nothing to wait for (the rules say what it is)
  if (fresh.status !== 200 || opts.signal?.aborted) return finish(check, sleeps, minAgeMs);

  let aged: RestNonceAttempt | null = null;
  if (fresh.echo === 'same') {
    await ageTo(ages.tickMs);
    if (opts.signal?.aborted) return finish(check, sleeps, minAgeMs);
    aged = await sendWith(engine, opts, nonce, 'aged');
    check.attempts.push(aged);
  }
  // the tick moved (or no echo tells): age it like the browser does, and see whether it is refused
  if (!aged || (aged.status === 200 && aged.echo !== 'same')) {
    await ageTo(ages.minMs);
    if (opts.signal?.aborted) return finish(check, sleeps, minAgeMs);
    aged = await sendWith(engine, opts, nonce, 'aged');
    check.attempts.push(aged);
  }
  if (!refusedAsStale(aged) || opts.signal?.aborted) return finish(check, sleeps, minAgeMs);

  // Refused as stale. A new nonce now, twice at once: accepted shows the
  // login session still works and a nonce is not refused for being used twice,
  // so what the old one lost was its age.
  const second = await askNonce(engine, opts);
  check.renewProbe = second.probe.id;
  if (second.nonce) {
    const renewed = await sendWith(engine, opts, second.nonce, 'renewed');
    check.attempts.push(renewed);
    if (renewed.status === 200) check.attempts.push(await sendWith(engine, opts, second.nonce, 'renewed-again'));
  }
  return finish(check, sleeps, minAgeMs);
}

function finish(check: RestNonceCheck, sleeps: NonceSleep[], minAgeMs: number): { check: RestNonceCheck; sleeps: NonceSleep[] } {
  if (minAgeMs > 0) {
    const slept = sleeps.reduce((sum, s) => sum + (s.endMs - s.startMs), 0);
    check.wait = { minAgeMs, sleptMs: Math.round(slept), idleMs: Math.round(slept) };
  }
  return { check, sleeps };
}

/** The part of the sleeps after the other lines of the scan had finished (`busyUntilMs`, on the same timeline). */
export function idleMs(sleeps: NonceSleep[], busyUntilMs: number): number {
  return Math.round(sleeps.reduce((sum, s) => sum + Math.max(0, s.endMs - Math.max(s.startMs, busyUntilMs)), 0));
}
