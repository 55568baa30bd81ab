import { open, readFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { lineOfRecord } from '../../lib/csv.js';
import { quoteIdentifier, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';
import { type RecordStarts, scanRecordStarts } from './csv-lines.js';

/**
 * A provider CSV loaded into a DuckDB table, every column as text, with what is needed to name
 * the physical line of a record when a value turns out to be bad: the second pass of a checked
 * read (`csv-query.ts`), run only when a check failed. The SQL of sentinels, flags, numbers
 * and checks here serves both passes.
 */

export interface CsvFileOptions {
  delimiter: string;
  /** DuckDB's encoding name; `latin-1` for ISO-8859-1 files. UTF-8 (with or without BOM) else. */
  encoding?: 'utf-8' | 'latin-1';
  /** Lines before the header row (a label row above the codes, say). */
  linesBeforeHeader?: number;
  /** Leave out records of the wrong width instead of failing; `lineOf` skips them too. */
  ignoreErrors?: boolean;
}

export interface CsvTable {
  /** The URL the file came from: what error messages name. */
  url: string;
  path: string;
  table: string;
  header: string[];
  /** 1-based line of the header row. */
  headerLine: number;
  /** The physical line where data record `rowid` (0-based) starts. */
  lineOf(rowid: number): Promise<number>;
}

/** The first `bytes` of a file decoded as Latin-1 (one character per byte), for header probes. */
export async function readHead(path: string, bytes = 65_536): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
}

/**
 * Reads a CSV into `table` with DuckDB's reader, every column as VARCHAR. Insertion order is
 * file order, so a row's `rowid` is its record number among the data records.
 */
export async function loadCsvTable(
  connection: DuckDBConnection,
  source: { url: string; path: string; table: string },
  options: CsvFileOptions,
): Promise<CsvTable> {
  const linesBeforeHeader = options.linesBeforeHeader ?? 0;
  const read = `read_csv(${quoteLiteral(source.path)},
    delim = ${quoteLiteral(options.delimiter)}, quote = '"', escape = '"', header = true,
    skip = ${linesBeforeHeader}, all_varchar = true, encoding = ${quoteLiteral(options.encoding ?? 'utf-8')},
    strict_mode = true, null_padding = false, ignore_errors = ${options.ignoreErrors === true})`;
  try {
    await connection.run(`CREATE TABLE ${quoteIdentifier(source.table)} AS SELECT * FROM ${read}`);
  } catch (error) {
    throw new ParseError(
      source.url,
      `is not a CSV DuckDB can read: ${String(error).split('\n')[0]}`,
    );
  }

  const described = await connection.runAndReadAll(`DESCRIBE ${quoteIdentifier(source.table)}`);
  const header = described.getRows().map((row) => String(row[0]));
  let text: string | undefined;
  let starts: RecordStarts | undefined;
  const headerLine = linesBeforeHeader + 1;
  return {
    ...source,
    header,
    headerLine,
    async lineOf(rowid) {
      // Only read when an error is reported, so the happy path never holds the file as text.
      if (options.ignoreErrors === true) {
        const delimiter = options.delimiter.charCodeAt(0);
        starts ??= scanRecordStarts(source.path, delimiter, header.length, headerLine);
        return starts.lines[rowid] ?? 0;
      }
      text ??= (await readFile(source.path)).toString('latin1');
      return lineOfRecord(text, headerLine + rowid);
    },
  };
}

/** The SQL for "this text is a provider sentinel or missing", sentinels given in lower case. */
export function isSentinelSql(column: string, sentinels: readonly string[]): string {
  const list = sentinels.map(quoteLiteral).join(', ');
  const quoted = quoteIdentifier(column);
  const tested = sentinels.length === 0 ? 'false' : `lower(trim(${quoted})) IN (${list})`;
  return `(${quoted} IS NULL OR trim(${quoted}) = '' OR ${tested})`;
}

export interface NumberColumn {
  column: string;
  type: 'DOUBLE' | 'INTEGER';
  /** `0,052` rather than `0.052`. */
  decimalComma?: boolean;
}

function numberText(column: NumberColumn): string {
  const trimmed = `trim(${quoteIdentifier(column.column)})`;
  return column.decimalComma ? `replace(${trimmed}, ',', '.')` : trimmed;
}

/** The SQL value of a numeric column: NULL for sentinels and blanks, else the cast number. */
export function numberSql(column: NumberColumn, sentinels: readonly string[]): string {
  return `CASE WHEN ${isSentinelSql(column.column, sentinels)} THEN NULL
    ELSE CAST(${numberText(column)} AS ${column.type}) END`;
}

/**
 * The SQL flag of a value: 'empty', 'secret' or 'nd' when it is that sentinel, else NULL. R's
 * `NA` (accepted only where a connector lists it as a sentinel) means not available: 'nd'.
 */
export function flagSql(column: string): string {
  const quoted = quoteIdentifier(column);
  return `CASE WHEN ${quoted} IS NULL OR trim(${quoted}) = '' THEN 'empty'
    WHEN lower(trim(${quoted})) = 'secret' THEN 'secret'
    WHEN lower(trim(${quoted})) IN ('nd', 'na') THEN 'nd' END`;
}

/** A condition on a record's text values that makes the read fail, naming what was expected. */
export interface ValueCheck {
  /** The provider's column the message names. */
  column: string;
  /** SQL over the text columns, true for a bad record. */
  violationSql: string;
  expected: string;
  /** SQL of the problem the message states; "expected …, found <value>" when absent. */
  problemSql?: string;
}

/** The SQL text of a check's problem for the record at hand. */
export function problemSql(check: ValueCheck): string {
  if (check.problemSql !== undefined) return check.problemSql;
  const quoted = quoteIdentifier(check.column);
  return `${quoteLiteral(`expected ${check.expected}, found `)} || CASE WHEN ${quoted} IS NULL
    THEN 'an empty value' ELSE '"' || ${quoted} || '"' END`;
}

/**
 * Fails on the first row (in file order) where the check's violation holds, naming the URL,
 * the line, the column and what was expected.
 */
export async function assertNoViolation(
  connection: DuckDBConnection,
  table: CsvTable,
  check: ValueCheck,
): Promise<void> {
  const result = await connection.runAndReadAll(
    `SELECT rowid, ${problemSql(check)} FROM ${quoteIdentifier(table.table)}
     WHERE ${check.violationSql} ORDER BY rowid LIMIT 1`,
  );
  const row = result.getRows()[0];
  if (row === undefined) return;
  throw new ParseError(table.url, String(row[1]), {
    line: await table.lineOf(Number(row[0])),
    field: check.column,
  });
}

/**
 * The checks that a quantity (among the rows `where` selects) is not below zero: a
 * consumption, a tonnage or a count of delivery points cannot be, and a negative one landed
 * would turn into negative emissions. Sentinels and blanks are not quantities and pass.
 */
export function notNegativeChecks(
  columns: readonly NumberColumn[],
  sentinels: readonly string[],
  where = 'true',
): ValueCheck[] {
  return columns.map((column) => ({
    column: column.column,
    violationSql: `(${where}) AND NOT ${isSentinelSql(column.column, sentinels)}
      AND TRY_CAST(${numberText(column)} AS DOUBLE) < 0`,
    expected: 'a quantity of zero or more',
  }));
}

/** The checks that every value of numeric columns is a number or one of the sentinels. */
export function numberChecks(
  columns: readonly NumberColumn[],
  sentinels: readonly string[],
): ValueCheck[] {
  const allowed = sentinels.length === 0 ? '' : ` or one of ${sentinels.join(', ')}`;
  return columns.map((column) => ({
    column: column.column,
    violationSql: `NOT ${isSentinelSql(column.column, sentinels)}
      AND TRY_CAST(${numberText(column)} AS ${column.type}) IS NULL`,
    expected: `${column.type === 'INTEGER' ? 'an integer' : 'a number'}${allowed} or an empty value`,
  }));
}

/** Runs checks in order on a text table; the first one violated fails, at its first row. */
export async function assertChecks(
  connection: DuckDBConnection,
  table: CsvTable,
  checks: readonly ValueCheck[],
): Promise<void> {
  for (const check of checks) await assertNoViolation(connection, table, check);
}
