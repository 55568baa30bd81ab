import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  JSDuckDBValueConverter,
  StatementType,
  VARCHAR,
} from '@duckdb/node-api';
import { errorMessage, ReportError } from '../../lib/errors.js';
import { type QueryReads, queryReads } from './sql-tables.js';
import type {
  ParameterSpec,
  ParameterValue,
  PlainRow,
  PlainValue,
  SourcePartition,
  SqlCell,
  SqlResult,
} from './types.js';

/**
 * Runs SQL cells. `${name}` becomes a prepared-statement parameter, so a parameter's value never
 * reaches the SQL text; results come back as plain rows that JSON, Handlebars and Vega accept.
 */

export interface BoundSql {
  /** SQL with `$1`, `$2`… in place of `${name}`. */
  sql: string;
  /** Parameter names in the order of their positions. */
  names: string[];
}

/**
 * Replaces `${name}` by positional parameters, outside string literals, quoted identifiers and
 * comments. A placeholder inside a literal would be text to DuckDB, so it is refused.
 */
export function bindPlaceholders(
  source: string,
  known: ReadonlySet<string>,
  problem: (message: string, lineInCell: number) => never,
): BoundSql {
  const names: string[] = [];
  let sql = '';
  let index = 0;
  let lineInCell = 1;

  while (index < source.length) {
    const character = source[index]!;
    if (character === "'" || character === '"') {
      const end = source.indexOf(character, index + 1);
      const stop = end < 0 ? source.length : end + 1;
      const quoted = source.slice(index, stop);
      if (quoted.includes('${')) {
        problem(
          'a parameter placeholder inside quotes would not be bound; write it outside',
          lineInCell,
        );
      }
      sql += quoted;
      lineInCell += countLines(quoted);
      index = stop;
      continue;
    }
    if (source.startsWith('--', index)) {
      const end = source.indexOf('\n', index);
      const stop = end < 0 ? source.length : end;
      sql += source.slice(index, stop);
      index = stop;
      continue;
    }
    if (source.startsWith('${', index)) {
      const end = source.indexOf('}', index);
      const name = end < 0 ? '' : source.slice(index + 2, end).trim();
      if (!known.has(name)) {
        problem(
          `unknown parameter \${${name}} (declared: ${[...known].join(', ') || 'none'})`,
          lineInCell,
        );
      }
      let position = names.indexOf(name);
      if (position < 0) position = names.push(name) - 1;
      sql += `$${position + 1}`;
      index = end + 1;
      continue;
    }
    if (character === '\n') lineInCell += 1;
    sql += character;
    index += 1;
  }
  return { sql, names };
}

function countLines(text: string): number {
  return text.split('\n').length - 1;
}

const parameterTypes: Record<ParameterSpec['type'], DuckDBType> = {
  integer: BIGINT,
  number: DOUBLE,
  string: VARCHAR,
  boolean: BOOLEAN,
};

function duckdbValue(spec: ParameterSpec, value: ParameterValue): DuckDBValue {
  if (value === null) return null;
  return spec.type === 'integer' ? BigInt(value as number) : value;
}

/** Which tables an audience may read; the caller decides, the engine enforces. */
export interface TableAccess {
  /** Unqualified names of the tables cleared for the audience. */
  allowed: ReadonlySet<string>;
  /** Who the rule protects, for messages: "a public edition". */
  audience: string;
}

export interface SqlCellOptions {
  /** The lake partitions behind the tables a query read, as the caller's lineage tells them. */
  sourcesOf?: (tables: readonly string[]) => readonly SourcePartition[];
  /** When given, a cell that reads any other table, or a table function, stops the render. */
  tableAccess?: TableAccess;
}

/** Runs one SQL cell on `connection` and records its provenance. */
export async function runSqlCell(
  connection: DuckDBConnection,
  cell: SqlCell,
  specs: readonly ParameterSpec[],
  parameters: Readonly<Record<string, ParameterValue>>,
  options: SqlCellOptions = {},
): Promise<SqlResult> {
  const { file } = cell;
  const specsByName = new Map(specs.map((spec) => [spec.name, spec]));
  const bound = bindPlaceholders(
    cell.source,
    new Set(specsByName.keys()),
    (message, lineInCell) => {
      throw new ReportError(file, `sql cell "${cell.name}": ${message}`, cell.line + lineInCell);
    },
  );
  const fail = (message: string, cause?: unknown): never => {
    throw new ReportError(file, `sql cell "${cell.name}" failed: ${message}`, cell.line, { cause });
  };

  let prepared: Awaited<ReturnType<DuckDBConnection['prepare']>> | undefined;
  try {
    prepared = await connection.prepare(bound.sql);
  } catch (error) {
    fail(errorMessage(error), error);
  }
  if (prepared === undefined) return fail('nothing to run');

  try {
    // Reports read; anything else would change the inventory they describe.
    if (prepared.statementType !== StatementType.SELECT) {
      fail('a report cell may only read (one SELECT or WITH … SELECT statement)');
    }
    const reads = await queryReads(connection, bound.sql);
    if (options.tableAccess !== undefined) checkTableAccess(cell, reads, options.tableAccess);

    const boundSpecs = bound.names.map((name) => specsByName.get(name)!);
    prepared.bind(
      boundSpecs.map((spec) => duckdbValue(spec, parameters[spec.name] ?? null)),
      boundSpecs.map((spec) => parameterTypes[spec.type]),
    );

    let reader: Awaited<ReturnType<typeof prepared.runAndReadAll>>;
    try {
      reader = await prepared.runAndReadAll();
    } catch (error) {
      return fail(errorMessage(error), error);
    }
    const rows = reader.convertRowObjects(plainValueConverter) as PlainRow[];

    // TODO(reports): tables whose statement DuckDB cannot serialise are not listed.
    const tables = reads === undefined ? [] : [...reads.tables, ...reads.tableFunctions.map(call)];
    return {
      name: cell.name,
      file,
      line: cell.line,
      sql: cell.source.trim(),
      tables,
      sources: [...(options.sourcesOf?.(reads?.tables ?? []) ?? [])],
      parameters: Object.fromEntries(bound.names.map((name) => [name, parameters[name] ?? null])),
      rows,
    };
  } finally {
    prepared.destroySync();
  }
}

function call(name: string): string {
  return `${name}(…)`;
}

/** A cell that reads a table its audience may not show: the template does not serve it. */
export class TableAccessError extends ReportError {}

/** Fails closed: a query whose reads are unknown, or that calls a table function, is refused. */
function checkTableAccess(cell: SqlCell, reads: QueryReads | undefined, access: TableAccess): void {
  const refuse = (what: string): never => {
    const cleared = [...access.allowed].sort().join(', ') || 'none';
    throw new TableAccessError(
      cell.file,
      `sql cell "${cell.name}" ${what}, which ${access.audience} may not show (tables cleared for it: ${cleared})`,
      cell.line,
    );
  };
  if (reads === undefined) refuse('reads tables that cannot be determined');
  const functions = reads!.tableFunctions;
  if (functions.length > 0) refuse(`calls the table function ${functions.map(call).join(', ')}`);
  const refused = reads!.tables.filter((table) => !access.allowed.has(table));
  if (refused.length > 0) refuse(`reads ${refused.join(', ')}`);
}

const largeIntegerTypes = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.BIGNUM,
]);

const timestampTypes = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

const textTypes = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIME,
  DuckDBTypeId.TIME_NS,
  DuckDBTypeId.TIME_TZ,
  DuckDBTypeId.INTERVAL,
  DuckDBTypeId.BLOB,
  DuckDBTypeId.BIT,
  DuckDBTypeId.GEOMETRY,
]);

/**
 * Numbers as JS numbers (a 64-bit integer beyond 2^53 stays exact as text), dates as
 * `YYYY-MM-DD`, timestamps as ISO 8601 in UTC, the rest through DuckDB's own JS conversion.
 */
const plainValueConverter: DuckDBValueConverter<PlainValue> = (value, type, converter) => {
  if (value === null) return null;
  if (largeIntegerTypes.has(type.typeId)) {
    const integer = value as bigint;
    const small =
      integer >= BigInt(Number.MIN_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER);
    return small ? Number(integer) : integer.toString();
  }
  if (type.typeId === DuckDBTypeId.DATE) return String(value);
  if (timestampTypes.has(type.typeId)) {
    const date = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter) as Date;
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  }
  if (textTypes.has(type.typeId)) return String(value);
  return JSDuckDBValueConverter(value, type, converter as never) as PlainValue;
};
