import Handlebars from 'handlebars';
import { formatDate, formatNumber, formatPercent, formatTco2e, missingMark } from './format.js';
import { escapeNarrativeText } from './markup.js';
import type { PlainRow } from './types.js';

/**
 * The narrative's Handlebars helpers. Each formats for fr-FR, renders a null as the row's
 * notation key (or a dash), and refuses a value that does not exist so a misspelt column fails.
 */

/** A template problem, placed on a line of whichever template was running. */
export class TemplateProblem extends Error {
  readonly line: number | undefined;

  constructor(message: string, line: number | undefined) {
    super(message);
    this.line = line;
  }
}

interface HelperOptions {
  name: string;
  ids?: (string | null)[];
  loc?: { start: { line: number } };
}

type Helper = (this: unknown, ...args: unknown[]) => unknown;

/** The helper that renders a bare `{{path}}`; the narrative rewrites those into calls to it. */
export const valueHelperName = 'value';

/** Names of Handlebars' own helpers that reports may use. */
export const builtInHelpers = ['if', 'unless', 'each', 'with', 'lookup'];

function split(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  return { values: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

function safe(text: string): Handlebars.SafeString {
  return new Handlebars.SafeString(escapeNarrativeText(text));
}

/**
 * The row a value was read from, so that a null can show that row's notation key: the
 * current `#each` row for `this.x`, or the object above the value for `cell.0.x`.
 */
function rowOf(context: unknown, id: string | null | undefined): PlainRow | undefined {
  if (id === null || id === undefined || id.startsWith('..') || id.startsWith('@')) {
    return asRow(context);
  }
  const parts = id
    .replace(/^this\.?/, '')
    .split(/[./]/)
    .filter(Boolean);
  let node: unknown = context;
  for (const part of parts.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return asRow(node);
}

function asRow(node: unknown): PlainRow | undefined {
  return node !== null && typeof node === 'object' && !Array.isArray(node)
    ? (node as PlainRow)
    : undefined;
}

/** Reads the helper's first argument as a number; null becomes the notation, undefined fails. */
function numeric(
  context: unknown,
  value: unknown,
  options: HelperOptions,
): { number: number } | { missing: string } {
  const id = options.ids?.[0];
  if (value === undefined) {
    throw new TemplateProblem(
      `${options.name}: "${id ?? 'value'}" is not defined (misspelt column or cell?)`,
      options.loc?.start.line,
    );
  }
  if (value === null) return { missing: missingMark(rowOf(context, id)) };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TemplateProblem(
      `${options.name} expects a number, "${id ?? 'value'}" is ${JSON.stringify(value)}`,
      options.loc?.start.line,
    );
  }
  return { number: value };
}

function digitsArgument(value: unknown, fallback: number, options: HelperOptions): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 20) {
    return value;
  }
  throw new TemplateProblem(
    `${options.name}: digits must be an integer from 0 to 20, got ${JSON.stringify(value)}`,
    options.loc?.start.line,
  );
}

function numberHelper(
  format: (value: number, digits: number) => string,
  defaultDigits: number,
): Helper {
  return function (this: unknown, ...args: unknown[]) {
    const { values, options } = split(args);
    const read = numeric(this, values[0], options);
    if ('missing' in read) return safe(read.missing);
    return safe(format(read.number, digitsArgument(values[1], defaultDigits, options)));
  };
}

const helpers: Record<string, Helper> = {
  number: numberHelper(formatNumber, 0),
  percent: numberHelper(formatPercent, 0),
  tco2e: numberHelper(formatTco2e, 1),

  date(this: unknown, ...args: unknown[]) {
    const { values, options } = split(args);
    const [value, style] = values;
    if (value === null) return safe(missingMark(rowOf(this, options.ids?.[0])));
    const text =
      typeof value === 'string'
        ? formatDate(value, style === 'short' ? 'short' : 'long')
        : undefined;
    if (text === undefined) {
      throw new TemplateProblem(
        `date expects an ISO date, "${options.ids?.[0] ?? 'value'}" is ${JSON.stringify(value)}`,
        options.loc?.start.line,
      );
    }
    return safe(text);
  },

  /** French rule: 0 and 1 take the singular. `plural 3 'site' 'sites'` → "3 sites". */
  plural(this: unknown, ...args: unknown[]) {
    const { values, options } = split(args);
    const [count, singular, plural] = values;
    if (typeof singular !== 'string' || typeof plural !== 'string') {
      throw new TemplateProblem(
        'plural needs a count, a singular and a plural',
        options.loc?.start.line,
      );
    }
    const read = numeric(this, count, options);
    if ('missing' in read) return safe(`${read.missing} ${plural}`);
    const word = Math.abs(read.number) < 2 ? singular : plural;
    return safe(`${formatNumber(read.number, Number.isInteger(read.number) ? 0 : 1)} ${word}`);
  },

  eq: (...args) => {
    const [left, right] = split(args).values;
    return left === right;
  },
  ne: (...args) => {
    const [left, right] = split(args).values;
    return left !== right;
  },
  gt: (...args) => compare(args, (left, right) => left > right),
  gte: (...args) => compare(args, (left, right) => left >= right),
  lt: (...args) => compare(args, (left, right) => left < right),
  lte: (...args) => compare(args, (left, right) => left <= right),
  and: (...args) => split(args).values.every(Boolean),
  or: (...args) => split(args).values.some(Boolean),
  not: (...args) => !split(args).values[0],

  [valueHelperName](this: unknown, ...args: unknown[]) {
    const { values, options } = split(args);
    const [value] = values;
    if (value === undefined) {
      throw new TemplateProblem(
        `"${options.ids?.[0] ?? 'value'}" is not defined`,
        options.loc?.start.line,
      );
    }
    if (value === null) return safe(missingMark(rowOf(this, options.ids?.[0])));
    // A bare number keeps its digits (years, codes) with a French decimal comma.
    if (typeof value === 'number') return safe(String(value).replace('.', ','));
    if (value instanceof Handlebars.SafeString) return value;
    if (typeof value === 'object') {
      throw new TemplateProblem(
        `"${options.ids?.[0] ?? 'value'}" is a list or a row, not a value: use #each or a column`,
        options.loc?.start.line,
      );
    }
    return safe(String(value));
  },
};

function compare(
  args: unknown[],
  test: (left: number | string, right: number | string) => boolean,
) {
  const [left, right] = split(args).values;
  // A missing figure compares as false both ways rather than as zero.
  if (left === null || right === null || left === undefined || right === undefined) return false;
  return test(left as number | string, right as number | string);
}

/** Registers the narrative helpers on an isolated Handlebars environment. */
export function registerHelpers(environment: typeof Handlebars): string[] {
  for (const [name, helper] of Object.entries(helpers)) environment.registerHelper(name, helper);
  return [...builtInHelpers, ...Object.keys(helpers)];
}
