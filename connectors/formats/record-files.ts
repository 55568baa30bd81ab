import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type DuckDBConnection, JSDuckDBValueConverter } from '@duckdb/node-api';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';
import type { TabularFile, TabularRecord } from './tabular.js';
import { UnreadableRecord } from './typed.js';

/**
 * JSON, JSON Lines and Parquet files read from disk a chunk of records at a time: a JSON
 * array through DuckDB's `read_json_objects` (each element as its own JSON text), Parquet
 * through `read_parquet`, JSON Lines line by line so that a line that does not parse is a bad
 * row with its number instead of the end of the read.
 */

/** The keys of the first records, in the order they appear. */
function columnsOf(records: readonly unknown[]): string[] {
  const columns = new Set<string>();
  for (const record of records) {
    if (record !== null && typeof record === 'object') {
      for (const key of Object.keys(record)) columns.add(key);
    }
  }
  return [...columns];
}

/** Yields a query's rows, one chunk of DuckDB's at a time, as plain values per column. */
async function* queryRows(
  connection: DuckDBConnection,
  sql: string,
): AsyncGenerator<{ names: string[]; values: unknown[] }> {
  const result = await connection.stream(sql);
  const names = result.columnNames();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const columns = chunk.convertColumns(JSDuckDBValueConverter);
    for (let row = 0; row < chunk.rowCount; row += 1) {
      yield { names, values: columns.map((column) => column[row]) };
    }
  }
}

/** The elements of a top-level JSON array, parsed one by one from DuckDB's reader. */
export async function* jsonArrayElements(path: string, file: string): AsyncGenerator<unknown> {
  const database = await openDatabase();
  try {
    const sql = `SELECT json FROM read_json_objects(${quoteLiteral(path)}, format = 'array')`;
    for await (const { values } of queryRows(database.connection, sql)) {
      yield JSON.parse(String(values[0]));
    }
  } catch (error) {
    if (error instanceof SyntaxError) throw new ParseError(file, `is not JSON: ${error.message}`);
    throw new ParseError(file, `expected a JSON array of records: ${String(error).split('\n')[0]}`);
  } finally {
    database.close();
  }
}

/** How many elements a top-level JSON array holds, counted by DuckDB without parsing them. */
export async function countJsonArray(path: string, file: string): Promise<number> {
  const database = await openDatabase();
  try {
    const result = await database.connection.runAndReadAll(
      `SELECT count(*) FROM read_json_objects(${quoteLiteral(path)}, format = 'array')`,
    );
    return Number(result.getRows()[0]![0]);
  } catch (error) {
    throw new ParseError(file, `expected a JSON array of records: ${String(error).split('\n')[0]}`);
  } finally {
    database.close();
  }
}

async function firstRecords(records: AsyncIterable<TabularRecord>, count: number) {
  const first: unknown[] = [];
  for await (const { record } of records) {
    if (!(record instanceof UnreadableRecord)) first.push(record);
    if (first.length >= count) break;
  }
  return first;
}

/** A JSON file whose top level is the array of records. */
export async function openJsonArrayFile(path: string, file: string): Promise<TabularFile> {
  async function* records(): AsyncGenerator<TabularRecord> {
    let line = 0;
    for await (const record of jsonArrayElements(path, file)) {
      line += 1;
      yield { record: record as Record<string, unknown>, location: { file, line } };
    }
  }
  return { columns: columnsOf(await firstRecords(records(), 100)), records };
}

/** The records of JSON Lines text, line by line; a line that is not JSON is a bad row. */
async function* parsedLines(lines: AsyncIterable<string>, file: string) {
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (trimmed.trim() === '') continue;
    let record: Record<string, unknown> | UnreadableRecord;
    try {
      record = JSON.parse(trimmed) as Record<string, unknown>;
    } catch (error) {
      record = new UnreadableRecord(`expected a JSON object: ${String(error)}`, trimmed);
    }
    yield { record, location: { file, line } };
  }
}

/** A JSON Lines file; blank lines are skipped. */
export async function openJsonLinesFile(path: string, file: string): Promise<TabularFile> {
  async function* records(): AsyncGenerator<TabularRecord> {
    const input = createReadStream(path);
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      yield* parsedLines(lines, file);
    } finally {
      lines.close();
      input.destroy();
    }
  }
  return { columns: columnsOf(await firstRecords(records(), 100)), records };
}

/** A Parquet file: its columns from the file's schema, 64-bit integers as numbers. */
export async function openParquetFile(path: string, file: string): Promise<TabularFile> {
  const source = `read_parquet(${quoteLiteral(path)})`;
  const database = await openDatabase();
  let columns: string[];
  try {
    const described = await database.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    columns = described.getRows().map((row) => String(row[0]));
  } catch (error) {
    throw new ParseError(file, `is not a Parquet file: ${String(error).split('\n')[0]}`);
  } finally {
    database.close();
  }

  async function* records(): AsyncGenerator<TabularRecord> {
    const reader = await openDatabase();
    try {
      let line = 0;
      for await (const { names, values } of queryRows(
        reader.connection,
        `SELECT * FROM ${source}`,
      )) {
        line += 1;
        const record = Object.fromEntries(
          names.map((name, index) => {
            const value = values[index];
            return [name, typeof value === 'bigint' ? Number(value) : value];
          }),
        );
        yield { record, location: { file, line } };
      }
    } finally {
      reader.close();
    }
  }
  return { columns, records };
}
