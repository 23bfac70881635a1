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
    const hop = (phase: 'start' | 'end', sent: number, url = 'http://127.0.0.1:8401/wp-json/', status?: number) =>
      ({ phase, probe: `p${sent}`, method: 'GET', url, sent, max: 300, ...(status !== undefined ? { status, ms: 42 } : {}) }) as const;

    it('TTY: one line redrawn in place — stage, done/total requests, elapsed time, the current URL — cleared when done', () => {
      const stream = fakeStream(true);
      stream.columns = 200;
      let t = 1000;
      const progress = createProgress(stream, { now: () => t });
      progress.stage('crawl');
      t += 2500;
      progress.request(hop('start', 57, 'http://127.0.0.1:8401/sample-page/'));
      progress.stage('isolate');
      progress.done();
      assert.ok(stream.written.every((w) => w.startsWith('\r\x1b[2K') && !w.includes('\n')));
      assert.ok(stream.written.some((w) => w.includes('wp401 › crawl')));
      assert.ok(stream.written.some((w) => w.includes('wp401 › isolate · 57/300 requests · 2.5 s · GET http://127.0.0.1:8401/sample-page/')), stream.written.join('|'));
      assert.equal(stream.written.at(-1), '\r\x1b[2K');
    });

    it('TTY: fits the line to the terminal width', () => {
      const stream = fakeStream(true);
      createProgress(stream).stage('x'.repeat(200));
      assert.ok((stream.written[0] ?? '').length <= '\r\x1b[2K'.length + 59);
      createProgress(stream).done();
    });

    it('not a TTY (CI logs): one plain line per stage with counts and time, and a closing line; no control characters', () => {
      const stream = fakeStream(false);
      let t = 0;
      const progress = createProgress(stream, { now: () => t });
      progress.stage('discover');
      progress.request(hop('start', 1));
      progress.request(hop('end', 1, undefined, 200));
      t = 1200;
      progress.stage('probe');
      progress.stage('probe');
      progress.request(hop('start', 30));
      t = 4000;
      progress.done();
      assert.deepEqual(stream.written, ['wp401: discover · 0 requests · 0.0 s\n', 'wp401: probe · 1/300 requests · 1.2 s\n', 'wp401: done · 30/300 requests · 4.0 s\n']);
    });

    it('--verbose: one line per request as it ends, redacted URL as given, status and time', () => {
      const stream = fakeStream(false);
      const progress = createProgress(stream, { verbose: true, now: () => 0 });
      progress.request(hop('start', 1, 'http://127.0.0.1:8401/?_wpnonce=[redacted]'));
      progress.request(hop('end', 1, 'http://127.0.0.1:8401/?_wpnonce=[redacted]', 401));
      progress.request({ ...hop('end', 2), status: 0, ms: 15000 });
      assert.deepEqual(stream.written, ['wp401: GET http://127.0.0.1:8401/?_wpnonce=[redacted] → 401 (42 ms)\n', 'wp401: GET http://127.0.0.1:8401/wp-json/ → no answer (15000 ms)\n']);
      progress.done();
    });

    it('--quiet writes nothing, TTY or not', () => {
      for (const tty of [true, false]) {
        const stream = fakeStream(tty);
        const progress = createProgress(stream, { quiet: true, verbose: true });
        progress.stage('crawl');
        progress.count('requests', 1);
        progress.request(hop('end', 1, undefined, 200));
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
