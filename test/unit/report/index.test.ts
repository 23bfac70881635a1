import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultFileError, readResult, writeReports } from '../../../src/report/index.js';
import { renderJson } from '../../../src/report/json.js';
import { loadResult, TINY_PNG } from '../../support/results.js';
import { validateHar, validateResult } from '../../support/schema.js';

describe('report/index', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp401-reports-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the chosen formats into a new folder and returns their paths', async () => {
    const outDir = join(dir, 'nested', 'report');
    const paths = await writeReports(loadResult('fpm-strips-authorization'), { outDir, formats: ['html', 'json', 'har'] });
    assert.deepEqual(paths, [join(outDir, 'index.html'), join(outDir, 'wp401.json'), join(outDir, 'wp401.har')]);
    assert.match(await readFile(paths[0] ?? '', 'utf8'), /^<!doctype html>/);
    assert.ok(validateResult(JSON.parse(await readFile(paths[1] ?? '', 'utf8'))).valid);
    assert.ok(validateHar(JSON.parse(await readFile(paths[2] ?? '', 'utf8'))).valid);
  });

  it('writes only what was asked for', async () => {
    const paths = await writeReports(loadResult('healthy'), { outDir: dir, formats: ['json'] });
    assert.deepEqual(paths, [join(dir, 'wp401.json')]);
  });

  it('embeds screenshots found in the report folder as data: images', async () => {
    await mkdir(join(dir, 'screenshots'));
    await writeFile(join(dir, 'screenshots', 'p2.png'), Buffer.from(TINY_PNG.split(',')[1] ?? '', 'base64'));
    const [html] = await writeReports(loadResult('plugin-confirmed'), { outDir: dir, formats: ['html'] });
    const page = await readFile(html ?? '', 'utf8');
    assert.ok(page.includes(`<img src="${TINY_PNG}"`));
    assert.ok(!page.includes('&#39;self&#39;'));
  });

  describe('readResult', () => {
    it('reads back what writeReports wrote', async () => {
      const result = loadResult('plugin-confirmed');
      const [file] = await writeReports(result, { outDir: dir, formats: ['json'] });
      assert.deepEqual(await readResult(file ?? ''), result);
    });

    const bad: [string, string, RegExp][] = [
      ['not json', '{', /is not JSON/],
      ['an array', '[]', /not an object/],
      ['another version', JSON.stringify({ ...loadResult('healthy'), schemaVersion: 2 }), /schemaVersion 2/],
      ['another tool', JSON.stringify({ ...loadResult('healthy'), tool: { name: 'x', version: '1' } }), /not written by wp401/],
      ['no probes', JSON.stringify({ ...loadResult('healthy'), probes: null }), /no probes list/],
      ['a bad verdict', JSON.stringify({ ...loadResult('healthy'), verdict: { status: 'meh', summary: '' } }), /no valid verdict/],
    ];
    for (const [label, text, message] of bad) {
      it(`rejects ${label}`, async () => {
        const file = join(dir, 'wp401.json');
        await writeFile(file, text);
        await assert.rejects(readResult(file), (err: unknown) => err instanceof ResultFileError && message.test(err.message));
      });
    }

    it('rejects a missing file with a readable message', async () => {
      await assert.rejects(readResult(join(dir, 'nope.json')), /cannot read it \(ENOENT\)/);
    });

    it('accepts the JSON renderJson writes', async () => {
      const file = join(dir, 'wp401.json');
      await writeFile(file, renderJson(loadResult('hostile')));
      assert.equal((await readResult(file)).probes.length, 3);
    });
  });
});
