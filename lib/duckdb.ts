import { type DuckDBConnection, DuckDBInstance, JSDuckDBValueConverter } from '@duckdb/node-api';
import { type DataType, type RecordBatch, type Schema, Type } from 'apache-arrow';
import { batchFromColumns } from './arrow.js';

/** DuckDB helpers shared by connectors, the lake, the models and the reports. */

/** Quotes an SQL identifier; the only way a name reaches SQL text. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal; for values that cannot be bound as parameters (file paths). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export async function openDatabase(
  path = ':memory:',
  options: Record<string, string> = {},
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The DuckDB type an Arrow field is written and read back as; undefined for other types. */
export function duckdbTypeOf(type: DataType): string | undefined {
  switch (type.typeId) {
    case Type.Utf8:
      return 'VARCHAR';
    case Type.Float:
      return (type as unknown as { precision: number }).precision === 1 ? 'FLOAT' : 'DOUBLE';
    case Type.Int: {
      const bitWidth = (type as unknown as { bitWidth: number }).bitWidth;
      return { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[bitWidth];
    }
    case Type.Bool:
      return 'BOOLEAN';
    case Type.Date:
      return 'DATE';
    default:
      return undefined;
  }
}

/** The columns of a query's result (or of a Parquet file's), with their DuckDB types. */
export async function describeColumns(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ name: string; type: string }[]> {
  const described = await connection.runAndReadAll(
    `SELECT column_name, column_type FROM (DESCRIBE ${sql})`,
  );
  return described.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
}

function toArrowValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
      return typeof value === 'bigint' ? Number(value) : Number(value);
    case Type.Utf8:
      return String(value);
    case Type.Bool:
      return Boolean(value);
    case Type.Date:
      return value instanceof Date ? value : new Date(String(value));
    default:
      return value;
  }
}

/**
 * Runs a query and yields its result as Arrow record batches of `schema`, several DuckDB
 * chunks at a time. The query's columns must come in the schema's order.
 */
export async function* streamBatches(
  connection: DuckDBConnection,
  sql: string,
  schema: Schema,
  rowsPerBatch = 65_536,
): AsyncGenerator<RecordBatch> {
  const result = await connection.stream(sql);
  if (result.columnCount !== schema.fields.length) {
    throw new Error(
      `query returns ${result.columnCount} columns, the schema declares ${schema.fields.length}`,
    );
  }

  let pending: unknown[][] = schema.fields.map(() => []);
  let pendingRows = 0;
  const flush = () => {
    const batch = batchFromColumns(schema, pending);
    pending = schema.fields.map(() => []);
    pendingRows = 0;
    return batch;
  };

  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const columns = chunk.convertColumns(JSDuckDBValueConverter);
    columns.forEach((values, index) => {
      const type = schema.fields[index]!.type as DataType;
      const target = pending[index]!;
      for (const value of values) target.push(toArrowValue(value, type));
    });
    pendingRows += chunk.rowCount;
    if (pendingRows >= rowsPerBatch) yield flush();
  }
  if (pendingRows > 0) yield flush();
}
