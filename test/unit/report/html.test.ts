import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { renderHtml } from '../../../src/report/html/index.js';
import { escapeHtml, html, isHttpUrl, jsonForScript, urlText } from '../../../src/report/html/escape.js';
import { splitFix } from '../../../src/report/html/sections/findings.js';
import { loadResult, resultFixtureNames, syntheticResult, TINY_PNG } from '../../support/results.js';

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</script>'];

function inlineBlocks(page: string, tag: 'script' | 'style'): string[] {
  return [...page.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
}

describe('report/html', () => {
  describe('escapeHtml', () => {
    it('escapes the characters that matter in text and attributes', () => {
      assert.equal(escapeHtml(`<a href="x" title='y'>&\`</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
      assert.equal(escapeHtml(null), '');
      assert.equal(escapeHtml(401), '401');
    });

    it('the html template escapes every interpolated string but keeps nested markup', () => {
      const inner = html`<b>${'<i>'}</b>`;
      assert.equal(html`<p title="${'"x"'}">${inner}${['<', html`<br>`]}</p>`.value, '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br></p>');
    });

    it('links only plain http(s) URLs', () => {
      assert.ok(isHttpUrl('https://example.com/a?b=c'));
      for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<x>', '/relative', 'http://a b/', 'vbscript:x']) {
        assert.equal(isHttpUrl(bad), false, bad);
        assert.ok(!urlText(bad).value.includes('href'), bad);
      }
      assert.ok(urlText('https://e.com/"><x>').value.includes('href="https://e.com/&quot;&gt;&lt;x&gt;"'));
    });

    it('jsonForScript escapes <, >, & and the line separators and still parses', () => {
      const value = { s: '</script><!-- & \u2028\u2029' };
      const text = jsonForScript(value);
      assert.ok(!/[<>&\u2028\u2029]/.test(text));
      assert.deepEqual(JSON.parse(text), value);
    });
  });

  describe('splitFix', () => {
    it('splits prose from config lines', () => {
      assert.deepEqual(splitFix('Add this to .htaccess:\nCGIPassAuth On'), { prose: 'Add this to .htaccess:', code: 'CGIPassAuth On' });
      assert.deepEqual(splitFix('Just do it.'), { prose: 'Just do it.', code: null });
      assert.deepEqual(splitFix('`wp plugin deactivate x`'), { prose: '', code: 'wp plugin deactivate x' });
      assert.deepEqual(splitFix('Run:\n```sh\nwp cache flush\n```'), { prose: 'Run:', code: 'wp cache flush' });
    });
  });

  for (const name of resultFixtureNames()) {
    describe(`fixture ${name}`, () => {
      const result = loadResult(name);
      const page = renderHtml(result, { screenshots: { 'screenshots/p2.png': TINY_PNG } });

      it('is one self-contained document with a strict CSP whose hashes match', () => {
        assert.ok(page.startsWith('<!doctype html>'));
        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1]?.replace(/&#39;/g, "'");
        assert.ok(csp, 'CSP meta present');
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /img-src data:(;|$)/);
        const scripts = inlineBlocks(page, 'script');
        assert.equal(scripts.length, 2, 'the data block and the client script');
        const code = scripts[1] ?? '';
        const sha = (s: string): string => createHash('sha256').update(s).digest('base64');
        assert.ok(csp.includes(`script-src 'sha256-${sha(code)}'`));
        assert.ok(csp.includes(`style-src 'sha256-${sha(inlineBlocks(page, 'style')[0] ?? '')}'`));
        assert.ok(!/\s(src|href)="(https?:)?\/\//.test(page.replace(/<a class="url" href="https?:[^"]*"/g, '')), 'no external resources');
        assert.ok(!/\sstyle="/.test(page), 'no style attributes (CSP would block them)');
      });

      it('inlines the result JSON so it parses back to the (redacted) result', () => {
        const data = /<script type="application\/json" id="wp401-data">([\s\S]*?)<\/script>/.exec(page)?.[1];
        assert.ok(data);
        const parsed = JSON.parse(data);
        assert.equal(parsed.verdict.summary, result.verdict.summary);
        assert.equal(parsed.probes.length, result.probes.length);
      });

      it('puts the verdict before any finding card', () => {
        const verdict = page.indexOf('id="verdict-sentence"');
        assert.ok(verdict > 0);
        const card = page.indexOf('<article class="card');
        if (card !== -1) assert.ok(verdict < card);
      });

      it('has no live javascript: links and no markup from payloads', () => {
        assert.ok(!/href="\s*javascript:/i.test(page));
        for (const payload of PAYLOADS.slice(0, 2)) assert.ok(!page.includes(payload), payload);
        assert.ok(!/<img src=x/i.test(page));
        assert.equal((page.match(/<\/script>/g) ?? []).length, 2);
      });
    });
  }

  it('shows hostile text as escaped text', () => {
    const page = renderHtml(loadResult('hostile'));
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(page.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(page.includes('Image not embedded'), 'unsafe screenshot files are not used as images');
  });

  it('redacts secret header values that slipped through', () => {
    const page = renderHtml(loadResult('hostile'));
    for (const secret of ['dXNlcjpodW50ZXIy', 'secretcookievalue', 'abcdef1234', 'secretsetcookie', 'deadbeefsignature', 'noncevalue123', 'c2VjcmV0']) {
      assert.ok(!page.includes(secret), secret);
    }
    assert.ok(page.includes('Basic [redacted]'));
  });

  it('renders the server-side first screen of a problem result', () => {
    const page = renderHtml(loadResult('fpm-strips-authorization'));
    assert.match(page, /<b>Layer:<\/b> Web server/);
    assert.match(page, /server setting <code>CGIPassAuth<\/code>/);
    assert.match(page, /<pre><code>CGIPassAuth On<\/code><\/pre>/);
    assert.match(page, /class="layer stopped" data-layer="server"><div class="name">Web server<\/div><p class="what">[^<]*<\/p><p class="stops">2 failing requests stopped here/);
  });

  it('uses safe relative screenshot files and then allows self images', () => {
    const result = loadResult('plugin-confirmed');
    const page = renderHtml(result);
    assert.match(page, /<img src="screenshots\/p2.png"/);
    assert.match(page, /img-src data: &#39;self&#39;/);
    const inline = renderHtml(result, { screenshots: { 'screenshots/p2.png': TINY_PNG } });
    assert.ok(inline.includes(`<img src="${TINY_PNG}"`));
    assert.match(inline, /img-src data:;/);
  });

  it('renders a 1,000-probe result to less than 5 MB', () => {
    const page = renderHtml(syntheticResult(1000));
    const bytes = Buffer.byteLength(page);
    assert.ok(bytes < 5 * 1024 * 1024, `${bytes} bytes`);
    assert.equal((page.match(/<details class="probe"/g) ?? []).length, 1000);
  });
});
