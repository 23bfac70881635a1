// Extra certificate authorities (`--ca <file>`, NODE_EXTRA_CA_CERTS): the
// HTTP engine trusts them on top of Node's own roots, and Chromium is told to
// accept exactly the server key that Node verified with them — so the browser
// trusts what the probes trust, and no more (never --ignore-certificate-errors).

import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ConnectionOptions, connect, rootCertificates } from 'node:tls';
import { isIP } from 'node:net';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates in a text (a bundle may hold several); certificates that do not parse are dropped. */
export function pemCertificates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.match(PEM_BLOCK) ?? []) {
    try {
      new X509Certificate(m);
      out.push(`${m}\n`);
    } catch {
      // not a certificate Node can read: left out
    }
  }
  return out;
}

/** Reads a CA file; throws with a one-line reason when it cannot be read or holds no certificate. */
export function readCaFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read the CA file ${path}`);
  }
  const certs = pemCertificates(text);
  if (certs.length === 0) throw new Error(`the CA file ${path} holds no PEM certificate`);
  return certs;
}

/** The certificates NODE_EXTRA_CA_CERTS names (Node adds them to its default store at start-up). */
export function envExtraCas(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return pemCertificates(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/**
 * The full trust list for a connection that names its own CAs: Node's roots,
 * NODE_EXTRA_CA_CERTS and the extra ones. (Passing `ca` to a TLS connection
 * replaces Node's default store, so the defaults must be listed again.)
 */
export function trustList(extra: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return [...rootCertificates, ...envExtraCas(env), ...extra];
}

/** With a CA file: Node's roots, NODE_EXTRA_CA_CERTS and the file; undefined leaves Node's default store (which already holds NODE_EXTRA_CA_CERTS). */
export function caTrust(caFile: string | undefined): string[] | undefined {
  return caFile ? trustList(readCaFile(caFile)) : undefined;
}

/** base64 SHA-256 of a certificate's SubjectPublicKeyInfo: what Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiHash(cert: X509Certificate | string): string {
  const x = typeof cert === 'string' ? new X509Certificate(cert) : cert;
  const der = x.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/**
 * Connects to an https URL's server, verifies its certificate against `ca`
 * (Node's defaults when absent) and the host name, and returns the hash of the
 * server's key — null when the certificate does not verify or nothing answers.
 */
export function verifiedServerKey(url: string, opts: { ca?: string[]; timeoutMs?: number; lookup?: ConnectionOptions['lookup'] } = {}): Promise<string | null> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.resolve(null);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: Number(u.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.lookup ? { lookup: opts.lookup } : {}),
      rejectUnauthorized: true,
      timeout: opts.timeoutMs ?? 10_000,
    });
    const done = (v: string | null) => {
      socket.destroy();
      resolve(v);
    };
    socket.once('secureConnect', () => {
      const peer = socket.getPeerX509Certificate();
      done(socket.authorized && peer ? spkiHash(peer) : null);
    });
    socket.once('error', () => done(null));
    socket.once('timeout', () => done(null));
  });
}
