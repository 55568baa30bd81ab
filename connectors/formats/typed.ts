import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int32,
  type RecordBatch,
  Schema,
  Utf8,
} from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../../lib/arrow.js';
import { ParseError } from '../../lib/errors.js';
import type { BadRow } from '../contract.js';

/**
 * Provider records turned into typed rows: declared fields (or every column as text), numbers
 * with a decimal comma or quotes around them, provider sentinels (`secret`, `nd`, empty) kept as
 * null with a `<field>_flag` column saying which — never 0 — and records that do not fit set
 * aside as bad rows naming the file, the line, the field and what was expected.
 */

export const fieldType = z.enum(['string', 'integer', 'number', 'boolean', 'date']);

export const fieldSpec = z.strictObject({
  /** The column's name in the landed data: lower case, digits and underscores. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a column name such as consumption_mwh'),
  /** Where the value is: a header of the file, or a dot path in a JSON record. Default: name. */
  from: z.string().min(1).optional(),
  type: fieldType.default('string'),
  /** A record without a value here is a bad row (sentinels count as no value). */
  required: z.boolean().default(false),
  /**
   * The smallest value a number may take: `0` for a consumption, a tonnage or a count, so
   * that a negative one is a bad row instead of negative emissions.
   */
  minimum: z.number().optional(),
});

export type FieldSpec = z.infer<typeof fieldSpec>;

export const typingOptions = z.strictObject({
  /** The decimal separator; `auto` reads `0,052` and `0.052` alike. */
  decimal: z.enum(['auto', ',', '.']).default('auto'),
  /** Texts that stand for a value the provider does not give, compared without case. */
  sentinels: z.array(z.string()).default(['secret', 'nd', 'n.d.', 'na', 'n/a']),
});

export type TypingOptions = z.infer<typeof typingOptions>;

/** Whether a field gets a `_flag` column: the numeric ones, where sentinels stand in. */
function flagged(field: FieldSpec): boolean {
  return field.type === 'integer' || field.type === 'number';
}

const arrowTypes: Record<FieldSpec['type'], () => DataType> = {
  string: () => new Utf8(),
  integer: () => new Int32(),
  number: () => new Float64(),
  boolean: () => new Bool(),
  date: () => new DateDay(),
};

/** The Arrow schema of typed rows: each field, and a flag beside each numeric one. */
export function schemaOfFields(fields: readonly FieldSpec[]): Schema {
  return new Schema(
    fields.flatMap((field) => [
      new Field(field.name, arrowTypes[field.type](), true),
      ...(flagged(field) ? [new Field(`${field.name}_flag`, new Utf8(), true)] : []),
    ]),
  );
}

/** A column name from a provider header: `Conso totale (MWh)` → `conso_totale_mwh`. */
export function columnName(header: string): string {
  const name = header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(name) ? name : `c_${name}`;
}

/** Text fields for every column, in order, when the source declares none. */
export function inferredFields(columns: readonly string[]): FieldSpec[] {
  const seen = new Set<string>();
  return columns.map((column) => {
    let name = columnName(column);
    while (seen.has(name)) name = `${name}_2`;
    seen.add(name);
    return { name, from: column, type: 'string' as const, required: false };
  });
}

/** Reads a dot path (`fields.nom`, `name.0.text`) in a record. */
export function valueAt(record: unknown, path: string): unknown {
  if (record !== null && typeof record === 'object' && path in (record as object)) {
    return (record as Record<string, unknown>)[path];
  }
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

type Flag = 'empty' | 'secret' | 'nd';
type Converted = { value: unknown; flag?: Flag } | { problem: string };

function numberFrom(text: string, decimal: TypingOptions['decimal']): number | undefined {
  let cleaned = text.replace(/[\s\u00A0\u202F]/g, '');
  if (decimal === ',') cleaned = cleaned.replaceAll('.', '').replace(',', '.');
  else if (decimal === 'auto' && cleaned.includes(',')) {
    const lastComma = cleaned.lastIndexOf(',');
    const lastPoint = cleaned.lastIndexOf('.');
    cleaned =
      lastComma > lastPoint
        ? cleaned.replaceAll('.', '').replace(',', '.')
        : cleaned.replaceAll(',', '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

function dateFrom(text: string): Date | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : french
      ? [french[3], french[2], french[1]]
      : [];
  if (year === undefined) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day) ? date : undefined;
}

/** Converts a value, then holds a number to the field's minimum. */
function convert(raw: unknown, field: FieldSpec, options: TypingOptions): Converted {
  const converted = convertValue(raw, field, options);
  if (
    field.minimum !== undefined &&
    'value' in converted &&
    typeof converted.value === 'number' &&
    converted.value < field.minimum
  ) {
    return { problem: `a number of at least ${field.minimum}` };
  }
  return converted;
}

function convertValue(raw: unknown, field: FieldSpec, options: TypingOptions): Converted {
  if (raw === undefined || raw === null) return { value: null, flag: 'empty' };
  if (raw instanceof Date && field.type === 'date') return { value: raw };
  if (typeof raw === 'number' && (field.type === 'number' || field.type === 'integer')) {
    if (field.type === 'integer' && !Number.isInteger(raw)) return { problem: 'an integer' };
    return { value: raw };
  }
  if (typeof raw === 'boolean' && field.type === 'boolean') return { value: raw };
  if (typeof raw === 'object')
    return field.type === 'string'
      ? { value: JSON.stringify(raw) }
      : { problem: `a ${field.type}` };

  // Some providers wrap every value in literal double quotes.
  const text = String(raw)
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();
  if (text === '') return { value: null, flag: 'empty' };
  if (field.type === 'string') return { value: text };
  const lower = text.toLowerCase();
  if (options.sentinels.some((sentinel) => sentinel.toLowerCase() === lower)) {
    return { value: null, flag: lower === 'secret' ? 'secret' : 'nd' };
  }
  if (field.type === 'boolean') {
    if (['true', '1', 'oui', 'yes', 'vrai'].includes(lower)) return { value: true };
    if (['false', '0', 'non', 'no', 'faux'].includes(lower)) return { value: false };
    return { problem: 'true or false' };
  }
  if (field.type === 'date') {
    const date = dateFrom(text);
    return date === undefined ? { problem: 'a date (YYYY-MM-DD or DD/MM/YYYY)' } : { value: date };
  }
  const number = numberFrom(text, options.decimal);
  if (number === undefined)
    return { problem: field.type === 'integer' ? 'an integer' : 'a number' };
  if (field.type === 'integer' && !Number.isInteger(number)) return { problem: 'an integer' };
  if (field.type === 'integer' && Math.abs(number) > 2_147_483_647) {
    return { problem: 'an integer within 32 bits' };
  }
  return { value: number };
}

/** A record the file reader could not even split into columns. */
export class UnreadableRecord {
  constructor(
    readonly reason: string,
    readonly raw: string,
  ) {}
}

/** Where a record came from, for bad rows and errors. */
export interface RecordLocation {
  file: string;
  line: number;
}

export interface RowTyper {
  schema: Schema;
  /** Types one record: the row, or undefined once it went to the quarantine. */
  type(record: unknown, location: RecordLocation): Record<string, unknown> | undefined;
  /** Fails when a declared field was found in none of the records typed so far. */
  assertFieldsSeen(file: string): void;
  /** Batches of typed rows, `rowsPerBatch` at a time, as the records stream in. */
  batches(
    records: AsyncIterable<{ record: unknown; location: RecordLocation }>,
  ): AsyncGenerator<RecordBatch>;
}

/** Builds the typer of a source's fields; bad records go to `quarantine`. */
export function createRowTyper(
  fields: readonly FieldSpec[],
  options: TypingOptions,
  quarantine: (badRow: BadRow) => void,
  rowsPerBatch = 10_000,
): RowTyper {
  const schema = schemaOfFields(fields);
  const seen = new Set<string>();
  let typed = 0;

  function type(record: unknown, location: RecordLocation) {
    const row: Record<string, unknown> = {};
    typed += 1;
    if (record instanceof UnreadableRecord) {
      quarantine({ ...location, reason: record.reason, record: record.raw });
      return undefined;
    }
    for (const field of fields) {
      const raw = valueAt(record, field.from ?? field.name);
      if (raw !== undefined) seen.add(field.name);
      const converted = convert(raw, field, options);
      if ('problem' in converted || (field.required && converted.value === null)) {
        const expected =
          'problem' in converted ? converted.problem : 'a value (the field is required)';
        const found =
          raw === undefined || raw === null || raw === '' ? 'nothing' : JSON.stringify(raw);
        quarantine({
          file: location.file,
          line: location.line,
          reason: `field ${field.from ?? field.name}: expected ${expected}, found ${found}`,
          record: typeof record === 'string' ? record : JSON.stringify(record),
        });
        return undefined;
      }
      row[field.name] = converted.value;
      if (flagged(field)) row[`${field.name}_flag`] = converted.flag ?? null;
    }
    return row;
  }

  return {
    schema,
    type,
    assertFieldsSeen(file) {
      if (typed === 0) return;
      const missing = fields.filter((field) => !seen.has(field.name));
      if (missing.length === 0) return;
      const names = missing.map((field) => `${field.name} (from "${field.from ?? field.name}")`);
      throw new ParseError(
        file,
        `the provider's columns changed: ${names.join(', ')} in none of the ${typed} records; ` +
          'it renamed or dropped them — update the source fields',
      );
    },
    async *batches(records) {
      let pending: Record<string, unknown>[] = [];
      for await (const { record, location } of records) {
        const row = type(record, location);
        if (row !== undefined) pending.push(row);
        if (pending.length >= rowsPerBatch) {
          yield batchFromRows(schema, pending);
          pending = [];
        }
      }
      if (pending.length > 0) yield batchFromRows(schema, pending);
    },
  };
}
