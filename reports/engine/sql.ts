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
import type {
  ParameterSpec,
  ParameterValue,
  PlainRow,
  PlainValue,
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

/** Runs one SQL cell on `connection` and records its provenance. */
export async function runSqlCell(
  file: string,
  connection: DuckDBConnection,
  cell: SqlCell,
  specs: readonly ParameterSpec[],
  parameters: Readonly<Record<string, ParameterValue>>,
): Promise<SqlResult> {
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

    return {
      name: cell.name,
      line: cell.line,
      sql: cell.source.trim(),
      tables: tablesRead(connection, bound),
      parameters: Object.fromEntries(bound.names.map((name) => [name, parameters[name] ?? null])),
      rows,
    };
  } finally {
    prepared.destroySync();
  }
}

// TODO(reports): files read through table functions (read_parquet, read_csv) are not listed.
/**
 * Tables named by the query, for provenance. DuckDB's parser lists none once a query holds
 * parameters, so the names are read from a copy with NULL in their place; that copy never runs.
 */
function tablesRead(connection: DuckDBConnection, bound: BoundSql): string[] {
  const parseable = bound.sql.replace(/\$\d+/g, 'NULL');
  let names: readonly string[];
  try {
    names = connection.getTableNames(parseable, true);
  } catch {
    // TODO(reports): record tables of queries DuckDB's table-name parser rejects.
    return [];
  }
  const tables = names.map((name) => name.replace(/\s+AS\s+.*$/i, ''));
  return [...new Set(tables)].sort();
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
