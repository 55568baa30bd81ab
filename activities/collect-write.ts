import {
  type ConnectorState,
  isQueryMessage,
  isStateMessage,
  type QueryMessage,
  type ReadMessage,
  type StreamDescription,
} from '../connectors/contract.js';
import { type WrittenParquet, writeParquetFile } from '../lake/parquet.js';
import { columnMismatch, copyQueryToParquet } from '../lake/parquet-copy.js';
import { describeFields, type FieldDescription } from '../lake/schemas.js';
import { describeColumns, openDatabase, quoteLiteral } from '../lib/duckdb.js';
import type { StagedPartition } from '../workflows/types.js';
import { batchesOf } from './collect-staging.js';
import { SchemaError } from './failures.js';

/**
 * Writes what a connector's read yields into one staged Parquet file: record batches through
 * parquet-wasm, or the one query a DuckDB-backed connector yields through DuckDB's own COPY.
 */

export interface WriteReadOptions {
  stream: StreamDescription;
  /** "source … period …", for messages. */
  label: string;
  path: string;
  heartbeat(details?: unknown): void;
  signal?: AbortSignal;
  onState(state: ConnectorState): void;
}

// COPY is one native call: the heartbeat goes on beating while it runs.
const copyHeartbeatMs = 5_000;

/** Runs the COPY of a query message, with its checks explained on failure. */
export async function writeQueryMessage(message: QueryMessage, options: WriteReadOptions) {
  const { connection, sql } = message;
  const started = Date.now();
  const beat = setInterval(
    () => options.heartbeat({ copying: options.path, elapsedMs: Date.now() - started }),
    copyHeartbeatMs,
  );
  const interrupt = () => connection.interrupt();
  options.signal?.addEventListener('abort', interrupt);
  let written: WrittenParquet;
  try {
    const mismatch = columnMismatch(
      describeFields(options.stream.schema),
      await describeColumns(connection, sql),
    );
    if (mismatch !== undefined) {
      throw new SchemaError(
        `${options.label}: its query returns the columns ${mismatch.actual}, its stream ` +
          `${options.stream.name} declares ${mismatch.expected}; nothing was written`,
        { stream: options.stream.name },
      );
    }
    written = await copyQueryToParquet(connection, sql, options.path);
  } catch (error) {
    throw error instanceof SchemaError ? error : await (message.explainFailure?.(error) ?? error);
  } finally {
    clearInterval(beat);
    options.signal?.removeEventListener('abort', interrupt);
  }
  options.heartbeat({ rows: written.rows });
  await message.afterWrite?.(written.rows);
  return written;
}

/** The messages after a query: state messages only. */
async function afterQuery(
  iterator: AsyncIterator<ReadMessage>,
  options: WriteReadOptions,
): Promise<void> {
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    if (!isStateMessage(next.value)) {
      throw new SchemaError(
        `${options.label} yielded rows after its query; a read yields one query or batches`,
        { stream: options.stream.name },
      );
    }
    options.onState(next.value.state);
  }
}

async function* prepended<T>(first: T, iterator: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * Writes a read into `options.path` and returns its rows, bytes and sha256. The state messages
 * go to `onState`; a read that yields a query has DuckDB write the file, any other is written
 * from its batches, which must match the stream's schema.
 */
export async function writeRead(
  messages: AsyncIterable<ReadMessage>,
  options: WriteReadOptions,
): Promise<WrittenParquet> {
  const iterator = messages[Symbol.asyncIterator]();
  let first: IteratorResult<ReadMessage>;
  try {
    do {
      first = await iterator.next();
      if (!first.done && isStateMessage(first.value)) options.onState(first.value.state);
    } while (!first.done && isStateMessage(first.value));
    if (!first.done && isQueryMessage(first.value)) {
      const written = await writeQueryMessage(first.value, options);
      await afterQuery(iterator, options);
      return written;
    }
  } catch (error) {
    // Ends the read (its database closes) before the failure goes on.
    await iterator.return?.();
    throw error;
  }

  const batches = first.done ? [] : prepended(first.value, iterator);
  return writeParquetFile(
    options.path,
    options.stream.schema,
    batchesOf(batches, options.stream, options.label, options.onState),
    (rows) => options.heartbeat({ rows }),
  );
}

/**
 * Fails unless the staged file holds the rows the fetch counted, with the declared columns in
 * order and, for every type DuckDB has a twin of, the declared type: whoever wrote it.
 */
export async function checkStagedFile(
  staged: StagedPartition,
  declared: readonly FieldDescription[],
): Promise<void> {
  const database = await openDatabase();
  try {
    const file = `read_parquet(${quoteLiteral(staged.stagingFile)})`;
    const count = await database.connection.runAndReadAll(`SELECT count(*) FROM ${file}`);
    const rows = Number(count.getRows()[0]?.[0]);
    const mismatch = columnMismatch(
      declared,
      await describeColumns(database.connection, `SELECT * FROM ${file}`),
    );
    if (rows !== staged.rows || mismatch !== undefined) {
      const columns = mismatch === undefined ? 'as declared' : `${mismatch.actual}`;
      const declaredColumns = mismatch === undefined ? '' : ` and ${mismatch.expected}`;
      throw new SchemaError(
        `staged partition of ${staged.sourceId} ${staged.period} has ${rows} rows and the ` +
          `columns ${columns}; expected ${staged.rows} rows${declaredColumns}`,
        { sourceId: staged.sourceId, period: staged.period },
      );
    }
  } finally {
    database.close();
  }
}
