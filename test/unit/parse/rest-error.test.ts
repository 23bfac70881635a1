import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_REST_BODY_LENGTH, parseRestError } from '../../../src/parse/rest-error.js';
import { hostileString, timed } from './helpers.js';

describe('parse/rest-error', () => {
  describe('WordPress error bodies', () => {
    it('parses rest_not_logged_in', () => {
      const body = '{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}';
      assert.deepEqual(parseRestError(body, 'application/json; charset=UTF-8'), {
        code: 'rest_not_logged_in',
        message: 'You are not currently logged in.',
        status: 401,
        additionalErrors: [],
      });
    });

    it('parses rest_cookie_invalid_nonce and incorrect_password', () => {
      assert.equal(
        parseRestError('{"code":"rest_cookie_invalid_nonce","message":"Cookie check failed","data":{"status":403}}')?.status,
        403,
      );
      const wrong = parseRestError(
        '{"code":"incorrect_password","message":"The provided password is an invalid application password.","data":null}',
      );
      assert.equal(wrong?.code, 'incorrect_password');
      assert.equal(wrong?.status, undefined);
    });

    it('keeps additional_errors', () => {
      const body = JSON.stringify({
        code: 'rest_forbidden',
        message: 'Sorry, you are not allowed to do that.',
        data: { status: 401 },
        additional_errors: [{ code: 'my_plugin_blocked', message: 'Blocked by My Plugin.', data: { status: 401 } }, 'junk'],
      });
      assert.deepEqual(parseRestError(body)?.additionalErrors, [{ code: 'my_plugin_blocked', message: 'Blocked by My Plugin.', status: 401 }]);
    });

    it('parses a batch answer and picks the first 401 as the primary error', () => {
      const body = JSON.stringify({
        responses: [
          { body: { id: 1 }, status: 201, headers: {} },
          { body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): title', data: { status: 400 } }, status: 400, headers: {} },
          { body: { code: 'rest_cannot_create', message: 'Sorry, you are not allowed to create posts as this user.' }, status: 401, headers: {} },
        ],
      });
      const got = parseRestError(body);
      assert.equal(got?.code, 'rest_cannot_create');
      assert.equal(got?.status, 401);
      assert.deepEqual(
        got?.batchErrors?.map((e) => e.code),
        ['rest_invalid_param', 'rest_cannot_create'],
      );
    });

    it('parses a plain array of errors', () => {
      const got = parseRestError('[{"code":"a","message":"A","data":{"status":400}},{"code":"b","message":"B","data":{"status":"401"}}]');
      assert.equal(got?.code, 'b');
      assert.equal(got?.status, 401);
      assert.equal(got?.batchErrors?.length, 2);
    });

    it('finds the error after PHP notices printed before the JSON', () => {
      const body =
        '<br />\n<b>Deprecated</b>:  Creation of dynamic property in <b>/var/www/html/wp-content/plugins/x/x.php</b> on line <b>12</b><br />\n{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}';
      assert.equal(parseRestError(body, 'application/json')?.code, 'rest_not_logged_in');
    });

    it('tolerates a byte order mark and leading whitespace', () => {
      assert.equal(parseRestError('\uFEFF \n{"code":"x","message":"y"}')?.code, 'x');
    });
  });

  describe('not REST errors', () => {
    const cases: [string, string, string?][] = [
      ['a WordPress post', '{"id":1,"title":{"rendered":"Hello"}}'],
      ['an HTML page', '<!DOCTYPE html><html><body>401</body></html>', 'text/html'],
      ['an empty body', ''],
      ['a bare number', '401'],
      ['JSON null', 'null'],
      ['an object with only a code', '{"code":"x"}'],
      ['a non-string code', '{"code":401,"message":"x"}'],
      ['an empty code', '{"code":"","message":"x"}'],
      ['broken JSON', '{"code":"rest_not_logged_in","message":'],
      ['an OAuth error', '{"error":"invalid_token","error_description":"expired"}'],
      ['an empty batch', '{"responses":[]}'],
      ['an array of non-errors', '[1,2,{"id":3}]'],
    ];
    for (const [what, body, ct] of cases) {
      it(`gives null for ${what}`, () => assert.equal(parseRestError(body, ct), null));
    }

    it('does not parse bodies over the size limit', () => {
      const body = `{"code":"x","message":"${'a'.repeat(MAX_REST_BODY_LENGTH)}"}`;
      assert.equal(parseRestError(body), null);
    });

    it('caps very long messages', () => {
      const got = parseRestError(`{"code":"x","message":"${'a'.repeat(5000)}"}`);
      assert.ok(got !== null && got.message.length <= 1001);
    });
  });

  describe('properties', () => {
    it('round-trips generated WordPress errors', () => {
      const code = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'.split('')), minLength: 1, maxLength: 30 });
      const status = fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined });
      fc.assert(
        fc.property(code, fc.string({ maxLength: 200 }), status, (c, message, s) => {
          const body = JSON.stringify({ code: c, message, data: s === undefined ? null : { status: s } });
          const got = parseRestError(body);
          const want = s === undefined ? { code: c, message, additionalErrors: [] } : { code: c, message, status: s, additionalErrors: [] };
          assert.deepEqual(got, want);
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on random JSON values and random strings', () => {
      fc.assert(
        fc.property(fc.oneof(fc.json(), fc.string(), hostileString()), fc.option(fc.string(), { nil: undefined }), (body, ct) => {
          const got = parseRestError(body, ct);
          if (got !== null) {
            assert.equal(typeof got.code, 'string');
            assert.equal(typeof got.message, 'string');
            assert.ok(Array.isArray(got.additionalErrors));
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('finishes quickly on hostile bodies', () => {
      const hostile = fc.oneof(
        fc.constant('['.repeat(16 * 1024)),
        fc.constant(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`),
        fc.constant(`x${'{"code"'.repeat(2000)}}`),
        fc.constant(JSON.stringify({ responses: Array.from({ length: 5000 }, () => ({ body: { code: 'c', message: 'm' }, status: 401 })) })),
        fc.constant(JSON.stringify(Array.from({ length: 5000 }, () => ({ code: 'c', message: 'm', additional_errors: [{ code: 'd', message: 'n' }] })))),
        fc.constant('\u0000'.repeat(16 * 1024)),
        fc.constant('"'.repeat(MAX_REST_BODY_LENGTH)),
      );
      const stats = timed(() =>
        fc.assert(
          fc.property(hostile, (b) => {
            const t0 = performance.now();
            parseRestError(b);
            return performance.now() - t0 < 500;
          }),
          { numRuns: 50 },
        ),
      );
      assert.ok(stats.ms / 50 < 50, `average ${stats.ms / 50} ms per call`);
    });
  });
  it('a body without a "code" member is not an error, whatever its size or shape; with one it is read as before', () => {
    const index = JSON.stringify({ namespaces: ['wp/v2'], routes: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`/wp/v2/r${i}`, { methods: ['GET'], args: { context: { type: 'string' } } }])) });
    assert.equal(parseRestError(index, 'application/json'), null);
    assert.equal(parseRestError('[{"status":401}]', 'application/json'), null);
    assert.equal(parseRestError('{"code" : "rest_forbidden", "message": "no", "data": {"status": 401}}', 'application/json')?.code, 'rest_forbidden');
    assert.equal(parseRestError('<b>Notice</b>: x {"code":"rest_not_logged_in","message":"m","data":{"status":401}}', 'text/html')?.code, 'rest_not_logged_in');
  });
});

