import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { type RecordBatch, type Schema, Table, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';

/** Parquet files written from Arrow batches, streamed so that memory stays flat. */

export interface WrittenParquet {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

function writerProperties(): parquet.WriterProperties {
  // A fixed created-by keeps the file's bytes a function of its rows alone, so that the same
  // data lands as the same checksum however often it is collected.
  return new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.ZSTD)
    .setCreatedBy('terreze')
    .setMaxRowGroupSize(1_000_000)
    .build();
}

function toWasmBatches(batch: RecordBatch): parquet.RecordBatch[] {
  const ipc = tableToIPC(new Table([batch]), 'stream');
  return parquet.Table.fromIPCStream(ipc).recordBatches();
}

async function writeEmptyParquet(path: string, schema: Schema): Promise<WrittenParquet> {
  const empty = parquet.Table.fromIPCStream(tableToIPC(new Table(schema), 'stream'));
  const bytes = parquet.writeParquet(empty, writerProperties());
  await writeFile(path, bytes);
  return {
    path,
    rows: 0,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * Writes `batches` to `path` as one Parquet file and returns its row count and sha256. Batches
 * are converted and written one at a time; `schema` is used when there is no batch at all.
 */
export async function writeParquetFile(
  path: string,
  schema: Schema,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  onBatch: (rows: number) => void = () => {},
): Promise<WrittenParquet> {
  const iterator =
    Symbol.asyncIterator in batches
      ? (batches as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]()
      : (batches as Iterable<RecordBatch>)[Symbol.iterator]();
  const first = await iterator.next();
  if (first.done) return writeEmptyParquet(path, schema);

  let rows = 0;
  let pendingFirst: RecordBatch | undefined = first.value;
  // The Parquet writer ends its output normally when its input fails, so a failed read
  // would pass for a short, complete file: the failure is kept here and raised below.
  let failure: { error: unknown } | undefined;

  const input = new ReadableStream<parquet.RecordBatch>({
    async pull(controller) {
      let batch = pendingFirst;
      pendingFirst = undefined;
      if (batch === undefined) {
        let next: IteratorResult<RecordBatch>;
        try {
          next = await iterator.next();
        } catch (error) {
          failure = { error };
          controller.close();
          return;
        }
        if (next.done) {
          controller.close();
          return;
        }
        batch = next.value;
      }
      rows += batch.numRows;
      onBatch(rows);
      for (const wasmBatch of toWasmBatches(batch)) controller.enqueue(wasmBatch);
    },
  });

  const output = await parquet.transformParquetStream(input, writerProperties());
  const hash = createHash('sha256');
  let bytes = 0;
  const file = createWriteStream(path);
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      return new Promise((resolve, reject) =>
        file.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
    },
    close() {
      return new Promise((resolve, reject) =>
        file.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    },
    abort() {
      file.destroy();
    },
  });
  await (output as ReadableStream<Uint8Array>).pipeTo(sink);
  if (failure !== undefined) throw failure.error;
  return { path, rows, bytes, sha256: hash.digest('hex') };
}
