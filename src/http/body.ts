// Reading a response body within bounds: the first `keepBytes` are kept in
// memory, the rest is only counted up to `drainLimit`, then the stream is
// destroyed. Memory stays bounded whatever the server sends.

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

export async function readBounded(
  stream: AsyncIterable<Buffer | Uint8Array | string> & { destroy?: (err?: Error) => void },
  keepBytes: number,
  drainLimit: number,
): Promise<BodyRead> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bytes = 0;
  let tooLarge = false;
  let error: unknown;
  try {
    for await (const raw of stream) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      bytes += chunk.length;
      if (keptBytes < keepBytes) {
        const take = chunk.subarray(0, keepBytes - keptBytes);
        kept.push(Buffer.from(take));
        keptBytes += take.length;
      }
      if (bytes > drainLimit) {
        tooLarge = true;
        break; // leaving the loop destroys the stream and its connection
      }
    }
  } catch (err) {
    error = err;
  }
  return {
    data: Buffer.concat(kept, keptBytes),
    bytes,
    truncated: bytes > keptBytes || tooLarge || error !== undefined,
    tooLarge,
    error,
  };
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

export type BodyDetails = Partial<Pick<BodySummary, 'title' | 'pageKind' | 'restError' | 'excerpt'>>;

/** Pluggable parser for the final body (page kind, title, REST error). Must not throw; if it does, its result is dropped. */
export type SummarizeBody = (text: string, contentType: string | undefined, url: string, status: number) => BodyDetails;
