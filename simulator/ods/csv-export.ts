import type { OdsRow, OdsValue } from './datasets.js';
import type { OdsField } from './fields.js';

/**
 * Writes rows as an Opendatasoft CSV export: `;` by default, a UTF-8 byte-order mark unless
 * `with_bom=false`, a header of field names (or labels), CRLF line ends.
 */

function csvCell(value: OdsValue, delimiter: string): string {
  if (value === null) return '';
  const text = String(value);
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface CsvExportOptions {
  delimiter: string;
  useLabels: boolean;
  withBom: boolean;
}

/** Serialises rows as an ODS CSV export. */
export function csvExport(
  rows: readonly OdsRow[],
  fields: readonly OdsField[],
  options: CsvExportOptions,
): Buffer {
  const header = fields.map((field) =>
    csvCell(options.useLabels ? field.label : field.name, options.delimiter),
  );
  const lines = [header.join(options.delimiter)];
  for (const row of rows) {
    lines.push(
      fields.map((field) => csvCell(row[field.name]!, options.delimiter)).join(options.delimiter),
    );
  }
  const text = `${options.withBom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
  return Buffer.from(text, 'utf8');
}
