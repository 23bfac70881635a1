// Access to the live test bed from tests: scenario credentials, resets, and
// a small browser-like HTTP client (undici + tough-cookie) used to prove each
// scenario's symptom at the HTTP level. Real requests to 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CookieJar } from 'tough-cookie';
import { Agent, fetch, type Response } from 'undici';
import { REPO } from '../../fixtures/testbed/paths.js';
import { caAgent, info, reset, type ScenarioInfo } from '../../fixtures/testbed/testbed.js';
import { portOpen } from '../../fixtures/testbed/servers.js';
import { SCENARIOS, scenarioByName } from '../../fixtures/testbed/scenarios.js';

export interface Symptom {
  name: string;
  path: string;
  auth: 'none' | 'app-password' | 'basic-site' | 'login' | 'after-failed-logins' | 'cookie+stale-nonce' | 'oauth-partial';
  status: number;
  method?: string;
  port?: number;
  scheme?: 'http' | 'https';
  restCode?: string;
  /** header name → regex the value must match, or null: the header must be absent */
  headers?: Record<string, string | null>;
  location?: string;
  /** regex a Set-Cookie line must match, or null: no Set-Cookie at all */
  setCookie?: string | null;
  bodyContains?: string;
  bodyNotContains?: string;
  /** the whole body must be exactly this (e.g. "" for an empty 403) */
  bodyEquals?: string;
  /** the Accept header to send (e.g. text/html for a page cache) */
  accept?: string;
  /** send the request this many times; the last answer is checked (a cache's second hit) */
  repeat?: number;
}

export interface ScenarioFile {
  name: string;
  notes?: string;
  /** state a scan needs first: failed logins from the scanner's address (a lockout) */
  prepare?: { failedLogins?: number };
  expect: {
    verdict: 'ok' | 'problems';
    errors: {
      layer: string;
      layerBlackBox?: string;
      culprit: { kind: string; name: string; file?: string } | null;
      /** what a scan without the companion plugin can name, when it is less than `culprit` */
      culpritBlackBox?: { kind: string; name: string } | null;
      culprits?: string[];
      /** the least confidence a correct scan claims with the companion plugin, and black-box */
      confidence?: 'confirmed' | 'likely' | 'possible';
      confidenceBlackBox?: 'confirmed' | 'likely' | 'possible';
      note?: string;
    }[];
    /** groups: single [[a]], a pair that fails only together [[a, b]], independent culprits [[a], [b]] */
    isolate?: { culprits?: string[]; groups?: string[][]; layer?: string; experiments?: number };
  };
  symptoms: Symptom[];
}

export function scenarioFile(name: string): ScenarioFile {
  return JSON.parse(readFileSync(join(REPO, 'fixtures', 'scenarios', `${name}.json`), 'utf8')) as ScenarioFile;
}

export function scenario(name: string): ScenarioInfo {
  const s = info().scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
}

/**
 * Why a scenario cannot be tested here (a real plugin missing from the local
 * plugin mirror, so the test bed did not build it), or null.
 */
export function notBuilt(name: string): string | null {
  return scenario(name).notBuilt ?? null;
}

/** Skips the running test with its reason in the title, so every report shows why. */
export function skipWith(ctx: Mocha.Context, reason: string): never {
  if (ctx.test) ctx.test.title += ` (skipped: ${reason})`;
  ctx.skip();
}

/** What a scenario file asks for before a scan or a symptom: e.g. failed logins from this address. */
export async function prepareScenario(name: string): Promise<void> {
  const n = scenarioFile(name).prepare?.failedLogins ?? 0;
  const s = scenario(name);
  for (let i = 0; i < n; i++) await (await login(new Client(), s.url, s.adminUser, 'not-the-password')).arrayBuffer();
}

/** Fails (never skips) when the test bed is down: integration tests must run. Scenarios whose real plugins are missing are skipped by their tests. */
export async function requireTestbed(): Promise<void> {
  const all = info().scenarios.filter((s) => !s.notBuilt);
  if (!all.every((s) => s.adminPassword) || !(await portOpen(scenarioByName('healthy').port))) {
    throw new Error('the test bed is not up: run "npm run testbed -- up"');
  }
}

export async function resetScenario(name: string): Promise<void> {
  await reset([name]);
}

const insecure = new Agent({ connect: { rejectUnauthorized: false } });
let trusting: Agent | null = null;
/** Scenarios served with the test bed CA's certificate are checked against that CA, never insecurely. */
export function dispatcherFor(url: string): Agent {
  const u = new URL(url);
  const tlsScenario = u.protocol === 'https:' && SCENARIOS.some((s) => s.tls && String(s.port) === u.port);
  if (!tlsScenario) return insecure;
  trusting ??= caAgent();
  return trusting;
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A cookie-keeping client that follows redirects itself, like a browser would. */
export class Client {
  readonly jar = new CookieJar();
  readonly setCookies: string[] = [];

  async get(url: string, headers: Record<string, string> = {}, follow = false): Promise<Response> {
    return this.send('GET', url, headers, undefined, follow);
  }

  async send(method: string, url: string, headers: Record<string, string>, body?: string, follow = false): Promise<Response> {
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      const cookie = await this.jar.getCookieString(current);
      const res = await fetch(current, {
        method: hop === 0 ? method : 'GET',
        headers: { ...headers, ...(cookie ? { cookie } : {}), ...(hop === 0 && body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: hop === 0 ? body : undefined,
        redirect: 'manual',
        dispatcher: dispatcherFor(current),
        signal: AbortSignal.timeout(20000),
      });
      for (const line of res.headers.getSetCookie()) {
        this.setCookies.push(line);
        await this.jar.setCookie(line, current, { ignoreError: true });
      }
      const loc = res.headers.get('location');
      if (!follow || !loc || res.status < 300 || res.status > 399) return res;
      await res.arrayBuffer();
      current = new URL(loc, current).toString();
    }
    throw new Error('too many redirects');
  }
}

export async function login(c: Client, base: string, user: string, password: string, extra: Record<string, string> = {}): Promise<Response> {
  await (await c.get(new URL('wp-login.php', base).toString(), extra)).arrayBuffer();
  const form = new URLSearchParams({ log: user, pwd: password, 'wp-submit': 'Log In', testcookie: '1', redirect_to: new URL('wp-admin/', base).toString() });
  return c.send('POST', new URL('wp-login.php', base).toString(), extra, form.toString(), true);
}

/**
 * This checkout's bridge over a site's copy: the test bed's snapshots hold the
 * bridge they were built with, and a test of new plugin code must not wait
 * for a rebuild. The must-use loader is replaced only where it is installed.
 */
export function deployBridge(name: string): void {
  const docroot = scenario(name).docroot;
  const target = join(docroot, 'wp-content', 'plugins', 'wp401-bridge');
  const source = join(REPO, 'wp-plugin', 'wp401-bridge');
  cpSync(source, target, { recursive: true, filter: (src) => !src.startsWith(join(source, 'tests')) });
  const loader = join(docroot, 'wp-content', 'mu-plugins', 'wp401-troubleshoot.php');
  if (existsSync(loader)) cpSync(join(source, 'mu-loader', 'wp401-troubleshoot.php'), loader);
  execFileSync('chown', ['-R', 'www-data:www-data', target, ...(existsSync(loader) ? [loader] : [])]);
}
