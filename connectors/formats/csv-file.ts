import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, JSDuckDBValueConverter } from '@duckdb/node-api';
import { parseCsvRecords, sniffDelimiter } from '../../lib/csv.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';
import { type RecordStarts, rejectedRecords, scanRecordStarts } from '../support/csv-lines.js';
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

/** The records DuckDB set aside, as unreadable records with their line and what was wrong. */
async function* rejected(
  connection: DuckDBConnection,
  path: string,
  file: string,
  width: number,
  delimiter: string,
): AsyncGenerator<TabularRecord> {
  for (const row of await rejectedRecords(connection, path, file, width, delimiter)) {
    yield {
      record: new UnreadableRecord(row.reason, row.record),
      location: { file, line: row.line },
    };
  }
}
