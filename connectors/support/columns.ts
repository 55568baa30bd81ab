import { ParseError } from '../../lib/errors.js';

/**
 * Finds the columns a connector needs in a provider's header, whichever flavour it comes in:
 * machine names (matched exactly, ignoring case) or human labels (matched on a skeleton that
 * survives lost accents, doubled spaces and punctuation).
 */

export interface ColumnSpec {
  /** The connector's own name for the column. */
  key: string;
  /** Machine names, compared without regard to case. */
  names: readonly string[];
  /** Human labels, compared by `labelSkeleton`. */
  labels?: readonly string[];
  /** Absent optional columns resolve to undefined instead of failing. */
  optional?: boolean;
}

/**
 * The consonants of a label, lower case, without diacritics. Vowels and `c` are dropped because
 * a damaged transcoding turns `é`, `à` or `ç` into `?`, `Ã©` or nothing; what remains still tells
 * one provider column from another.
 */
export function labelSkeleton(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/[aeiouyc]/g, '');
}

/**
 * Maps each spec to the header column holding it. A required column missing, or two header
 * columns matching one spec, is a ParseError naming the file and its header line.
 */
export function resolveColumns<Key extends string>(
  header: readonly string[],
  specs: readonly (ColumnSpec & { key: Key })[],
  location: { file: string; line: number },
): Record<Key, string> {
  const resolved = {} as Record<Key, string>;
  const missing: string[] = [];

  for (const spec of specs) {
    const names = new Set(spec.names.map((name) => name.toLowerCase()));
    const skeletons = new Set((spec.labels ?? []).map(labelSkeleton));
    const byName = header.filter((column) => names.has(column.trim().toLowerCase()));
    const matches =
      byName.length > 0 ? byName : header.filter((column) => skeletons.has(labelSkeleton(column)));

    if (matches.length > 1) {
      throw new ParseError(
        location.file,
        `expected one column for ${spec.key}, found ${matches.map((column) => `"${column}"`).join(' and ')}`,
        { line: location.line },
      );
    }
    if (matches[0] !== undefined) resolved[spec.key] = matches[0];
    else if (!spec.optional)
      missing.push(
        `${spec.key} (${[...spec.names, ...(spec.labels ?? [])].map((name) => `"${name}"`).join(' or ')})`,
      );
  }

  if (missing.length > 0) {
    throw new ParseError(
      location.file,
      `expected the columns ${missing.join(', ')} in the header`,
      {
        line: location.line,
      },
    );
  }
  return resolved;
}
