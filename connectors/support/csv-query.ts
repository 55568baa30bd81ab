import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataType, Schema } from 'apache-arrow';
import { describeColumns, duckdbTypeOf, quoteIdentifier, quoteLiteral } from '../../lib/duckdb.js';
import { errorMessage, ParseError } from '../../lib/errors.js';
import { type ConnectorContext, type QueryMessage, queryMessage } from '../contract.js';
import { rejectedRecords } from './csv-lines.js';
import {
  assertChecks,
  type CsvFileOptions,
  loadCsvTable,
  problemSql,
  type ValueCheck,
} from './csv-table.js';

/**
 * A provider CSV read in place by DuckDB (`read_csv`, every column as text) into the query a
 * connector hands the collection: the checks ride in the statement that writes the partition
 * as `error()` calls, so the file is parsed once and no value crosses into JavaScript. Only
 * when a check fails is the file loaded again, into a table, to find the line of the first bad
 * record in file order, and records of the wrong width are set aside with their line.
 */

export interface CsvFile {
  /** The URL the file came from: what error messages name. */
  url: string;
  path: string;
  options: CsvFileOptions;
  header: string[];
  /** 1-based line of the header row. */
  headerLine: number;
  /** The `read_csv(…)` of the file, to select from. */
  relation: string;
}

function csvRelation(path: string, options: CsvFileOptions): string {
  return `read_csv(${quoteLiteral(path)}, delim = ${quoteLiteral(options.delimiter)},
    quote = '"', escape = '"', header = true, skip = ${options.linesBeforeHeader ?? 0},
    all_varchar = true, encoding = ${quoteLiteral(options.encoding ?? 'utf-8')},
    strict_mode = true, null_padding = false, ignore_errors = true, store_rejects = true)`;
}

/** Opens a downloaded CSV for querying: its header at once, its records through `relation`. */
export async function openCsv(
  connection: DuckDBConnection,
  source: { url: string; path: string },
  options: CsvFileOptions,
): Promise<CsvFile> {
  const relation = csvRelation(source.path, options);
  let header: string[];
  try {
    header = (await describeColumns(connection, `SELECT * FROM ${relation}`)).map(
      (column) => column.name,
    );
  } catch (error) {
    throw new ParseError(source.url, `is not a CSV DuckDB can read: ${firstLine(error)}`);
  }
  const headerLine = (options.linesBeforeHeader ?? 0) + 1;
  return { ...source, options, header, headerLine, relation };
}

function firstLine(error: unknown): string {
  return errorMessage(error).split('\n')[0]!;
}

// What every failed check's error() says first, so that a failure is told from any other.
const checkFailed = 'value check failed: ';

/**
 * The WHERE condition of a checked read: `error()` naming the file, column and value for the
 * first check a record violates, else `keep`. One CASE, so that every record meets every
 * check whatever the optimizer does with the rest of the query, in the order given.
 */
export function checkedWhereSql(url: string, checks: readonly ValueCheck[], keep = 'true'): string {
  if (checks.length === 0) return `(${keep})`;
  const branches = checks.map((check) => {
    const prefix = quoteLiteral(`${checkFailed}${url} field ${check.column}: `);
    return `WHEN ${check.violationSql} THEN error(${prefix} || ${problemSql(check)})`;
  });
  return `CASE ${branches.join('\n      ')} ELSE (${keep}) END`;
}

/**
 * The select list of a stream: each expression cast to its field's DuckDB type and named as
 * the field, in the schema's order, so that what DuckDB writes is what the stream declares.
 */
export function selectList(schema: Schema, expressions: readonly string[]): string {
  if (expressions.length !== schema.fields.length) {
    throw new Error(`${expressions.length} expressions for ${schema.fields.length} fields`);
  }
  return schema.fields
    .map((field, index) => {
      const type = duckdbTypeOf(field.type as DataType);
      if (type === undefined) throw new Error(`no DuckDB type for field ${field.name}`);
      return `CAST(${expressions[index]} AS ${type}) AS ${quoteIdentifier(field.name)}`;
    })
    .join(',\n    ');
}

export interface CheckedQuery {
  /** The select list: one expression per field of the stream, cast and named as declared. */
  select: string;
  /** Checks every record must pass, in the order a failure is looked for. */
  checks: readonly ValueCheck[];
  /** The records to land (a year, a département); all when absent. */
  where?: string;
  /** Called with the rows written: fail an empty read, log what was read. */
  onRows(rows: number): void | Promise<void>;
}

/**
 * The query message of a checked read of `csv`. On failure, the text table of the second pass
 * finds the first record (in file order) of the first check violated, as a ParseError with
 * its line; after the write, records of the wrong width go to the quarantine.
 */
export function checkedCsvQuery(
  context: ConnectorContext,
  connection: DuckDBConnection,
  csv: CsvFile,
  query: CheckedQuery,
): QueryMessage {
  const sql = `SELECT ${query.select} FROM ${csv.relation}
    WHERE ${checkedWhereSql(csv.url, query.checks, query.where)}`;
  return queryMessage({
    connection,
    sql,
    async explainFailure(error) {
      const message = errorMessage(error);
      if (!message.includes(checkFailed)) return error;
      const table = await loadCsvTable(
        connection,
        { url: csv.url, path: csv.path, table: 'checked_records' },
        { ...csv.options, ignoreErrors: true },
      );
      try {
        await assertChecks(connection, table, query.checks);
      } catch (located) {
        if (located instanceof ParseError) return located;
        throw located;
      }
      // Not found again (cannot happen for checks on text alone): the value without its line.
      for (const check of query.checks) {
        const prefix = `${checkFailed}${csv.url} field ${check.column}: `;
        const start = message.indexOf(prefix);
        if (start < 0) continue;
        const problem = message.slice(start + prefix.length).split('\n')[0]!;
        return new ParseError(csv.url, problem, { field: check.column });
      }
      return error;
    },
    async afterWrite(rows) {
      const delimiter = csv.options.delimiter;
      const width = csv.header.length;
      const encoding = csv.options.encoding ?? 'utf-8';
      const rejected = await rejectedRecords(
        connection,
        csv.path,
        csv.url,
        width,
        delimiter,
        encoding,
      );
      for (const badRow of rejected) context.quarantine(badRow);
      await query.onRows(rows);
    },
  });
}
