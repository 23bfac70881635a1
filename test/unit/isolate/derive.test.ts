import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Experiment, Probe } from '../../../src/model.js';
import { deriveIsolation } from '../../../src/rules/isolation/outcome.js';
import { parsePluginList as parseDropped } from '../../../src/bridge/protocol.js';
import { judgeExperiment } from '../../../src/facts/experiment.js';
import { type Oracle, searchCulprits } from '../../../src/isolate/search.js';

const probe = (over: Partial<Probe> = {}): Probe => ({
  id: 'p002', source: 'core', method: 'GET', url: 'http://127.0.0.1:1/wp-json/', auth: 'none', requestHeaders: {}, chain: [], status: 401, finalUrl: '', headers: {},
  body: { bytes: 10, truncated: false, restError: { code: 'rest_login_required', message: '' } }, startedAt: '', durationMs: 1, ...over,
});

describe('isolate: judging replays and reading the result back from experiments', () => {
  it('same status and REST code fails, and so does a refusal with another plugin\'s code; core\'s own REST refusal passes; 5xx, no answer or a wrong drop list is unresolved', () => {
    const f = { status: 401, errorCode: 'rest_login_required' };
    const e = (x: Partial<Experiment>) => ({ pluginsOff: ['a/a.php'], droppedReported: ['a/a.php'], status: 200, ...x });
    assert.equal(judgeExperiment(f, e({ status: 401, errorCode: 'rest_login_required' })), 'fail');
    assert.equal(judgeExperiment(f, e({ status: 401, errorCode: 'rest_not_logged_in' })), 'pass');
    assert.equal(judgeExperiment(f, e({ status: 200 })), 'pass');
    // still refused by something else (another plugin's code, an HTML refusal): the same request still fails
    assert.equal(judgeExperiment(f, e({ status: 401, errorCode: 'shield_block_anon_restapi' })), 'fail');
    assert.equal(judgeExperiment(f, e({ status: 403 })), 'fail');
    // core's own answer to this request by design: the plugin's refusal is gone
    assert.equal(judgeExperiment(f, e({ status: 401, errorCode: 'rest_forbidden' })), 'pass');
    assert.equal(judgeExperiment(f, e({ status: 500 })), 'unresolved');
    assert.equal(judgeExperiment(f, e({ status: 0 })), 'unresolved');
    assert.equal(judgeExperiment(f, e({ droppedReported: [] })), 'unresolved');
    const { droppedReported: _, ...noHeader } = e({});
    assert.equal(judgeExperiment(f, noHeader), 'unresolved');
    assert.deepEqual(parseDropped(' b/b.php,a/a.php '), ['a/a.php', 'b/b.php']);
    assert.deepEqual(parseDropped('-'), []);
  });

  it('the culprits derived from the recorded experiments equal what the search found', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }).chain((p) => fc.tuple(fc.constant(p), fc.uniqueArray(fc.integer({ min: 0, max: p - 1 }), { minLength: 1, maxLength: Math.min(2, p) }), fc.boolean())),
        async ([p, idx, together]) => {
          const all = Array.from({ length: p }, (_, i) => `x${i}/x${i}.php`);
          const chosen = idx.map((i) => all[i] as string);
          const groups = together ? [chosen] : chosen.map((c) => [c]);
          const exps: Experiment[] = [];
          const oracle: Oracle = async (off) => {
            const fails = groups.some((g) => g.every((x) => !off.includes(x)));
            exps.push({ id: `e${exps.length + 1}`, probe: 'p002', pluginsOff: [...off], status: fails ? 401 : 200, ...(fails ? { errorCode: 'rest_login_required' } : {}), droppedReported: [...off].sort() });
            return fails ? 'fail' : 'pass';
          };
          const r = await searchCulprits(all, oracle);
          const d = deriveIsolation(probe(), exps);
          assert.equal(d?.verdict, 'plugin');
          assert.deepEqual(d?.culprits, r.culprits);
          // single, pair (fails only together) or independent (each sufficient alone): the groups read back
          const order = (xs: string[]) => all.filter((x) => xs.includes(x));
          const want = (together ? [order(chosen)] : chosen.map((c) => [c])).sort((x, y) => all.indexOf(x[0] as string) - all.indexOf(y[0] as string));
          assert.deepEqual(d?.groups, want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('all plugins off still failing reads back as not-a-plugin; contradictory answers as flaky', () => {
    const off = ['a/a.php', 'b/b.php'];
    const fail = { status: 401, errorCode: 'rest_login_required', droppedReported: off };
    assert.equal(deriveIsolation(probe(), [{ id: 'e001', probe: 'p002', pluginsOff: off, ...fail }])?.verdict, 'not-a-plugin');
    assert.equal(
      deriveIsolation(probe(), [
        { id: 'e001', probe: 'p002', pluginsOff: off, status: 200, droppedReported: off },
        { id: 'e002', probe: 'p002', pluginsOff: off, ...fail },
      ])?.verdict,
      'flaky',
    );
    assert.equal(deriveIsolation(probe(), []), null);
  });
});
