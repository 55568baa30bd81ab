import { ParseError } from '../../lib/errors.js';
import { columnName, type FieldSpec } from '../formats/typed.js';

/** Fields from a provider's own dataset description (Opendatasoft, data-fair). */

const typeOfProvider: Record<string, FieldSpec['type']> = {
  int: 'integer',
  integer: 'integer',
  double: 'number',
  number: 'number',
  boolean: 'boolean',
};

/** One text, integer or number field per described column, named in snake case. */
export function describedFields(columns: readonly { key: string; type: string }[]): FieldSpec[] {
  const seen = new Set<string>();
  return columns.map((column) => {
    let name = columnName(column.key);
    while (seen.has(name)) name = `${name}_2`;
    seen.add(name);
    return {
      name,
      from: column.key,
      type: typeOfProvider[column.type] ?? 'string',
      required: false,
    };
  });
}

/**
 * Fails when records carry keys the dataset's description does not list: a column renamed
 * upstream whose values would otherwise be dropped without a word.
 */
export function assertKnownKeys(
  records: readonly unknown[],
  fields: readonly FieldSpec[],
  file: string,
): void {
  const known = new Set(fields.map((field) => field.from ?? field.name));
  const unknown = new Set<string>();
  for (const record of records) {
    if (record === null || typeof record !== 'object') continue;
    for (const key of Object.keys(record)) {
      if (!known.has(key) && !key.startsWith('_')) unknown.add(key);
    }
  }
  if (unknown.size === 0) return;
  throw new ParseError(
    file,
    `the provider's columns changed: ${[...unknown].join(', ')} in the records but not in the dataset's description; it renamed or added them`,
  );
}
