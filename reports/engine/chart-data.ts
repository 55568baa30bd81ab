import { formatNumber, formatValue } from './format.js';
import type { ColumnFormat, PlainRow, TableColumn } from './types.js';

/**
 * What a chart shows, in words and in a table: the text alternative read out in place of the
 * SVG, and the data printed under it.
 */

const channelOrder = [
  'x',
  'y',
  'x2',
  'y2',
  'color',
  'theta',
  'radius',
  'size',
  'shape',
  'row',
  'column',
  'text',
];

const markNames: Record<string, string> = {
  bar: 'Diagramme en barres',
  line: 'Courbe',
  area: 'Graphique en aires',
  point: 'Nuage de points',
  circle: 'Nuage de points',
  arc: 'Diagramme circulaire',
  rect: 'Carte de chaleur',
  tick: 'Graphique en traits',
  rule: 'Graphique',
};

interface EncodedField {
  field: string;
  title: string;
  type: string;
  /** False when the chart formats the field without thousands separators (years, codes). */
  grouped: boolean;
}

function encodedFields(spec: Record<string, unknown>): EncodedField[] {
  const encodings: Record<string, unknown>[] = [];
  if (spec.encoding) encodings.push(spec.encoding as Record<string, unknown>);
  for (const layer of (spec.layer as Record<string, unknown>[] | undefined) ?? []) {
    if (layer.encoding) encodings.push(layer.encoding as Record<string, unknown>);
  }

  const fields: EncodedField[] = [];
  for (const channel of channelOrder) {
    for (const encoding of encodings) {
      const definition = encoding[channel] as Record<string, unknown> | undefined;
      if (
        typeof definition?.field !== 'string' ||
        fields.some((known) => known.field === definition.field)
      ) {
        continue;
      }
      const title = typeof definition.title === 'string' ? definition.title : definition.field;
      const axis = definition.axis as Record<string, unknown> | null | undefined;
      const format = definition.format ?? axis?.format;
      fields.push({
        field: definition.field,
        title,
        type: String(definition.type ?? 'nominal'),
        grouped: typeof format !== 'string' || format.includes(','),
      });
    }
  }
  // Labels first, measures after: the table reads as "what, how much" whatever the axes.
  const isMeasure = (field: EncodedField) => field.type === 'quantitative';
  return [...fields.filter((field) => !isMeasure(field)), ...fields.filter(isMeasure)];
}

/** The table printed after the chart: the encoded fields, or every column when none is. */
export function chartData(
  spec: Record<string, unknown>,
  rows: PlainRow[],
): { columns: TableColumn[]; rows: PlainRow[] } {
  const fields = encodedFields(spec);
  const chosen: EncodedField[] =
    fields.length > 0
      ? fields
      : Object.keys(rows[0] ?? {}).map((field) => ({
          field,
          title: field,
          type: 'nominal',
          grouped: true,
        }));
  const columns = chosen.map((encoded) => ({
    field: encoded.field,
    title: encoded.title,
    format: fieldFormat(encoded, rows),
  }));
  return { columns, rows };
}

function fieldFormat(encoded: EncodedField, rows: readonly PlainRow[]): ColumnFormat {
  const { type, field } = encoded;
  if (type === 'temporal') return { kind: 'date' };
  if (type === 'ordinal' || !encoded.grouped) return { kind: 'text' };
  const values = rows.map((row) => row[field]).filter((value) => typeof value === 'number');
  // A measure with no figure at all is still a figure column: its nulls show notation keys.
  if (values.length === 0)
    return type === 'quantitative' ? { kind: 'number', digits: 1 } : { kind: 'text' };
  return values.every(Number.isInteger) ? { kind: 'integer' } : { kind: 'number', digits: 1 };
}

function count(amount: number, singular: string, plural: string): string {
  return `${formatNumber(amount)} ${amount < 2 ? singular : plural}`;
}

/**
 * The chart's text alternative: its kind, its size, and the range of its first measure with
 * the labels of both ends, e.g. "… 6 valeurs ; tCO₂e de 3 333,2 (Agriculture) à …".
 */
export function summarise(
  caption: string | undefined,
  spec: Record<string, unknown>,
  columns: TableColumn[],
  rows: PlainRow[],
): string {
  const kind = markNames[markOf(spec)] ?? 'Graphique';
  const named = caption ? `${kind} « ${caption} »` : kind;
  const parts = [`${named}, ${count(rows.length, 'valeur', 'valeurs')}`];

  const isMeasure = (column: TableColumn) =>
    column.format.kind === 'integer' || column.format.kind === 'number';
  const measure = columns.find(isMeasure);
  if (measure === undefined) return `${parts.join(' ; ')}.`;

  const label = columns.find((column) => column !== measure);
  const measured = (row: PlainRow) => row[measure.field] as number;
  const known = rows.filter((row) => typeof row[measure.field] === 'number');
  const describe = (row: PlainRow) => {
    const value = formatValue(row[measure.field], measure.format, row);
    if (label === undefined) return value;
    return `${value} (${formatValue(row[label.field], label.format, row)})`;
  };

  if (known.length > 0) {
    const sorted = [...known].sort((left, right) => measured(left) - measured(right));
    parts.push(`${measure.title} de ${describe(sorted[0]!)} à ${describe(sorted.at(-1)!)}`);
  }
  const missing = rows.length - known.length;
  if (missing > 0) parts.push(count(missing, 'valeur non disponible', 'valeurs non disponibles'));
  return `${parts.join(' ; ')}.`;
}

function markOf(spec: Record<string, unknown>): string {
  const mark = spec.mark ?? (spec.layer as Record<string, unknown>[] | undefined)?.[0]?.mark;
  if (typeof mark === 'string') return mark;
  if (mark !== null && typeof mark === 'object' && 'type' in mark) return String(mark.type);
  return '';
}
