import type { OdsRow } from './datasets.js';
import type { OdsField } from './fields.js';

/** The query parameters the simulated Explore v2.1 API understands, checked as ODS checks them. */

export class OdsRequestError extends Error {
  constructor(
    message: string,
    readonly errorCode: 'InvalidRESTParameterError' | 'ODSQLError',
  ) {
    super(message);
  }
}

/** Reads an integer parameter, or its default when absent. */
export function integerParameter(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) {
    throw new OdsRequestError(
      `Invalid value for ${name}: "${raw}" is not an integer`,
      'InvalidRESTParameterError',
    );
  }
  return Number(raw);
}

/** Applies every `refine=field:value` (all must hold) to the rows. */
export function refineRows(
  rows: readonly OdsRow[],
  fields: readonly OdsField[],
  params: URLSearchParams,
): OdsRow[] {
  const refinements = params.getAll('refine').map((item) => {
    const separator = item.indexOf(':');
    if (separator <= 0) {
      throw new OdsRequestError(
        `Invalid value for refine: "${item}" is not of the form field:value`,
        'InvalidRESTParameterError',
      );
    }
    const name = item.slice(0, separator);
    if (!fields.some((field) => field.name === name)) {
      throw new OdsRequestError(`Unknown field: ${name}`, 'ODSQLError');
    }
    return { name, value: item.slice(separator + 1) };
  });
  if (refinements.length === 0) return [...rows];
  return rows.filter((row) =>
    refinements.every(({ name, value }) => row[name] !== null && String(row[name]) === value),
  );
}

/** The fields a `select` keeps: a comma-separated list of field names, or `*` (the default). */
export function selectedFields(fields: readonly OdsField[], params: URLSearchParams): OdsField[] {
  const raw = params.get('select');
  if (raw === null || raw.trim() === '' || raw.trim() === '*') return [...fields];
  return raw.split(',').map((part) => {
    const name = part.trim();
    const found = fields.find((field) => field.name === name);
    if (found === undefined) {
      throw new OdsRequestError(
        `ODSQL query is malformed: unknown field "${name}" Clause(s) containing the error(s): select.`,
        'ODSQLError',
      );
    }
    return found;
  });
}

/** Keeps only the selected fields of each row, in the selection's order. */
export function project(rows: readonly OdsRow[], fields: readonly OdsField[]): OdsRow[] {
  return rows.map((row) =>
    Object.fromEntries(fields.map((field) => [field.name, row[field.name]!])),
  );
}
