import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../lib/duckdb.js';
import type { WrittenParquet } from './parquet.js';
import type { FieldDescription } from './schemas.js';
import { sha256OfFile } from './store.js';

/**
 * Parquet files written by DuckDB itself from a query, for connectors whose rows sit in DuckDB:
 * no value crosses into JavaScript. The bytes depend on the rows, the DuckDB version (pinned in
 * package.json) and these settings only, so the same data lands as the same checksum.
 */

// The row group matches the one of `writeParquetFile`; zstd for both.
const copyOptions = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000';

/** Writes the result of `sql` to `path` with `COPY … TO`, and returns its rows and sha256. */
export async function copyQueryToParquet(
  connection: DuckDBConnection,
  sql: string,
  path: string,
): Promise<WrittenParquet> {
  const copied = await connection.runAndReadAll(
    `COPY (${sql}) TO ${quoteLiteral(path)} (${copyOptions})`,
  );
  const rows = Number(copied.getRows()[0]?.[0] ?? 0);
  const { size } = await stat(path);
  return { path, rows, bytes: size, sha256: await sha256OfFile(path) };
}

// `String()` of the Arrow types the contract uses, as manifests record them.
const duckdbTypes: Record<string, string> = {
  Utf8: 'VARCHAR',
  Int16: 'SMALLINT',
  Int32: 'INTEGER',
  Int64: 'BIGINT',
  Float32: 'FLOAT',
  Float64: 'DOUBLE',
  Bool: 'BOOLEAN',
  'Date32<DAY>': 'DATE',
};
const knownTypes = new Set(Object.values(duckdbTypes));

/**
 * How the columns DuckDB reports (of a query or of a Parquet file) differ from the declared
 * fields: names in order, and the type of every field whose Arrow type has a DuckDB twin.
 * Both lists as "(name TYPE, …)", or undefined when they agree.
 */
export function columnMismatch(
  declared: readonly FieldDescription[],
  actual: readonly { name: string; type: string }[],
): { actual: string; expected: string } | undefined {
  const show = (columns: readonly { name: string; type: string }[]) =>
    `(${columns.map((column) => `${column.name} ${column.type}`).join(', ')})`;
  const expected = declared.map((field) => ({
    name: field.name,
    type: duckdbTypes[field.type] ?? field.type,
  }));
  const differs =
    expected.length !== actual.length ||
    expected.some(
      (field, index) =>
        field.name !== actual[index]!.name ||
        (knownTypes.has(field.type) && field.type !== actual[index]!.type),
    );
  return differs ? { actual: show(actual), expected: show(expected) } : undefined;
}
