import type { ColumnFormat, PlainRow, PlainValue } from './types.js';

/**
 * French formatting of figures. `Intl.NumberFormat('fr-FR')` separates thousands with a narrow
 * no-break space (U+202F) and puts a no-break space before `%`; both are kept as they are, so
 * the report's font must carry them (DejaVu Sans does).
 */

export const missingValueMark = '—';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(style: 'decimal' | 'percent', digits: number): Intl.NumberFormat {
  const key = `${style}:${digits}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat('fr-FR', {
      style,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** `12345.67, 1` → "12 345,7" (U+202F between thousands). */
export function formatNumber(value: number, digits = 0): string {
  return numberFormat('decimal', digits).format(normalizeZero(value, digits));
}

/** A ratio as a percentage: `0.234, 1` → "23,4 %". */
export function formatPercent(ratio: number, digits = 0): string {
  return numberFormat('percent', digits).format(normalizeZero(ratio, digits + 2));
}

/** Tonnes of CO₂ equivalent: `12345.6` → "12 345,6 tCO₂e". */
export function formatTco2e(value: number, digits = 1): string {
  return `${formatNumber(value, digits)}\u00a0tCO₂e`;
}

const isoPattern =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:\d{2})?$/;

const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });
const shortDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'UTC' });

/** An ISO date or timestamp, read in UTC: "2024-03-12" → "12 mars 2024". */
export function formatDate(iso: string, style: 'long' | 'short' = 'long'): string | undefined {
  const match = isoPattern.exec(iso.trim());
  if (match === null) return undefined;

  // Without an offset, a date or timestamp is read as UTC, as DuckDB's results are written.
  const [, day, time, offset] = match;
  const date = new Date(`${day}T${time ?? '00:00:00'}${offset ?? 'Z'}`);
  if (Number.isNaN(date.getTime())) return undefined;
  return (style === 'long' ? longDate : shortDate).format(date);
}

/**
 * What stands in for a missing figure: the row's notation key (NO, NE, IE, C…) when it has one,
 * otherwise a dash. Never zero, which would be a figure.
 */
export function missingMark(row: PlainRow | undefined): string {
  const notation = row?.notation;
  return typeof notation === 'string' && notation.trim() !== ''
    ? notation.trim()
    : missingValueMark;
}

// Rounding -0.04 to one digit gives "-0,0"; a report shows "0,0".
function normalizeZero(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(Math.abs(value) * scale) === 0 ? 0 : value;
}

/**
 * Formats a table or chart value by column format. A missing figure gives the row's notation
 * key or a dash; a missing text or date gives a dash, since the key speaks of the figure only.
 */
export function formatValue(
  value: PlainValue | undefined,
  format: ColumnFormat,
  row?: PlainRow,
): string {
  if (value === null || value === undefined) {
    return format.kind === 'text' || format.kind === 'date' ? missingValueMark : missingMark(row);
  }

  if (typeof value === 'number') {
    switch (format.kind) {
      case 'integer':
        return formatNumber(value, 0);
      case 'number':
        return formatNumber(value, format.digits);
      case 'percent':
        return formatPercent(value, format.digits);
      case 'tco2e':
        return formatTco2e(value, format.digits);
      case 'date':
      case 'text':
        // As written, with a decimal comma: years and codes must not get thousands separators.
        return String(value).replace('.', ',');
    }
  }
  if (typeof value === 'string' && format.kind === 'date') return formatDate(value) ?? value;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
