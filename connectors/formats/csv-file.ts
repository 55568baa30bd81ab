import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, JSDuckDBValueConverter } from '@duckdb/node-api';
import { parseCsvRecords, sniffDelimiter } from '../../lib/csv.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';
import { readHead } from '../support/csv-table.js';
import type { TabularFile, TabularOptions, TabularRecord } from './tabular.js';
import { UnreadableRecord } from './typed.js';

/**
 * A dropped CSV read from disk by DuckDB's reader, streamed chunk by chunk: the file is never
 * held in memory. The dialect comes from the file's head (encoding, delimiter, the header row
 * among label rows); every value is read as text for the typer. DuckDB sets aside records of
 * the wrong width, which become bad rows with their line. Lines are only counted when a record
 * needs one — a bad value — by one pass over the bytes.
 */

const headBytes = 65_536;
const chunkBytes = 1 << 20;

/**
 * A Windows-1252 file rewritten as UTF-8 in the work folder, chunk by chunk: DuckDB reads
 * Latin-1 but refuses the letters 1252 puts in 0x80–0x9F (€, œ, ’).
 */
async function utf8Copy(path: string, scratchDir: string): Promise<string> {
  const target = join(scratchDir, `${randomUUID()}.utf8.csv`);
  const decoder = new TextDecoder('windows-1252');
  const output = createWriteStream(target);
  for await (const chunk of createReadStream(path)) {
    if (!output.write(decoder.decode(chunk as Buffer, { stream: true }))) {
      await once(output, 'drain');
    }
  }
  output.end(decoder.decode());
  await once(output, 'finish');
  return target;
}

/** UTF-8 when the head has a byte-order mark or decodes as UTF-8, else Windows-1252. */
function encodingOf(head: Buffer, options: TabularOptions): 'utf-8' | 'windows-1252' {
  if (options.encoding !== 'auto') return options.encoding;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  try {
    // `stream` lets a character cut at the end of the head pass.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

interface RecordStarts {
  /** Start line of each data record of the header's width, in file order. */
  lines: number[];
}

/**
 * One pass over the bytes after the header: the start line of each record whose number of
 * fields is the header's, in order — the records DuckDB returns, so the k-th row read starts
 * on `lines[k]`. Quotes are honoured; blank lines carry no record, as for DuckDB.
 */
function scanRecordStarts(path: string, delimiter: number, width: number, afterLine: number) {
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

/** The 1-based line at each byte position (sorted), by counting line feeds before it. */
function linesAtBytes(path: string, positions: readonly number[]): Map<number, number> {
  const found = new Map<number, number>();
  const sorted = [...positions].sort((left, right) => left - right);
  const file = openSync(path, 'r');
  const buffer = Buffer.alloc(chunkBytes);
  let offset = 0;
  let line = 1;
  let next = 0;
  try {
    while (next < sorted.length) {
      const read = readSync(file, buffer, 0, chunkBytes, offset);
      for (let index = 0; index < read && next < sorted.length; index += 1) {
        while (next < sorted.length && sorted[next] === offset + index) {
          found.set(sorted[next]!, line);
          next += 1;
        }
        if (buffer[index] === 0x0a) line += 1;
      }
      if (read === 0) break;
      offset += read;
    }
  } finally {
    closeSync(file);
  }
  return found;
}

/** Opens a CSV on disk: its columns at once, its records as a stream. */
export async function openCsvFile(
  source: string,
  file: string,
  options: TabularOptions,
  headerIndex: (rows: readonly string[][]) => number,
  scratchDir: string,
): Promise<TabularFile> {
  const head = Buffer.from(await readHead(source, headBytes), 'latin1');
  const encoding = encodingOf(head, options);
  const headText = new TextDecoder(encoding).decode(head);
  const delimiter = options.delimiter ?? sniffDelimiter(headText, file);
  const headRecords = parseCsvRecords(headText, file, { delimiter, partial: true });
  const header = headRecords[headerIndex(headRecords.map((record) => record.values))];
  if (header === undefined) throw new ParseError(file, 'expected a header line, found none');
  const columns = header.values.map((value) => value.trim());
  // The header's last line: it may hold a quoted line break.
  const headerEnd = header.line + (header.values.join('').match(/\n/g)?.length ?? 0);
  // DuckDB, the line scan and the rejects all read the same UTF-8 bytes.
  const path = encoding === 'utf-8' ? source : await utf8Copy(source, scratchDir);

  let starts: RecordStarts | undefined;
  const lineOfRow = (row: number) => {
    starts ??= scanRecordStarts(path, delimiter.charCodeAt(0), columns.length, headerEnd);
    return starts.lines[row] ?? 0;
  };

  async function* records(): AsyncGenerator<TabularRecord> {
    const database = await openDatabase();
    try {
      const declared = columns.map((_, index) => `'c${index}': 'VARCHAR'`).join(', ');
      const result = await database.connection.stream(
        `SELECT * FROM read_csv(${quoteLiteral(path)}, delim = ${quoteLiteral(delimiter)},
          quote = '"', escape = '"', header = false, skip = ${headerEnd}, auto_detect = false,
          columns = {${declared}}, encoding = 'utf-8',
          strict_mode = true, null_padding = false, ignore_errors = true, store_rejects = true)`,
      );
      let row = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        const values = chunk.convertColumns(JSDuckDBValueConverter);
        for (let index = 0; index < chunk.rowCount; index += 1) {
          const record: Record<string, unknown> = {};
          columns.forEach((column, position) => {
            const value = values[position]![index];
            record[column] = typeof value === 'string' ? value : null;
          });
          const ordinal = row;
          row += 1;
          // The line is counted only if the typer asks for it (a bad value).
          yield {
            record,
            location: {
              file,
              get line() {
                return lineOfRow(ordinal);
              },
            },
          };
        }
      }
      yield* rejected(database.connection, path, file, columns.length, delimiter);
    } catch (error) {
      if (error instanceof ParseError) throw error;
      throw new ParseError(file, `is not a CSV DuckDB can read: ${String(error).split('\n')[0]}`);
    } finally {
      database.close();
    }
  }

  return { columns, records };
}

/** The records DuckDB set aside, as bad rows with their line and what was wrong. */
async function* rejected(
  connection: DuckDBConnection,
  path: string,
  file: string,
  width: number,
  delimiter: string,
): AsyncGenerator<TabularRecord> {
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
  if (rows.length === 0) return;
  const lines = linesAtBytes(
    path,
    rows.map((row) => row.position),
  );
  for (const row of rows) {
    const found = parseCsvRecords(row.raw, file, { delimiter, partial: false })[0]?.values.length;
    const reason = /COLUMNS/.test(row.type)
      ? `expected ${width} fields as in the header, found ${found ?? 0}`
      : `not a CSV record: ${row.message.split('\n')[0]}`;
    yield {
      record: new UnreadableRecord(reason, row.raw),
      location: { file, line: lines.get(row.position) ?? 0 },
    };
  }
}
