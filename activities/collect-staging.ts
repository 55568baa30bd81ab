import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { RecordBatch, Schema } from 'apache-arrow';
import {
  type BadRow,
  type ConnectorState,
  isQueryMessage,
  isStateMessage,
  type ReadMessage,
  type StreamDescription,
} from '../connectors/contract.js';
import { writeParquetFile } from '../lake/parquet.js';
import { stagingPath } from '../lake/store.js';
import { openDatabase, quoteIdentifier, quoteLiteral, streamBatches } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import { SchemaError } from './failures.js';

/**
 * The steps between a connector's read and a staged partition: batches checked against the
 * stream's schema, the state message kept aside, bad records counted against the threshold,
 * and rows merged on the primary key.
 */

/** Too many bad records: nothing lands, and the message says what the first ones were. */
export class QuarantineThresholdError extends ParseError {}

/** The provider's columns changed and the source's policy is to fail. */
export class SchemaDriftError extends SchemaError {}

function describeSchema(schema: Schema): string {
  return schema.fields.map((field) => `${field.name}:${String(field.type)}`).join(', ');
}

/**
 * Passes batches through, keeping the last state message in `onState` and failing on the first
 * batch whose schema is not the stream's.
 */
export async function* batchesOf(
  messages: AsyncIterable<ReadMessage> | Iterable<ReadMessage>,
  stream: StreamDescription,
  label: string,
  onState: (state: ConnectorState) => void,
): AsyncGenerator<RecordBatch> {
  const expected = describeSchema(stream.schema);
  for await (const message of messages) {
    if (isStateMessage(message)) {
      onState(message.state);
      continue;
    }
    if (isQueryMessage(message)) {
      throw new SchemaError(
        `${label} yielded a query after batches; a read yields one or the other`,
        {
          stream: stream.name,
        },
      );
    }
    const actual = describeSchema(message.schema);
    if (actual !== expected) {
      throw new SchemaError(
        `${label} yielded columns (${actual}), its stream ${stream.name} declares (${expected})`,
        { stream: stream.name },
      );
    }
    yield message;
  }
}

/** Fails when bad records pass `maxShare` of all records read; nothing is staged then. */
export function checkBadRowShare(
  label: string,
  badRows: readonly BadRow[],
  goodRows: number,
  maxShare: number,
): void {
  const total = badRows.length + goodRows;
  if (badRows.length === 0 || badRows.length / total <= maxShare) return;
  const examples = badRows
    .slice(0, 3)
    .map((row) => `${row.file}:${row.line} ${row.reason}`)
    .join('; ');
  const percent = ((badRows.length / total) * 100).toFixed(2);
  throw new QuarantineThresholdError(
    badRows[0]!.file,
    `${label}: ${badRows.length} of ${total} records are bad (${percent} %, more than the ` +
      `${(maxShare * 100).toFixed(2)} % maxBadRowShare allows); nothing landed. First: ${examples}`,
  );
}

/** Writes bad records as JSON Lines in the staging folder, or nothing when there are none. */
export async function stageQuarantine(
  lakeDir: string,
  badRows: readonly BadRow[],
): Promise<{ stagingFile: string; rows: number; sha256: string } | undefined> {
  if (badRows.length === 0) return undefined;
  // In file and line order, whichever order the reader found them in.
  const ordered = [...badRows].sort(
    (left, right) => left.file.localeCompare(right.file) || left.line - right.line,
  );
  const text = ordered
    .map((row) =>
      JSON.stringify({ file: row.file, line: row.line, reason: row.reason, record: row.record }),
    )
    .join('\n');
  const stagingFile = await stagingPath(lakeDir, 'jsonl');
  await writeFile(stagingFile, `${text}\n`);
  const sha256 = createHash('sha256').update(`${text}\n`).digest('hex');
  return { stagingFile, rows: badRows.length, sha256 };
}

/**
 * Rewrites a staged file with one row per primary key, ordered by it, so that pages read twice
 * never land twice and the file's bytes do not depend on page order. With `previousFile`
 * (an incremental read), rows of the previous partition whose key was not read again are kept.
 * The last occurrence of a key wins: a later page, then the new read over the old partition.
 */
export async function mergeOnPrimaryKey(
  lakeDir: string,
  stream: StreamDescription,
  stagedFile: string,
  previousFile: string | undefined,
): Promise<{ path: string; rows: number; bytes: number; sha256: string; duplicates: number }> {
  const key = (stream.primaryKey ?? []).map(quoteIdentifier);
  const columns = stream.schema.fields.map((field) => quoteIdentifier(field.name));
  const fresh = `SELECT ${columns.join(', ')}, 1 AS generation, file_row_number AS ordinal
    FROM read_parquet(${quoteLiteral(stagedFile)}, file_row_number = true)`;
  const previous =
    previousFile !== undefined && existsSync(previousFile)
      ? ` UNION ALL BY NAME SELECT *, 0 AS generation, file_row_number AS ordinal
        FROM read_parquet(${quoteLiteral(previousFile)}, file_row_number = true)`
      : '';
  const sql = `SELECT ${columns.join(', ')} FROM (${fresh}${previous})
    QUALIFY row_number() OVER (PARTITION BY ${key.join(', ')}
      ORDER BY generation DESC, ordinal DESC) = 1
    ORDER BY ${key.join(', ')}`;

  const database = await openDatabase();
  try {
    // TODO(ingest): the merged rows come back through streamBatches and parquet-wasm; a
    // `COPY (…) TO` of this query would keep them in DuckDB, changing merged partitions' bytes.
    const counted = await database.connection.runAndReadAll(
      `SELECT count(*) - count(DISTINCT (${key.join(', ')})) FROM read_parquet(${quoteLiteral(stagedFile)})`,
    );
    const duplicates = Number(counted.getRows()[0]?.[0] ?? 0);
    const path = await stagingPath(lakeDir);
    const written = await writeParquetFile(
      path,
      stream.schema,
      streamBatches(database.connection, sql, stream.schema),
    );
    await rm(stagedFile, { force: true });
    return { ...written, duplicates };
  } finally {
    database.close();
  }
}
