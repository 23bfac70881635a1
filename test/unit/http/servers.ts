// Real local servers for the engine tests: node:http, node:https and raw
// node:net, all on 127.0.0.1 with an ephemeral port.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  port: number;
  origin: string;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export async function startHttp(handler: Handler): Promise<Running> {
  const server = http.createServer(handler);
  const sockets = track(server);
  const port = await listen(server);
  return { port, origin: `http://127.0.0.1:${port}`, close: closer(server, sockets) };
}

export async function startHttps(handler: Handler, tls: { key: string; cert: string }): Promise<Running> {
  const server = https.createServer(tls, handler);
  const sockets = track(server);
  const port = await listen(server);
  return { port, origin: `https://127.0.0.1:${port}`, close: closer(server, sockets) };
}

/** A raw TCP server that gets each socket to write whatever bytes it likes. */
export async function startRaw(onSocket: (socket: net.Socket) => void): Promise<Running> {
  const server = net.createServer(onSocket);
  const sockets = track(server);
  const port = await listen(server);
  return { port, origin: `http://127.0.0.1:${port}`, close: closer(server, sockets) };
}

/** A port nothing listens on: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A throw-away self-signed certificate for localhost / 127.0.0.1. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wp401-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A DNS lookup that knows no names at all: tests never reach a real resolver. */
export const noDns: net.LookupFunction = (hostname, _options, callback) => {
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  process.nextTick(() => callback(err, '', 4));
};

/** A throw-away CA and a certificate it issued for localhost / 127.0.0.1 (the server sends the leaf only). */
export function caIssuedCert(): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wp401-ca-'));
  const f = (n: string) => join(dir, n);
  const ossl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('ca-key.pem'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=wp401 unit test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('key.pem'), '-out', f('req.csr'), '-subj', '/CN=localhost']);
    writeFileSync(f('ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    ossl(['x509', '-req', '-in', f('req.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-days', '1', '-extfile', f('ext'), '-out', f('cert.pem')]);
    return { ca: readFileSync(f('ca.pem'), 'utf8'), key: readFileSync(f('key.pem'), 'utf8'), cert: readFileSync(f('cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HeldHttps extends Running {
  /** connections accepted by the kernel whose TLS handshake the server has not started */
  held(): number;
  /** start the handshakes of the held connections (a worker became free) */
  release(): void;
  /** the client ports of the connections each request arrived on, in order */
  arrivals(): number[];
}

/**
 * An HTTPS server with `workers` connections' worth of workers, as Apache
 * prefork: the first `workers` connections are served, and every later one
 * is accepted by the kernel but waits, its handshake not started, until
 * `release()` — as a new connection waits for a free child.
 */
export async function startHeldHttps(handler: Handler, tls: { key: string; cert: string }, workers: number): Promise<HeldHttps> {
  const https_ = https.createServer(tls, handler);
  const arrivals: number[] = [];
  https_.on('request', (req: http.IncomingMessage) => arrivals.push(req.socket.remotePort ?? 0));
  const waiting: net.Socket[] = [];
  let accepted = 0;
  const front = net.createServer((socket) => {
    if (accepted++ < workers) https_.emit('connection', socket);
    else waiting.push(socket);
  });
  const sockets = track(front);
  const port = await listen(front);
  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    close: closer(front, sockets),
    held: () => waiting.length,
    release: () => {
      for (const s of waiting.splice(0)) https_.emit('connection', s);
    },
    arrivals: () => [...arrivals],
  };
}
