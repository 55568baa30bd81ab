import { ParseError } from './errors.js';

/**
 * A small RFC 4180 reader for files too small to be worth DuckDB (GTFS tables), and a locator
 * that turns a record index into the physical line where that record starts, for error messages
 * about files DuckDB parsed.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  values: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export interface CsvOptions {
  delimiter?: string;
  quote?: string;
  /** The text is the head of a larger file: its last, possibly cut, record is dropped. */
  partial?: boolean;
}

const byteOrderMark = '\uFEFF';

/**
 * Splits CSV text into records, honouring quoted fields (doubled quotes, embedded delimiters and
 * line breaks). A leading byte-order mark is dropped; CRLF and LF both end a record.
 */
export function parseCsvRecords(text: string, file: string, options: CsvOptions = {}): CsvRecord[] {
  const delimiter = options.delimiter ?? ',';
  const quote = options.quote ?? '"';
  const source = text.startsWith(byteOrderMark) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let values: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStarted = false;

  const endRecord = () => {
    values.push(field);
    // A blank line (one empty field) carries no record.
    if (values.length > 1 || values[0] !== '') records.push({ line: recordLine, values });
    values = [];
    field = '';
    fieldStarted = false;
  };

  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]!;
    if (quoted) {
      if (character === quote && source[index + 1] === quote) {
        field += quote;
        index += 1;
      } else if (character === quote) {
        quoted = false;
      } else {
        if (character === '\n') line += 1;
        field += character;
      }
      continue;
    }
    if (character === quote && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (character === delimiter) {
      values.push(field);
      field = '';
      fieldStarted = false;
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && source[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += character;
      fieldStarted = true;
    }
  }
  if (options.partial) return records;
  if (quoted) throw new ParseError(file, 'a quoted field is never closed', { line: recordLine });
  if (field !== '' || values.length > 0) endRecord();
  return records;
}

/** Parses CSV text whose first record is a header; every record must have the header's width. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvTable {
  const [headerRecord, ...records] = parseCsvRecords(text, file, options);
  if (headerRecord === undefined) throw new ParseError(file, 'expected a header line, found none');
  const header = headerRecord.values.map((name) => name.trim());
  for (const record of records) {
    if (record.values.length !== header.length) {
      throw new ParseError(
        file,
        `expected ${header.length} fields as in the header, found ${record.values.length}`,
        { line: record.line },
      );
    }
  }
  return { header, records };
}

/**
 * The 1-based line where record `recordIndex` (0-based, counting header rows too) starts.
 * Quoted line breaks are honoured, so the answer stays right for multi-line fields.
 */
export function lineOfRecord(text: string, recordIndex: number, options: CsvOptions = {}): number {
  const quote = options.quote ?? '"';
  let line = 1;
  let record = 0;
  let quoted = false;
  for (let index = 0; index < text.length && record < recordIndex; index += 1) {
    const character = text[index]!;
    if (character === quote) quoted = !quoted;
    else if (character === '\n') {
      line += 1;
      if (!quoted) record += 1;
    }
  }
  return line;
}

export type TextEncoding = 'utf-8' | 'windows-1252';

/**
 * Decodes a provider file: UTF-8 when it has a byte-order mark or is valid UTF-8, else
 * Windows-1252 (the superset of ISO-8859-1 that French exports use). The mark is dropped.
 */
export function decodeText(
  bytes: Uint8Array,
  encoding: TextEncoding | 'auto' = 'auto',
): { text: string; encoding: TextEncoding; byteOrderMark: boolean } {
  const byteOrderMark = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = byteOrderMark ? bytes.subarray(3) : bytes;
  if (encoding === 'windows-1252') {
    return { text: new TextDecoder('windows-1252').decode(body), encoding, byteOrderMark };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { text, encoding: 'utf-8', byteOrderMark };
  } catch (error) {
    if (encoding === 'utf-8') throw error;
    return {
      text: new TextDecoder('windows-1252').decode(body),
      encoding: 'windows-1252',
      byteOrderMark,
    };
  }
}

/**
 * The delimiter of a CSV text among `;`, `,`, tab and `|`: the one that splits the first lines
 * into the same number of fields (more than one) most often, quotes honoured.
 */
export function sniffDelimiter(text: string, file: string): string {
  const head = text.slice(0, 65_536);
  let best = { delimiter: ',', score: 0 };
  for (const delimiter of [';', ',', '\t', '|']) {
    const records = parseCsvRecords(head, file, { delimiter, partial: true }).slice(0, 20);
    const counts = new Map<number, number>();
    for (const record of records) {
      counts.set(record.values.length, (counts.get(record.values.length) ?? 0) + 1);
    }
    for (const [width, lines] of counts) {
      const score = width > 1 ? lines * 1000 + width : 0;
      if (score > best.score) best = { delimiter, score };
    }
  }
  return best.delimiter;
}
