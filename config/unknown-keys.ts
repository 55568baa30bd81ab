import { z } from 'zod';

/**
 * What to tell an operator about a key a strict schema does not know: the keys it does know
 * at that place, and the nearest one when the key looks like a typo of it (`departement` for
 * `department` once collected all of France instead of one département).
 */

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
};

/** Levenshtein distance, for suggestions. */
function distance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = left[row - 1] === right[column - 1] ? 0 : 1;
      current.push(
        Math.min(
          previous[column]! + 1,
          current[column - 1]! + 1,
          previous[column - 1]! + substitution,
        ),
      );
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** The branch of a union whose constant properties (a `type: offset`) match the value. */
function branchFor(schema: JsonSchema, value: unknown): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches === undefined) return schema;
  const record = (value ?? {}) as Record<string, unknown>;
  const matching = branches.find((branch) =>
    Object.entries(branch.properties ?? {}).every(
      ([key, property]) => property.const === undefined || property.const === record[key],
    ),
  );
  return branchFor(matching ?? branches[0]!, value);
}

/** The keys a schema accepts at `path` inside `value`, following arrays and unions. */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[], value: unknown) {
  let current = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  let inside: unknown = value;
  for (const part of path) {
    current = branchFor(current, inside);
    const next = typeof part === 'number' ? current.items : current.properties?.[String(part)];
    if (next === undefined) return [];
    current = next;
    inside = (inside as Record<PropertyKey, unknown> | undefined)?.[part];
  }
  return Object.keys(branchFor(current, inside).properties ?? {});
}

/** "an unknown key …" naming the nearest known key when it is a likely typo, then them all. */
export function unknownKeyMessage(key: string, known: readonly string[], owner: string): string {
  const nearest = known
    .map((candidate) => ({
      candidate,
      apart: distance(key.toLowerCase(), candidate.toLowerCase()),
    }))
    .sort((left, right) => left.apart - right.apart)[0];
  const typo =
    nearest !== undefined && nearest.apart <= Math.max(2, Math.floor(key.length / 4))
      ? ` (did you mean "${nearest.candidate}"?)`
      : '';
  const list = known.length === 0 ? 'no keys here' : `only ${known.join(', ')}`;
  return `an unknown key "${key}"${typo}; ${owner} takes ${list}`;
}
