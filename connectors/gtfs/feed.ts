import { unzipSync } from 'fflate';
import { type CsvRecord, parseCsv } from '../../lib/csv.js';
import { ParseError } from '../../lib/errors.js';

/**
 * A GTFS feed read from its zip: each standard table parsed with the small CSV reader (the
 * files are small), rows addressed by column name, errors naming `url#file`, line and field.
 */

export interface GtfsRow {
  /** `url#file.txt`: what error messages name. */
  file: string;
  line: number;
  /** The value of a column, '' when the column is absent or the cell empty. */
  get(column: string): string;
  /** A required value; its absence is a ParseError. */
  require(column: string): string;
  /** A required number; anything else is a ParseError. */
  number(column: string): number;
}

export interface GtfsFeed {
  /** Rows of a table; an absent optional table has none, an absent required one fails. */
  table(name: string, options?: { optional?: boolean }): GtfsRow[];
  has(name: string): boolean;
}

function rowOf(file: string, header: string[], record: CsvRecord): GtfsRow {
  const index = new Map(header.map((name, position) => [name, position]));
  const get = (column: string) => {
    const position = index.get(column);
    return position === undefined ? '' : (record.values[position] ?? '').trim();
  };
  const require = (column: string) => {
    const value = get(column);
    if (value === '') {
      throw new ParseError(file, 'expected a value, found none', {
        line: record.line,
        field: column,
      });
    }
    return value;
  };
  return {
    file,
    line: record.line,
    get,
    require,
    number(column) {
      const value = require(column);
      const parsed = Number(value);
      if (!Number.isFinite(parsed)) {
        throw new ParseError(file, `expected a number, found "${value}"`, {
          line: record.line,
          field: column,
        });
      }
      return parsed;
    },
  };
}

/** Opens a GTFS zip; files outside the standard tables (checksums, notes) are ignored. */
export function openFeed(url: string, zip: Uint8Array): GtfsFeed {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, { filter: (entry) => entry.name.endsWith('.txt') });
  } catch (error) {
    throw new ParseError(url, `expected a zip archive: ${String(error)}`);
  }
  // Some producers put the tables in a folder inside the zip; only the file name counts.
  const files = new Map(
    Object.entries(entries).map(([name, bytes]) => [name.slice(name.lastIndexOf('/') + 1), bytes]),
  );
  const parsed = new Map<string, GtfsRow[]>();

  return {
    has: (name) => files.has(name),
    table(name, options = {}) {
      const cached = parsed.get(name);
      if (cached !== undefined) return cached;
      const bytes = files.get(name);
      if (bytes === undefined) {
        if (options.optional) return [];
        throw new ParseError(
          url,
          `expected the GTFS table ${name} in the zip, found ${[...files.keys()].join(', ')}`,
        );
      }
      const file = `${url}#${name}`;
      const { header, records } = parseCsv(new TextDecoder('utf-8').decode(bytes), file);
      const rows = records.map((record) => rowOf(file, header, record));
      parsed.set(name, rows);
      return rows;
    },
  };
}
