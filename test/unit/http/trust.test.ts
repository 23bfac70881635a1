// Extra certificate authorities: --ca for the engine, and the one server key
// Chromium is told to accept — the key Node itself verified against that CA.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { chromeArgs } from '../../../src/browser/launch.js';
import { resolveOptions, UsageError } from '../../../src/config/options.js';
import { createEngine } from '../../../src/http/engine.js';
import { caTrust, pemCertificates, readCaFile, spkiHash, trustList, verifiedServerKey } from '../../../src/http/trust.js';
import { caIssuedCert, noDns, type Running, selfSignedCert, startHttps } from './servers.js';

describe('extra certificate authorities (--ca, NODE_EXTRA_CA_CERTS)', function () {
  this.timeout(20_000);
  let pki: { ca: string; key: string; cert: string };
  let server: Running;
  let dir: string;
  let caFile: string;

  before(async () => {
    pki = caIssuedCert();
    server = await startHttps((_req, res) => res.end('internal'), { key: pki.key, cert: pki.cert });
    dir = mkdtempSync(join(tmpdir(), 'wp401-trust-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, `# our internal CA\n${pki.ca}`);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the certificates of a PEM bundle and refuses a file without one', () => {
    assert.equal(pemCertificates(`${pki.ca}\n${selfSignedCert().cert}`).length, 2);
    assert.equal(readCaFile(caFile).length, 1);
    writeFileSync(join(dir, 'empty.pem'), 'not a certificate\n');
    assert.throws(() => readCaFile(join(dir, 'empty.pem')), /holds no PEM certificate/);
    assert.throws(() => readCaFile(join(dir, 'missing.pem')), /cannot read the CA file/);
  });

  it('--ca names a readable CA file, else a usage error', () => {
    assert.equal(resolveOptions({ url: 'https://staging.example/', ca: caFile }).ca, caFile);
    assert.throws(() => resolveOptions({ url: 'https://staging.example/', ca: join(dir, 'missing.pem') }), (e: unknown) => e instanceof UsageError && /--ca: cannot read/.test(e.message));
  });

  it('keeps Node\'s own roots and NODE_EXTRA_CA_CERTS beside the named CA', () => {
    const extra = join(dir, 'extra.pem');
    const other = selfSignedCert().cert;
    writeFileSync(extra, other);
    const list = trustList([pki.ca], { NODE_EXTRA_CA_CERTS: extra });
    assert.equal(list.length, rootCertificates.length + 2);
    assert.ok(list.includes(pki.ca) && list.some((c) => c.trim() === other.trim()));
    assert.equal(caTrust(undefined), undefined, 'without --ca the default store is left alone');
  });

  it('the engine refuses the internal certificate without the CA and accepts it with it', async () => {
    const plain = createEngine({ lookup: noDns });
    const trusted = createEngine({ lookup: noDns, ca: caTrust(caFile) });
    try {
      const refused = await plain.probe({ source: 'anon', url: `${server.origin}/` });
      assert.equal(refused.error?.code, 'tls-error');
      const ok = await trusted.probe({ source: 'anon', url: `${server.origin}/` });
      assert.equal(ok.status, 200);
    } finally {
      await Promise.all([plain.close(), trusted.close()]);
    }
  });

  it('the server key Chromium is told about is the one Node verified, hashed as openssl does', async () => {
    const ca = caTrust(caFile);
    const key = await verifiedServerKey(`${server.origin}/`, { ca });
    const der = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: pki.cert });
    const pub = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: der });
    const expected = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: pub }).toString('base64');
    assert.equal(key, expected);
    assert.equal(spkiHash(pki.cert), expected);
    assert.equal(await verifiedServerKey(`${server.origin}/`), null, 'without the CA nothing is verified, nothing is pinned');
    assert.equal(await verifiedServerKey(`https://localhost:${server.port}/`, { ca, lookup: noDns }), null, 'no answer, no key');
    assert.equal(await verifiedServerKey('http://127.0.0.1/'), null);
  });

  it('chromeArgs passes verified keys to Chromium, never with --insecure and never a malformed one', () => {
    const key = spkiHash(pki.cert);
    assert.ok(chromeArgs({ root: false, trustedServerKeys: [key] }).includes(`--ignore-certificate-errors-spki-list=${key}`));
    assert.ok(!chromeArgs({ root: false, trustedServerKeys: ['x,--evil'] }).some((a) => a.startsWith('--ignore-certificate-errors')));
    const insecure = chromeArgs({ root: false, insecure: true, trustedServerKeys: [key] });
    assert.ok(insecure.includes('--ignore-certificate-errors') && !insecure.some((a) => a.startsWith('--ignore-certificate-errors-spki-list')));
  });
});
