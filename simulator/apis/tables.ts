import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { dataFilePath } from '../data-files.js';

/**
 * Provider files loaded once as typed rows for the simulated JSON APIs: CSV through DuckDB's
 * reader (which types columns the way the providers' APIs do), JSON arrays as they are.
 */

export type TableValue = string | number | boolean | null;
export type TableRow = Record<string, TableValue>;

export interface TableColumn {
  key: string;
  /** The file's own header for the column. */
  originalName: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
}

export interface Table {
  columns: TableColumn[];
  rows: TableRow[];
}

export interface CsvTableSource {
  file: string;
  delimiter: string;
  encoding?: 'utf-8' | 'latin-1';
  decimalComma?: boolean;
  /** The API's key for a header (data-fair replaces spaces with underscores). */
  keyOf?: (header: string) => string;
}

function columnType(duckdbType: string): TableColumn['type'] {
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER)$/.test(duckdbType)) {
    return 'integer';
  }
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(duckdbType)) return 'number';
  if (duckdbType === 'BOOLEAN') return 'boolean';
  return 'string';
}

function plain(value: unknown): TableValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    return value;
  }
  return String(value);
}

/** Reads a CSV with DuckDB's type detection; the rows keep the file's order. */
export async function loadCsvRows(dataDir: string, source: CsvTableSource): Promise<Table> {
  const database = await openDatabase();
  try {
    const options = [
      `delim = ${quoteLiteral(source.delimiter)}`,
      `encoding = ${quoteLiteral(source.encoding ?? 'utf-8')}`,
      "quote = '\"'",
      'header = true',
      // Codes such as 02A or 17 must stay text: only these types are guessed.
      "auto_type_candidates = ['VARCHAR', 'DOUBLE', 'BIGINT']",
      ...(source.decimalComma ? ["decimal_separator = ','"] : []),
    ];
    const result = await database.connection.runAndReadAll(
      `SELECT * FROM read_csv(${quoteLiteral(dataFilePath(dataDir, source.file))}, ${options.join(', ')})`,
    );
    const keyOf = source.keyOf ?? ((header: string) => header);
    const columns = result.columnNames().map((name, index) => ({
      key: keyOf(name),
      originalName: name,
      type: columnType(String(result.columnTypes()[index])),
    }));
    const rows = result.getRows().map((values) => {
      const row: TableRow = {};
      columns.forEach((column, index) => {
        row[column.key] = plain(values[index]);
      });
      return row;
    });
    return { columns, rows };
  } finally {
    database.close();
  }
}

/** Reads a JSON array of flat records. */
export async function loadJsonRows(dataDir: string, file: string): Promise<Table> {
  const rows = JSON.parse(await readFile(dataFilePath(dataDir, file), 'utf8')) as TableRow[];
  const first = rows[0] ?? {};
  const columns = Object.entries(first).map(([key, value]) => ({
    key,
    originalName: key,
    type: (typeof value === 'number'
      ? Number.isInteger(value)
        ? 'integer'
        : 'number'
      : typeof value === 'boolean'
        ? 'boolean'
        : 'string') as TableColumn['type'],
  }));
  return { columns, rows };
}

/** Loads each table once per simulator, on first use, and again when `fileOf(name)` changes. */
export function tableCache(
  load: (name: string) => Promise<Table> | undefined,
  fileOf: (name: string) => string | undefined = () => undefined,
) {
  const loaded = new Map<string, { stamp: string; table: Promise<Table> }>();
  return (name: string): Promise<Table> | undefined => {
    // A provider that publishes between two collections: a changed file is read again.
    const file = fileOf(name);
    const info = file === undefined ? undefined : statSync(file, { throwIfNoEntry: false });
    const stamp = info === undefined ? '' : `${info.mtimeMs}:${info.size}`;
    const cached = loaded.get(name);
    if (cached !== undefined && cached.stamp === stamp) return cached.table;
    const pending = load(name);
    if (pending === undefined) return undefined;
    loaded.set(name, { stamp, table: pending });
    // A failed load (a file missing) is tried again on the next request, not kept.
    pending.catch(() => loaded.delete(name));
    return pending;
  };
}

/**
 * Applies data-fair style filters from the query: `<key>_eq`, `<key>_in` (comma-separated),
 * `<key>_gte`, `<key>_lte`. Numbers compare as numbers, text as text.
 */
export function filterRows(table: Table, params: URLSearchParams): TableRow[] {
  const filters: ((row: TableRow) => boolean)[] = [];
  for (const [name, value] of params) {
    const match = /^(.+)_(eq|in|gte|lte)$/.exec(name);
    const column = table.columns.find((candidate) => candidate.key === match?.[1]);
    if (match === null || column === undefined) continue;
    const numeric = column.type === 'integer' || column.type === 'number';
    const compare = (cell: TableValue, bound: string) =>
      numeric ? Number(cell) - Number(bound) : String(cell).localeCompare(bound);
    const test = {
      eq: (cell: TableValue) => cell !== null && String(cell) === value,
      in: (cell: TableValue) => cell !== null && value.split(',').includes(String(cell)),
      gte: (cell: TableValue) => cell !== null && compare(cell, value) >= 0,
      lte: (cell: TableValue) => cell !== null && compare(cell, value) <= 0,
    }[match[2] as 'eq' | 'in' | 'gte' | 'lte'];
    filters.push((row) => test(row[column.key] ?? null));
  }
  return table.rows.filter((row) => filters.every((filter) => filter(row)));
}

/** Keeps the `select`ed keys (comma-separated) of each row; all of them when absent. */
export function selectKeys(rows: readonly TableRow[], select: string | null): TableRow[] {
  if (select === null || select.trim() === '') return [...rows];
  const keys = select.split(',').map((key) => key.trim());
  return rows.map((row) => Object.fromEntries(keys.map((key) => [key, row[key] ?? null])));
}
