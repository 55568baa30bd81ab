import { closeSync, openSync, readSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseCsvRecords } from '../../lib/csv.js';
import type { BadRow } from '../contract.js';

/**
 * Lines of the records DuckDB's CSV reader returned or set aside, found by passes over the
 * file's bytes: only when a message needs one, so the happy path never reads the file twice.
 */

const chunkBytes = 1 << 20;

export interface RecordStarts {
  /** Start line of each data record of the header's width, in file order. */
  lines: number[];
}

/**
 * One pass over the bytes after the header: the start line of each record whose number of
 * fields is the header's, in order — the records DuckDB returns, so the k-th row read starts
 * on `lines[k]`. Quotes are honoured; blank lines carry no record, as for DuckDB.
 */
export function scanRecordStarts(
  path: string,
  delimiter: number,
  width: number,
  afterLine: number,
) {
  const starts: RecordStarts = { lines: [] };
  const file = openSync(path, 'r');
  const buffer = Buffer.alloc(chunkBytes);
  let line = 1;
  let quoted = false;
  let afterCarriageReturn = false;
  let recordLine = 1;
  let fields = 1;
  let empty = true;
  const endRecord = () => {
    if (!empty && recordLine > afterLine && fields === width) starts.lines.push(recordLine);
    fields = 1;
    empty = true;
  };
  try {
    for (;;) {
      const read = readSync(file, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      for (let index = 0; index < read; index += 1) {
        const byte = buffer[index]!;
        // CRLF, LF and a lone CR each end one line; the LF of a CRLF is not counted twice.
        const newline = byte === 0x0d || (byte === 0x0a && !afterCarriageReturn);
        afterCarriageReturn = byte === 0x0d;
        if (byte === 0x0a && !newline) continue;
        if (newline) line += 1;
        if (quoted) {
          if (byte === 0x22) quoted = false;
        } else if (newline) {
          endRecord();
        } else {
          if (empty) recordLine = line;
          empty = false;
          if (byte === 0x22) quoted = true;
          else if (byte === delimiter) fields += 1;
        }
      }
    }
    endRecord();
  } finally {
    closeSync(file);
  }
  return starts;
}

/**
 * The 1-based line at each byte position, by counting line feeds before it. DuckDB counts the
 * positions of a Latin-1 file in the UTF-8 it reads it as: with `latin1`, a byte above 0x7F
 * counts two.
 */
export function linesAtBytes(
  path: string,
  positions: readonly number[],
  latin1 = false,
): Map<number, number> {
  const found = new Map<number, number>();
  const sorted = [...positions].sort((left, right) => left - right);
  const file = openSync(path, 'r');
  const buffer = Buffer.alloc(chunkBytes);
  let position = 0;
  let line = 1;
  let next = 0;
  try {
    while (next < sorted.length) {
      const read = readSync(file, buffer, 0, chunkBytes, null);
      for (let index = 0; index < read && next < sorted.length; index += 1) {
        while (next < sorted.length && sorted[next]! <= position) {
          found.set(sorted[next]!, line);
          next += 1;
        }
        const byte = buffer[index]!;
        if (byte === 0x0a) line += 1;
        position += latin1 && byte > 0x7f ? 2 : 1;
      }
      if (read === 0) break;
    }
  } finally {
    closeSync(file);
  }
  return found;
}

/**
 * The records a `read_csv(…, store_rejects = true)` set aside on `connection`, in file order,
 * as bad rows: the line where each starts, what was wrong, and the record as it was sent.
 */
export async function rejectedRecords(
  connection: DuckDBConnection,
  path: string,
  file: string,
  width: number,
  delimiter: string,
  encoding: 'utf-8' | 'latin-1' = 'utf-8',
): Promise<BadRow[]> {
  const result = await connection.runAndReadAll(
    `SELECT line_byte_position, error_type, error_message, csv_line FROM reject_errors
     ORDER BY line_byte_position`,
  );
  const rows = result.getRows().map(([position, type, message, raw]) => ({
    position: Number(position),
    type: String(type),
    message: String(message),
    raw: String(raw ?? '').replace(/^[\r\n]+/, ''),
  }));
  if (rows.length === 0) return [];
  const lines = linesAtBytes(
    path,
    rows.map((row) => row.position),
    encoding === 'latin-1',
  );
  return rows.map((row) => {
    const found = parseCsvRecords(row.raw, file, { delimiter, partial: false })[0]?.values.length;
    const reason = /COLUMNS/.test(row.type)
      ? `expected ${width} fields as in the header, found ${found ?? 0}`
      : `not a CSV record: ${row.message.split('\n')[0]}`;
    return { file, line: lines.get(row.position) ?? 0, reason, record: row.raw };
  });
}
