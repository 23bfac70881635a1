import { strict as assert } from 'node:assert';
import { createProgress, renderSummary, shouldColor } from '../../../src/report/terminal.js';
import { loadResult } from '../../support/results.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string[] } {
  const written: string[] = [];
  return {
    isTTY,
    columns: 60,
    written,
    write(chunk: string) {
      written.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream & { written: string[] };
}

describe('report/terminal', () => {
  describe('createProgress', () => {
    it('draws one updating line on a TTY and clears it when done', () => {
      const stream = fakeStream(true);
      const progress = createProgress(stream, {});
      progress.stage('crawl');
      progress.count('requests', 12);
      progress.stage('isolate');
      progress.done();
      assert.ok(stream.written.length >= 3);
      assert.ok(stream.written.every((w) => w.startsWith('\r\x1b[2K')));
      assert.ok(stream.written.some((w) => w.includes('wp401 › crawl')));
      assert.ok(stream.written.some((w) => w.includes('isolate · 12 requests')));
      assert.equal(stream.written.at(-1), '\r\x1b[2K');
      assert.ok(stream.written.every((w) => !w.includes('\n')));
    });

    it('fits the line to the terminal width', () => {
      const stream = fakeStream(true);
      createProgress(stream).stage('x'.repeat(200));
      assert.ok((stream.written[0] ?? '').length <= '\r\x1b[2K'.length + 59);
    });

    it('writes nothing when not a TTY or when quiet', () => {
      for (const [tty, quiet] of [
        [false, false],
        [true, true],
      ] as const) {
        const stream = fakeStream(tty);
        const progress = createProgress(stream, { quiet });
        progress.stage('crawl');
        progress.count('requests', 1);
        progress.done();
        assert.deepEqual(stream.written, []);
      }
    });
  });

  describe('shouldColor', () => {
    it('colours only a TTY without NO_COLOR', () => {
      assert.equal(shouldColor({ isTTY: true }, {}), true);
      assert.equal(shouldColor({ isTTY: false }, {}), false);
      assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '1' }), false);
      assert.equal(shouldColor({ isTTY: true }, { TERM: 'dumb' }), false);
    });
  });

  describe('renderSummary', () => {
    it('prints the verdict, one line per error/warning with layer and culprit, and the report paths', () => {
      const text = renderSummary(loadResult('plugin-confirmed'), ['out/index.html', 'out/wp401.json']);
      const lines = text.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^✖ The plugin Secure REST Guard rejects/);
      assert.ok(lines.some((l) => /error +\[plugin\] Secure REST Guard blocks application passwords — plugin secure-rest-guard \(confirmed\)/.test(l)));
      assert.ok(lines.some((l) => /warning \[edge\] The login page is served from a cache — proxy nginx proxy_cache/.test(l)));
      assert.ok(text.includes('Reports:\n  out/index.html\n  out/wp401.json\n'));
      assert.ok(!text.includes('\x1b'), 'no colour unless asked');
    });

    it('says ok for a healthy site', () => {
      const text = renderSummary(loadResult('healthy'), ['r/index.html']);
      assert.match(text, /^✔ No authentication problem found/);
      assert.ok(text.includes('Report:\n  r/index.html'));
    });

    it('colours on request, and strips control characters from site data', () => {
      const result = loadResult('hostile');
      const coloured = renderSummary(result, [], { color: true });
      assert.ok(coloured.includes('\x1b[31m'));
      const first = result.findings[0];
      assert.ok(first);
      first.title = 'evil\x1b[2J\x1b]0;title\x07\u2028done';
      const plain = renderSummary(result, []);
      const controls = [...plain].filter((ch) => ch !== '\n' && (ch.charCodeAt(0) < 0x20 || ch === '\u2028'));
      assert.deepEqual(controls, []);
      assert.ok(plain.includes('evil [2J ]0;title done'));
    });
  });
});
