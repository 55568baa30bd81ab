import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A file written in large chunks with the stream's back-pressure respected, so that a
 * generator never holds more than one chunk of a file in memory. The file appears under its
 * name only once it is complete.
 */
export interface TextSink {
  write(text: string | Uint8Array): Promise<void>;
  close(): Promise<{ bytes: number }>;
}

const chunkBytes = 1 << 20;

export async function openTextSink(path: string): Promise<TextSink> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const stream: WriteStream = createWriteStream(partial);
  let pending: (string | Uint8Array)[] = [];
  let pendingBytes = 0;
  let bytes = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const buffer = Buffer.concat(
      pending.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)),
    );
    pending = [];
    pendingBytes = 0;
    bytes += buffer.byteLength;
    if (!stream.write(buffer)) {
      await new Promise<void>((resolve) => stream.once('drain', resolve));
    }
  };

  return {
    async write(text) {
      pending.push(text);
      // String length undercounts multi-byte characters; close enough for a chunk size.
      pendingBytes += typeof text === 'string' ? text.length : text.byteLength;
      if (pendingBytes >= chunkBytes) await flush();
    },
    async close() {
      await flush();
      await new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      await rename(partial, path);
      return { bytes };
    },
  };
}
