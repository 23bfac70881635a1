// Scan results for reporter tests: the hand-written fixtures in
// test/fixtures/results and a synthetic result of any size.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Probe, ScanResult } from '../../src/model.js';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results');

/** Names of the fixture results, without `.json`. */
export function resultFixtureNames(): string[] {
  return readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadResult(name: string): ScanResult {
  return JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), 'utf8')) as ScanResult;
}

/** A 1x1 PNG, for screenshots. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function syntheticProbe(i: number, target: string): Probe {
  const failing = i % 5 === 0;
  const redirect = i % 7 === 0;
  const url = `${target}wp-json/wp/v2/posts/${i}?context=edit&page=${i % 13}`;
  const headers = {
    'content-type': ['application/json; charset=UTF-8'],
    server: ['Apache/2.4.62 (Debian)'],
    'x-robots-tag': ['noindex'],
    link: [`<${target}wp-json/>; rel="https://api.w.org/"`],
    'cache-control': ['no-cache, must-revalidate, max-age=0, no-store, private'],
    date: ['Mon, 02 Jun 2025 09:00:00 GMT'],
    ...(failing ? { 'www-authenticate': ['Basic realm="Staging"'] } : {}),
  };
  const chain = [
    ...(redirect
      ? [{ url: url.replace('https:', 'http:'), status: 301, location: url, headers: { location: [url] }, timingMs: 12 }]
      : []),
    { url, status: failing ? 401 : 200, headers, timingMs: 40 + (i % 50) },
  ];
  return {
    id: `p${i}`,
    source: i % 2 ? 'crawl' : 'app-password',
    method: 'GET',
    url: chain[0]?.url ?? url,
    auth: i % 2 ? 'none' : 'app-password',
    requestHeaders: {
      'user-agent': ['wp401/0.1.0'],
      accept: ['application/json'],
      ...(i % 2 ? {} : { authorization: ['[redacted]'] }),
    },
    chain,
    status: failing ? 401 : 200,
    finalUrl: url,
    headers,
    body: failing
      ? {
          bytes: 120,
          truncated: false,
          contentType: 'application/json; charset=UTF-8',
          pageKind: 'rest-json',
          restError: { code: 'rest_not_logged_in', message: 'You are not currently logged in.', status: 401 },
        }
      : { bytes: 2048, truncated: false, contentType: 'application/json; charset=UTF-8', pageKind: 'rest-json' },
    startedAt: new Date(Date.UTC(2025, 5, 2, 9, 0, 0, i * 50)).toISOString(),
    durationMs: 40 + (i % 50) + (redirect ? 12 : 0),
    ledger: { reachedPhp: true, authorizationHeader: i % 2 === 0, cookieNames: [], userId: failing ? 0 : 1, authError: null },
  };
}

/** The fpm fixture scaled up to `count` probes, for size checks and the benchmark. */
export function syntheticResult(count: number): ScanResult {
  const base = loadResult('fpm-strips-authorization');
  const probes = Array.from({ length: count }, (_, i) => syntheticProbe(i, base.target));
  return {
    ...base,
    probes,
    findings: base.findings.map((f) =>
      f.severity === 'error'
        ? { ...f, evidence: [...f.evidence, ...probes.filter((p) => p.status === 401).slice(0, 50).map((p) => ({ kind: 'probe' as const, probe: p.id }))] }
        : f,
    ),
    zones: [
      ...base.zones,
      { prefix: '/wp-json/wp/v2/posts/', demand: { kind: 'basic', realm: 'Staging' }, probes: count, unauthorized: Math.ceil(count / 5) },
    ],
  };
}
