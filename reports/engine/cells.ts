import { z } from 'zod';
import { ReportError } from '../../lib/errors.js';
import type { ChartCell, ColumnFormat, TableCell, TableColumn } from './types.js';
import { parseYamlBlock, validateYamlBlock } from './yaml-block.js';

/** Reads the bodies of chart and table cells; SQL cells need no reading until they run. */

interface CellHeader {
  file: string;
  name: string;
  line: number;
  source: string;
}

/** Parses a chart cell: Vega-Lite as JSON or YAML, data only from cells. */
export function parseChartCell(header: CellHeader): ChartCell {
  const { file, name, line, source } = header;
  const block = parseYamlBlock(file, source, line + 1);
  const spec = block.value;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ReportError(file, `chart cell "${name}" must hold a Vega-Lite object`, line);
  }

  const dataCells: string[] = [];
  collectDataCells(spec as Record<string, unknown>, [], (path, data) => {
    const where = block.lineOf(path);
    if ('url' in data || 'sequence' in data || 'graticule' in data || 'sphere' in data) {
      throw new ReportError(
        file,
        `chart cell "${name}" may read data only from a cell ("data": { "cell": "…" })`,
        where,
      );
    }
    if ('cell' in data) {
      if (typeof data.cell !== 'string') {
        throw new ReportError(file, `chart cell "${name}": data.cell must be a cell name`, where);
      }
      if (!dataCells.includes(data.cell)) dataCells.push(data.cell);
    }
  });

  // Without any data of its own the chart reads the SQL cell of the same name.
  if (!('data' in spec)) dataCells.unshift(name);

  return {
    kind: 'chart',
    name,
    file,
    line,
    source,
    spec: spec as Record<string, unknown>,
    dataCells,
  };
}

function collectDataCells(
  node: Record<string, unknown>,
  path: PropertyKey[],
  visit: (path: PropertyKey[], data: Record<string, unknown>) => void,
): void {
  for (const [key, value] of Object.entries(node)) {
    if (value === null || typeof value !== 'object') continue;
    if (key === 'data' && !Array.isArray(value)) {
      visit([...path, key], value as Record<string, unknown>);
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          collectDataCells(item as Record<string, unknown>, [...path, key, index], visit);
        }
      });
    } else {
      collectDataCells(value as Record<string, unknown>, [...path, key], visit);
    }
  }
}

const tableSchema = z
  .object({
    data: z.string().optional(),
    title: z.string().optional(),
    columns: z
      .array(
        z
          .object({
            field: z.string(),
            title: z.string().optional(),
            format: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    total: z.union([z.string(), z.array(z.string())]).optional(),
    /** Smaller type and tighter rows, for reference tables a page must hold. */
    compact: z.boolean().optional(),
  })
  .strict();

const formatPattern = /^(text|integer|date|number|percent|tco2e)(?::(\d{1,2}))?$/;

/** Parses a column format such as `number:1`; undefined when it is not one. */
export function parseColumnFormat(text: string): ColumnFormat | undefined {
  const match = formatPattern.exec(text.trim());
  if (match === null) return undefined;

  const kind = match[1] as ColumnFormat['kind'];
  const digits = match[2] === undefined ? undefined : Number(match[2]);
  switch (kind) {
    case 'text':
    case 'integer':
    case 'date':
      return digits === undefined ? { kind } : undefined;
    case 'number':
    case 'percent':
      return { kind, digits: digits ?? 0 };
    case 'tco2e':
      return { kind, digits: digits ?? 1 };
  }
}

/** Parses a table cell: its columns, their formats, the columns that get a total. */
export function parseTableCell(header: CellHeader): TableCell {
  const { file, name, line, source } = header;
  const block = parseYamlBlock(file, source, line + 1);
  const table = validateYamlBlock(file, block, tableSchema, `table cell "${name}"`);

  const columns: TableColumn[] = table.columns.map((column, index) => {
    const format = parseColumnFormat(column.format ?? 'text');
    if (format === undefined) {
      throw new ReportError(
        file,
        `table cell "${name}": unknown format "${column.format}" (text, integer, date, number:N, percent:N, tco2e:N)`,
        block.lineOf(['columns', index, 'format']),
      );
    }
    return { field: column.field, title: column.title ?? column.field, format };
  });

  const totals = table.total === undefined ? [] : [table.total].flat();
  for (const field of totals) {
    if (!columns.some((column) => column.field === field)) {
      throw new ReportError(
        file,
        `table cell "${name}": total names "${field}", which is not one of its columns`,
        block.lineOf(['total']),
      );
    }
  }

  return {
    kind: 'table',
    name,
    file,
    line,
    source,
    dataCell: table.data ?? name,
    title: table.title,
    columns,
    totals,
    compact: table.compact ?? false,
  };
}
