import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { decodeText } from '../../lib/csv.js';
import { ParseError } from '../../lib/errors.js';
import { openCsvFile } from './csv-file.js';
import { openJsonArrayFile, openJsonLinesFile, openParquetFile } from './record-files.js';
import type { RecordLocation, UnreadableRecord } from './typed.js';

/**
 * Provider files as records keyed by column, read from disk: CSV (delimiter and encoding
 * sniffed, the header row found among label rows), JSON Lines, JSON arrays and Parquet
 * streamed a chunk at a time; XLSX and JSON with a records path read whole.
 */

export const fileFormat = z.enum(['csv', 'xlsx', 'json', 'jsonl', 'parquet']);
export type FileFormat = z.infer<typeof fileFormat>;

export const tabularOptions = z.strictObject({
  format: fileFormat.optional(),
  /** CSV: the delimiter; sniffed among `;`, `,`, tab and `|` when absent. */
  delimiter: z.string().length(1).optional(),
  /** CSV: the encoding; UTF-8 (with or without BOM) else Windows-1252 when `auto`. */
  encoding: z.enum(['auto', 'utf-8', 'windows-1252']).default('auto'),
  /**
   * CSV and XLSX: the 1-based row of the column names. When absent, the first of the first ten
   * rows that holds every declared column (so label rows above the codes are skipped), else 1.
   */
  headerRow: z.number().int().positive().optional(),
  /** XLSX: the sheet's name; the first sheet when absent. */
  sheet: z.string().min(1).optional(),
  /** JSON: the dot path of the array of records (`data.stations`); the top level when absent. */
  recordsPath: z.string().optional(),
});

export type TabularOptions = z.infer<typeof tabularOptions>;

export interface TabularRecord {
  record: Record<string, unknown> | UnreadableRecord;
  location: RecordLocation;
}

/** An opened file: its columns at once, its records as a stream read from disk. */
export interface TabularFile {
  columns: string[];
  records(): AsyncIterable<TabularRecord>;
}

/** The format told by a file name's extension. */
export function formatOfName(name: string): FileFormat | undefined {
  const extension = /\.([a-z]+)(?:\?.*)?$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'ndjson') return 'jsonl';
  const parsed = fileFormat.safeParse(extension);
  return parsed.success ? parsed.data : undefined;
}

function headerIndex(
  rows: readonly string[][],
  options: TabularOptions,
  wanted: readonly string[],
) {
  if (options.headerRow !== undefined) return options.headerRow - 1;
  if (wanted.length === 0) return 0;
  const normalized = (text: string) => text.trim().toLowerCase();
  const found = rows
    .slice(0, 10)
    .findIndex((row) => wanted.every((name) => row.map(normalized).includes(normalized(name))));
  return Math.max(found, 0);
}

/** Pairs a header with row values; a row wider or narrower than the header is a bad record. */
function keyed(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null]));
}

/** The plain value of an XLSX cell: formulas give their result, rich text its text. */
function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value;
  if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return value.text;
  if ('error' in value) return value.error;
  return null;
}

// TODO(connectors): XLSX is loaded whole; exceljs's streaming WorkbookReader would bound the
// memory of a large workbook, once shared strings and rich text are read through it.
async function openXlsx(path: string, file: string, options: TabularOptions, wanted: string[]) {
  const bytes = await readFile(path);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ParseError(file, `is not an XLSX workbook: ${String(error)}`);
  }
  const sheet =
    options.sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(options.sheet);
  if (sheet === undefined) {
    const names = workbook.worksheets.map((item) => item.name).join(', ');
    throw new ParseError(
      file,
      `expected a sheet ${options.sheet ?? ''}, the workbook has ${names}`,
    );
  }
  const rows: { line: number; values: unknown[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
    rows.push({ line: rowNumber, values });
  });
  const index = headerIndex(
    rows.map((row) => row.values.map((value) => String(value ?? ''))),
    options,
    wanted,
  );
  const header = rows[index];
  if (header === undefined) throw new ParseError(file, 'expected a header row, found none');
  const columns = header.values.map((value) => String(value ?? '').trim());
  const records = rows.slice(index + 1).map((row) => ({
    record: keyed(columns, row.values),
    location: { file, line: row.line },
  }));
  return {
    columns,
    records: async function* () {
      yield* records;
    },
  };
}

function columnsOf(records: readonly unknown[]): string[] {
  const columns = new Set<string>();
  for (const record of records.slice(0, 100)) {
    if (record !== null && typeof record === 'object') {
      for (const key of Object.keys(record)) columns.add(key);
    }
  }
  return [...columns];
}

// TODO(connectors): a JSON file whose records sit at a path inside the document is parsed
// whole; only a top-level array streams (through DuckDB's read_json_objects).
async function openJsonAtPath(path: string, file: string, recordsPath: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeText(new Uint8Array(await readFile(path)), 'utf-8').text);
  } catch (error) {
    throw new ParseError(file, `is not JSON: ${String(error)}`);
  }
  let list: unknown = parsed;
  for (const part of recordsPath.split('.').filter(Boolean)) {
    list = (list as Record<string, unknown> | null)?.[part];
  }
  if (!Array.isArray(list)) {
    throw new ParseError(file, `expected an array of records at "${recordsPath}"`);
  }
  const records = list.map((record, index) => ({
    record: record as Record<string, unknown>,
    location: { file, line: index + 1 },
  }));
  return {
    columns: columnsOf(list),
    records: async function* () {
      yield* records;
    },
  };
}

/**
 * Opens a file on disk for reading records; `file` (its URL or path) is what errors name,
 * `wanted` are the declared columns, used to find the header row, and `scratchDir` takes a
 * transcoded copy when one is needed.
 */
export async function openTabular(
  path: string,
  file: string,
  options: TabularOptions,
  wanted: string[],
  scratchDir: string,
): Promise<TabularFile> {
  const format = options.format ?? formatOfName(file);
  if (format === undefined) {
    throw new ParseError(
      file,
      'expected a format (csv, xlsx, json, jsonl, parquet) or a file name ending with one',
    );
  }
  if (format === 'csv') {
    const header = (rows: readonly string[][]) => headerIndex(rows, options, wanted);
    return openCsvFile(path, file, options, header, scratchDir);
  }
  if (format === 'xlsx') return openXlsx(path, file, options, wanted);
  if (format === 'json') {
    return (options.recordsPath ?? '') === ''
      ? openJsonArrayFile(path, file)
      : openJsonAtPath(path, file, options.recordsPath!);
  }
  if (format === 'jsonl') return openJsonLinesFile(path, file);
  return openParquetFile(path, file);
}
