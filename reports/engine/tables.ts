import { formatNumber, formatValue, missingMark } from './format.js';
import { escapeHtml } from './markup.js';
import type { PlainRow, TableColumn } from './types.js';

/**
 * HTML tables for table cells and for the data behind each chart. Print rules live in the
 * stylesheet: the header repeats on every page, rows never split, and a table of at most
 * `shortTableRows` rows is kept on one page.
 */

export const shortTableRows = 15;

const numericFormats = new Set(['integer', 'number', 'percent', 'tco2e']);

export interface DataTableOptions {
  columns: readonly TableColumn[];
  rows: readonly PlainRow[];
  /** Fields that get a total in the last row. */
  totals?: readonly string[];
  /** Optional `<caption>`, for tables whose figure has no caption of its own. */
  caption?: string;
  className?: string;
}

export interface DataTable {
  html: string;
  /** Explains totals computed over incomplete columns; empty when every value was known. */
  notes: string[];
}

/** Renders `rows` as a table whose cells are formatted by column. */
export function renderDataTable(options: DataTableOptions): DataTable {
  const { columns, rows } = options;
  const totals = options.totals ?? [];

  const head = columns
    .map((column) => `<th scope="col"${alignment(column)}>${escapeHtml(column.title)}</th>`)
    .join('');

  const body = rows
    .map((row) => {
      const cells = columns.map((column, index) => {
        const text = escapeHtml(formatValue(row[column.field], column.format, row));
        return index === 0
          ? `<th scope="row"${alignment(column)}>${text}</th>`
          : `<td${alignment(column)}>${text}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');

  const total = totals.length > 0 ? totalRow(columns, rows, totals) : undefined;
  const foot = total === undefined ? '' : `\n<tfoot>${total.html}</tfoot>`;

  const classes = [options.className, rows.length <= shortTableRows ? 'table-short' : 'table-long']
    .filter(Boolean)
    .join(' ');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const html = [
    `<div class="table-scroll"><table class="${classes}">${caption}`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>${foot}`,
    '</table></div>',
  ].join('\n');
  return { html, notes: total?.notes ?? [] };
}

function alignment(column: TableColumn): string {
  return numericFormats.has(column.format.kind) ? ' class="numeric"' : '';
}

/** The totals row: sums over the known values, a star and a note where some were missing. */
function totalRow(
  columns: readonly TableColumn[],
  rows: readonly PlainRow[],
  totals: readonly string[],
) {
  const notes: string[] = [];
  const cells = columns.map((column, index) => {
    const cell = (content: string) =>
      index === 0
        ? `<th scope="row"${alignment(column)}>${content}</th>`
        : `<td${alignment(column)}>${content}</td>`;
    if (!totals.includes(column.field)) return index === 0 ? cell('Total') : '<td></td>';

    const total = columnTotal(rows, column.field);
    const missing = total.unknown.length;
    if (missing > 0) {
      const count = `${formatNumber(missing)} ${missing < 2 ? 'valeur manquante' : 'valeurs manquantes'}`;
      const keys = [...new Set(total.unknown)].join(', ');
      notes.push(`Total « ${column.title} » des seules valeurs renseignées : ${count} (${keys}).`);
    }
    const text = total.known === 0 ? missingMark(undefined) : formatValue(total.sum, column.format);
    return cell(`${escapeHtml(text)}${missing > 0 ? '*' : ''}`);
  });
  return { html: `<tr class="total-row">${cells.join('')}</tr>`, notes };
}

function columnTotal(rows: readonly PlainRow[], field: string) {
  let sum = 0;
  let known = 0;
  const unknown: string[] = [];
  for (const row of rows) {
    const value = row[field];
    if (typeof value === 'number') {
      sum += value;
      known += 1;
    } else {
      unknown.push(missingMark(row));
    }
  }
  return { sum, known, unknown };
}
