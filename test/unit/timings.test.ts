// The scan's timeline: recorded per stage, carried into the result (JSON
// schema), rendered in the HTML report, and a time budget that says so.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../fixtures/testbed/paths.js';
import { createTimeline } from '../../src/gather/timeline.js';
import type { Observations } from '../../src/observations/index.js';
import { renderHtml } from '../../src/report/html/index.js';
import { judge } from '../../src/scan.js';
import { validateResult } from '../support/schema.js';

const recorded = (): Observations => JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', 'healthy.json'), 'utf8')) as Observations;

function withTimings(obs: Observations): Observations {
  obs.timings = [
    { stage: 'discover', startMs: 0, durationMs: 120 },
    { stage: 'core', startMs: 121, durationMs: 640 },
    { stage: 'crawl', startMs: 121, durationMs: 1500 },
    { stage: 'browser', startMs: 121, durationMs: 2900 },
  ];
  obs.concurrency = { max: 4, final: 1, peak: 4, adaptive: true, changes: [{ atMs: 900, from: 4, to: 2, reason: 'explore-down' }, { atMs: 1300, from: 2, to: 1, reason: 'cheaper-lower' }] };
  obs.budgetMs = 90_000;
  return obs;
}

describe('scan timings', () => {
  it('a timeline records each stage as an interval from its start, also when the stage throws', async () => {
    let t = 1000;
    const timeline = createTimeline(() => t);
    await timeline.time('discover', async () => {
      t += 50;
    });
    await assert.rejects(
      timeline.time('crawl', async () => {
        t += 200;
        throw new Error('boom');
      }),
    );
    assert.deepEqual(timeline.entries(), [
      { stage: 'discover', startMs: 0, durationMs: 50 },
      { stage: 'crawl', startMs: 50, durationMs: 200 },
    ]);
  });

  it('the result carries the stages, the concurrency and the budget, and validates against the schema', () => {
    const result = judge(withTimings(recorded()));
    assert.deepEqual(
      result.timings?.stages.map((s) => s.stage),
      ['discover', 'core', 'crawl', 'browser'],
    );
    assert.equal(result.timings?.concurrency?.final, 1);
    assert.equal(result.timings?.budgetMs, 90_000);
    assert.equal(result.timings?.budgetExhausted, false);
    const v = validateResult(result);
    assert.ok(v.valid, v.errors.join('\n'));
  });

  it('the browser\'s wait for its nonce to age is a wait, not work: in the result (schema) and the report', () => {
    const obs = withTimings(JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'observations', 'browser', 'healthy.json'), 'utf8')) as Observations);
    assert.ok(obs.browser, 'the recorded healthy browser scan ran the browser');
    obs.browser.timings.nonceAge = { minAgeMs: 2500, waitedMs: 1700 };
    const result = judge(obs);
    assert.deepEqual(result.timings?.waits, [{ reason: 'nonce-age', by: 'browser', minAgeMs: 2500, waitedMs: 1700 }]);
    const v = validateResult(result);
    assert.ok(v.valid, v.errors.join('\n'));
    const page = renderHtml(result);
    assert.match(page, /The browser waited 1\.70 s on purpose/);
    obs.browser.timings.nonceAge = { minAgeMs: 2500, waitedMs: 0 };
    assert.match(renderHtml(judge(obs)), /the admin pages filled that time/);
    delete obs.browser.timings.nonceAge;
    assert.equal(judge(obs).timings?.waits, undefined);
  });

  it('the --no-browser login\'s wait for its REST nonce to age: only the part the crawl did not fill counts as waited', () => {
    const obs = withTimings(recorded());
    const wait = obs.login?.restNonce?.wait;
    assert.ok(wait, 'the recorded healthy scan checked its REST nonce');
    const result = judge(obs);
    assert.deepEqual(result.timings?.waits, [{ reason: 'nonce-age', by: 'http', minAgeMs: wait.minAgeMs, waitedMs: wait.idleMs }]);
    assert.ok(validateResult(result).valid);
    wait.idleMs = 450;
    assert.match(renderHtml(judge(obs)), /The scan waited 450 ms on purpose after its other requests/);
    wait.idleMs = 0;
    assert.match(renderHtml(judge(obs)), /the crawl filled that time/);
  });

  it('observations saved without timings give a result without them (older files still judge)', () => {
    const obs = recorded();
    // as a version before timings saved them
    delete obs.timings;
    delete obs.concurrency;
    delete obs.budgetMs;
    const result = judge(obs);
    assert.equal(result.timings, undefined);
    assert.ok(validateResult(result).valid);
  });

  it('the HTML report shows where the time went, with no inline style (the CSP forbids it)', () => {
    const page = renderHtml(judge(withTimings(recorded())));
    const section = page.slice(page.indexOf('id="timings"'), page.indexOf('</section>', page.indexOf('id="timings"')));
    assert.ok(section.includes('Where the time went'));
    for (const words of ['discovery', 'core probes', 'crawl', 'browser login and admin pages']) assert.ok(section.includes(words), words);
    assert.match(section, /started at 4, ended at 1/);
    assert.equal((section.match(/<rect /g) ?? []).length, 4);
    assert.doesNotMatch(section, /style=/);
  });

  it('a limit that came back to the start is not reported as a server that slowed down', () => {
    const obs = withTimings(recorded());
    obs.concurrency = { max: 4, final: 4, peak: 4, adaptive: true, changes: [{ atMs: 900, from: 4, to: 2, reason: 'explore-down' }, { atMs: 1000, from: 2, to: 4, reason: 'better-higher' }] };
    const page = renderHtml(judge(obs));
    const section = page.slice(page.indexOf('id="timings"'), page.indexOf('</section>', page.indexOf('id="timings"')));
    assert.match(section, /up to 4, as at the start/);
    assert.doesNotMatch(section, /answered more slowly/);
  });

  it('a scan stopped by its time budget says so in the verdict, the timings and the report', () => {
    const obs = withTimings(recorded());
    obs.incomplete = true;
    obs.errors.push({ stage: 'time-budget', message: 'the time budget of 90 s ran out' });
    const result = judge(obs);
    assert.equal(result.incomplete, true);
    assert.equal(result.timings?.budgetExhausted, true);
    assert.match(result.verdict.summary, /time budget \(90 s\) ran out before the scan finished/);
    assert.match(renderHtml(result), /The time budget of 90\.00 s ran out/);
  });
});
