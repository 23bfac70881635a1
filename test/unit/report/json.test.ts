import { strict as assert } from 'node:assert';
import type { ScanResult } from '../../../src/model.js';
import { orderResult, renderJson } from '../../../src/report/json.js';
import { loadResult, resultFixtureNames, syntheticResult } from '../../support/results.js';
import { validateResult } from '../../support/schema.js';

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('report/json', () => {
  it('has the four hand-written fixtures and results recorded from the test bed', () => {
    const names = resultFixtureNames();
    for (const n of ['fpm-strips-authorization', 'healthy', 'hostile', 'plugin-confirmed']) assert.ok(names.includes(n), n);
    assert.ok(names.filter((n) => n.startsWith('testbed-')).length >= 3, 'real results from the test bed');
  });

  for (const name of resultFixtureNames()) {
    it(`fixture ${name} is valid against schema/wp401.schema.json`, () => {
      const { valid, errors } = validateResult(loadResult(name));
      assert.ok(valid, errors.join('\n'));
    });

    it(`renderJson of ${name} round-trips and still validates`, () => {
      const result = loadResult(name);
      const text = renderJson(result);
      assert.deepEqual(JSON.parse(text), result);
      assert.ok(validateResult(JSON.parse(text)).valid);
    });
  }

  it('a synthetic 1,000-probe result validates', () => {
    const { valid, errors } = validateResult(syntheticResult(1000));
    assert.ok(valid, errors.slice(0, 5).join('\n'));
  });

  it('writes keys in a stable order whatever order they came in', () => {
    const result = loadResult('plugin-confirmed');
    const shuffled = reverseKeys(result) as ScanResult;
    assert.equal(renderJson(shuffled), renderJson(result));
    assert.deepEqual(Object.keys(orderResult(shuffled)).slice(0, 5), [
      'schemaVersion',
      'tool',
      'target',
      'startedAt',
      'durationMs',
    ]);
    const probe = orderResult(shuffled).probes[0];
    assert.deepEqual(Object.keys(probe ?? {}).slice(0, 3), ['id', 'source', 'method']);
  });

  it('indents with two spaces and ends with a newline', () => {
    const text = renderJson(loadResult('healthy'));
    assert.ok(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "wp401"'));
    assert.ok(text.endsWith('}\n'));
  });

  it('keeps keys it does not know, after the known ones', () => {
    const result = { ...loadResult('healthy'), zzz: 1, aaa: 2 } as unknown as ScanResult;
    const keys = Object.keys(JSON.parse(renderJson(result)));
    assert.deepEqual(keys.slice(-2), ['aaa', 'zzz']);
  });

  describe('schema rules', () => {
    const base = (): ScanResult => loadResult('plugin-confirmed');

    it('rejects schemaVersion 2', () => {
      assert.equal(validateResult({ ...base(), schemaVersion: 2 }).valid, false);
    });

    it('rejects a confirmed finding without a culprit', () => {
      const result = base();
      const first = result.findings[0];
      assert.ok(first);
      first.culprit = null;
      const { valid, errors } = validateResult(result);
      assert.equal(valid, false);
      assert.ok(errors.some((e) => e.includes('/findings/0')), errors.join('\n'));
    });

    it('accepts a likely finding without a culprit', () => {
      const result = base();
      const first = result.findings[0];
      assert.ok(first);
      first.confidence = 'likely';
      first.culprit = null;
      assert.ok(validateResult(result).valid);
    });

    it('rejects an error finding without a layer, or with an unknown one', () => {
      const result = base();
      const first = result.findings[0] as unknown as Record<string, unknown>;
      delete first.layer;
      assert.equal(validateResult(result).valid, false);
      first.layer = 'database';
      assert.equal(validateResult(result).valid, false);
    });

    it('rejects unknown top-level keys and malformed probes', () => {
      assert.equal(validateResult({ ...base(), extra: true }).valid, false);
      const result = base();
      (result.probes[0] as unknown as Record<string, unknown>).auth = 'password';
      assert.equal(validateResult(result).valid, false);
    });

    it('rejects upper-case header names (the model lower-cases them)', () => {
      const result = base();
      const probe = result.probes[0];
      assert.ok(probe);
      probe.headers = { 'Content-Type': ['text/html'] };
      assert.equal(validateResult(result).valid, false);
    });
  });
});
