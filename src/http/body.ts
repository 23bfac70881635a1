// Reading a response body within bounds: the first `keepBytes` are kept in
// memory, the rest is only counted up to `drainLimit`, then the stream is
// destroyed. Memory stays bounded whatever the server sends.

import type { Readable } from 'node:stream';
import type { BodySummary } from '../model.js';

export interface BodyRead {
  /** the kept prefix */
  data: Buffer;
  /** bytes received from the wire */
  bytes: number;
  /** more arrived than was kept, or reading stopped early */
  truncated: boolean;
  /** reading was stopped at drainLimit */
  tooLarge: boolean;
  /** the stream failed mid-body (reset, timeout…) */
  error?: unknown;
}

export function readBounded(stream: Readable, keepBytes: number, drainLimit: number): Promise<BodyRead> {
  // Event listeners rather than `for await`: this runs once per request and the iterator costs more.
  return new Promise((resolve) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let bytes = 0;
    let tooLarge = false;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      resolve({
        data: Buffer.concat(kept, keptBytes),
        bytes,
        truncated: bytes > keptBytes || tooLarge || error !== undefined,
        tooLarge,
        ...(error !== undefined ? { error } : {}),
      });
    };
    const onData = (raw: Buffer | string) => {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      bytes += chunk.length;
      if (keptBytes < keepBytes) {
        const take = chunk.subarray(0, keepBytes - keptBytes);
        kept.push(Buffer.from(take));
        keptBytes += take.length;
      }
      if (bytes > drainLimit) {
        tooLarge = true;
        stream.destroy(); // drops the connection
        settle();
      }
    };
    stream.on('data', onData);
    stream.once('end', () => settle());
    stream.once('error', (err) => settle(err));
    stream.once('close', () => settle(tooLarge ? undefined : new Error('body stream closed before its end')));
  });
}

/** Charset from a Content-Type, when TextDecoder knows it; UTF-8 otherwise. */
export function decodeText(data: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal: false });
  } catch {
    decoder = new TextDecoder('utf-8', { fatal: false });
  }
  return decoder.decode(data);
}

export type BodyDetails = Partial<Pick<BodySummary, 'title' | 'pageKind' | 'restError' | 'excerpt' | 'facts'>>;

/** Pluggable parser for the final body (page kind, title, REST error). Must not throw; if it does, its result is dropped. */
export type SummarizeBody = (text: string, contentType: string | undefined, url: string, status: number) => BodyDetails;
