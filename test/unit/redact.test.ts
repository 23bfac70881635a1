import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { createEngine } from '../../src/http/engine.js';
import { base64Cores, createRedactor, REDACTED } from '../../src/redact.js';
import { noDns, startHttp } from './http/servers.js';

/** Secrets the property tests draw: long enough to be scrubbed, and not made of the marker's own characters. */
const secretArb = fc
  .string({ minLength: 4, maxLength: 40, unit: 'grapheme' })
  .filter((s) => !/[[\]]/.test(s) && !REDACTED.includes(s));

describe('redaction', () => {
  describe('by name', () => {
    const r = createRedactor();

    it('keeps the scheme of Authorization and hides the credential', () => {
      assert.equal(r.header('Authorization', 'Basic YWRtaW46cGFzcw=='), 'Basic [redacted]');
      assert.equal(r.header('authorization', 'Bearer eyJhbGciOi.x.y'), 'Bearer [redacted]');
      assert.equal(r.header('proxy-authorization', 'opaque'), REDACTED);
    });

    it('keeps cookie names and Set-Cookie attributes, hides values', () => {
      assert.equal(r.header('cookie', 'wordpress_logged_in_abc=admin|1|tok|mac; wp-settings-1=x'), 'wordpress_logged_in_abc=[redacted]; wp-settings-1=[redacted]');
      assert.equal(
        r.header('set-cookie', 'wordpress_sec_abc=admin%7C1%7Ctok; path=/wp-admin; secure; HttpOnly; SameSite=Lax'),
        'wordpress_sec_abc=[redacted]; path=/wp-admin; secure; HttpOnly; SameSite=Lax',
      );
      assert.equal(r.header('set-cookie', 'gone=; expires=Thu, 01 Jan 1970 00:00:00 GMT'), 'gone=; expires=Thu, 01 Jan 1970 00:00:00 GMT');
    });

    it('hides nonce and bridge headers but keeps the troubleshoot list', () => {
      assert.equal(r.header('X-WP-Nonce', 'abcdef0123'), REDACTED);
      assert.equal(r.header('x-wp401-signature', 'deadbeef'), REDACTED);
      assert.equal(r.header('x-wp401-nonce', 'n1'), REDACTED);
      assert.equal(r.header('x-wp401-troubleshoot', 'akismet/akismet.php'), 'akismet/akismet.php');
      assert.equal(r.header('x-api-key', 'k'), REDACTED);
      assert.equal(r.header('content-type', 'text/html'), 'text/html');
    });

    it('hides credential query parameters and userinfo, leaves the rest byte for byte', () => {
      assert.equal(
        r.url('https://u:p@example.test/wp-login.php?action=rp&key=abc&login=admin&_wpnonce=123&x=%20y#token=t'),
        'https://[redacted]@example.test/wp-login.php?action=rp&key=[redacted]&login=admin&_wpnonce=[redacted]&x=%20y#token=[redacted]',
      );
      assert.equal(r.url('/wp-json/?pwd=1&app_password=2&access_token=3&page=2'), '/wp-json/?pwd=[redacted]&app_password=[redacted]&access_token=[redacted]&page=2');
      assert.equal(r.header('location', '/wp-admin/?_wpnonce=abc'), '/wp-admin/?_wpnonce=[redacted]');
    });

    it('redacts whole header maps', () => {
      assert.deepEqual(r.requestHeaders({ Authorization: 'Basic x y', Accept: '*/*', 'set-cookie': ['a=1', 'b=2; Path=/'] }), {
        authorization: ['Basic [redacted]'],
        accept: ['*/*'],
        'set-cookie': ['a=[redacted]', 'b=[redacted]; Path=/'],
      });
    });
  });

  describe('by value', () => {
    it('scrubs a secret in plain, URL-encoded, JSON-escaped and base64 forms', () => {
      const secret = 'p@ss w/rd"1';
      const r = createRedactor([secret]);
      const text = [secret, encodeURIComponent(secret), 'p%40ss+w%2Frd%221', JSON.stringify(secret), Buffer.from(`admin:${secret}`).toString('base64')].join(' | ');
      const out = r.scrub(text);
      assert.ok(!out.includes(secret));
      assert.ok(!out.includes(encodeURIComponent(secret)));
      assert.ok(!out.includes(Buffer.from(secret).toString('base64').slice(0, 8)));
    });

    it('ignores secrets too short to scrub safely', () => {
      const r = createRedactor(['ab', '']);
      assert.equal(r.scrub('abc ab'), 'abc ab');
    });

    it('property: a registered secret never survives scrubbing, whatever surrounds it', () => {
      fc.assert(
        fc.property(secretArb, fc.string(), fc.string(), (secret, before, after) => {
          const r = createRedactor([secret]);
          const out = r.scrub(`${before}${secret}${after}|${before}${encodeURIComponent(secret)}${after}`);
          return !out.includes(secret) && !out.includes(encodeURIComponent(secret));
        }),
        { numRuns: 300 },
      );
    });

    it('property: a secret base64-encoded inside any byte stream is always caught', () => {
      fc.assert(
        fc.property(secretArb, fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 12 }), (secret, pre, post) => {
          const r = createRedactor([secret]);
          const blob = Buffer.concat([Buffer.from(pre), Buffer.from(secret), Buffer.from(post)]);
          for (const encoded of [blob.toString('base64'), blob.toString('base64url')]) {
            const out = r.scrub(encoded);
            if (out === encoded) return false;
            if (base64Cores(secret).some((core) => out.includes(core))) return false;
          }
          return true;
        }),
        { numRuns: 300 },
      );
    });

    it('property: scrubbing and URL redaction never throw on hostile input', () => {
      fc.assert(
        fc.property(fc.array(fc.string(), { maxLength: 4 }), fc.string({ unit: 'binary' }), (secrets, text) => {
          const r = createRedactor(secrets);
          r.scrub(text);
          r.url(text);
          r.header('set-cookie', text);
          r.header('cookie', text);
          r.header('authorization', text);
          return true;
        }),
      );
    });
  });

  describe('many secrets (a bridge signs every request: two new secrets per probe)', () => {
    it('with hundreds registered, each is scrubbed wherever it turns up, in its encoded forms too', () => {
      const r = createRedactor();
      const all = Array.from({ length: 400 }, (_, i) => `sig-${i.toString(36)}-${'x'.repeat(i % 7)}Q${i}`);
      for (const s of all) r.addSecret(s);
      for (const s of [all[0], all[199], all[399]] as string[]) {
        for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
          const out = r.scrub(`before ${form} after`);
          assert.equal(out, `before ${REDACTED} after`, form);
        }
      }
      assert.equal(r.scrub('nothing secret here at all'), 'nothing secret here at all');
    });
    it('occurrences that overlap leave nothing of either secret; separate ones are marked one by one', () => {
      const r = createRedactor(['abcdefgh', 'efghijkl']);
      assert.equal(r.scrub('xx abcdefghijkl yy'), `xx ${REDACTED} yy`);
      assert.equal(r.scrub('abcdefghefghijkl'), `${REDACTED}${REDACTED}`);
      assert.equal(r.scrub('efghijkl and abcdefgh'), `${REDACTED} and ${REDACTED}`);
    });
    it('a secret inside a longer one it overlaps: the whole stretch goes', () => {
      const r = createRedactor(['secret-longer-one', 'longer']);
      assert.equal(r.scrub('a secret-longer-one b longer c'), `a ${REDACTED} b ${REDACTED} c`);
    });
  });

  describe('in probes', () => {
    it('leaves no secret, nor its base64 form, in anything the engine records', async () => {
      const secrets = {
        appPassword: 'abcd EFGH ijkl MNOP qrst UVWX',
        siteUser: 'staging-user',
        cookieValue: 'canary-cookie-7f3a9e2b',
        nonce: 'canary-nonce-51c0',
        queryToken: 'canary-query-0d1e',
        setCookieValue: 'canary-setcookie-aa9911bb',
        refreshed: 'canary-refreshed-nonce-77',
        signature: 'canary-signature-c4c4',
      };
      const seen: IncomingMessage['headers'][] = [];
      const server = await startHttp((req, res) => {
        seen.push(req.headers);
        if (req.url?.startsWith('/start')) {
          res.writeHead(302, {
            location: `/next?_wpnonce=${secrets.nonce}&token=${secrets.queryToken}`,
            'set-cookie': `wordpress_logged_in_h=${secrets.setCookieValue}; Path=/; HttpOnly`,
            'x-echo': `you sent ${req.headers.authorization}`,
          });
          res.end();
          return;
        }
        res.writeHead(401, { 'www-authenticate': 'Basic realm="staging"', 'x-wp-nonce': secrets.nonce });
        res.end(`denied for ${secrets.appPassword}`);
      });
      const engine = createEngine({
        lookup: noDns,
        summarizeBody: (text) => ({ excerpt: text }),
        hooks: { signHeaders: () => ({ 'x-wp401-signature': secrets.signature }) },
      });
      try {
        await engine.probe({
          source: 'app-password',
          auth: 'app-password',
          url: `${server.origin}/start?pwd=${encodeURIComponent(secrets.appPassword)}&token=${secrets.queryToken}`,
          credentials: { basic: { user: secrets.siteUser, password: secrets.appPassword } },
          headers: { cookie: `pre=${secrets.cookieValue}`, 'x-wp-nonce': secrets.nonce },
          onUnauthorized: async () => ({ 'x-wp-nonce': secrets.refreshed }),
        });
        await engine.probe({ source: 'login', method: 'POST', url: `${server.origin}/wp-login.php`, body: { form: { log: 'admin', pwd: secrets.appPassword } } });
        assert.ok(seen.length >= 4, 'the secrets really were sent');
        assert.equal(seen[0]?.authorization, `Basic ${Buffer.from(`${secrets.siteUser}:${secrets.appPassword}`).toString('base64')}`);

        const recorded = JSON.stringify({ probes: engine.probes(), notes: engine.notes() });
        const forbidden = [...Object.values(secrets).filter((s) => s !== secrets.siteUser), `${secrets.siteUser}:${secrets.appPassword}`];
        for (const s of forbidden) {
          for (const form of [s, encodeURIComponent(s), Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64').replace(/=+$/, '')]) {
            assert.ok(!recorded.includes(form), `found ${form}`);
          }
        }
        assert.ok(recorded.includes('Basic [redacted]'));
        assert.ok(recorded.includes('wordpress_logged_in_h=[redacted]; Path=/; HttpOnly'));
      } finally {
        await engine.close();
        await server.close();
      }
    });
  });
});
