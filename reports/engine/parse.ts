import { z } from 'zod';
import { ReportError } from '../../lib/errors.js';
import { parseChartCell, parseTableCell } from './cells.js';
import { parameterDeclarationSchema, parameterSpecs } from './parameters.js';
import type { Cell, Notebook } from './types.js';
import { parseYamlBlock, validateYamlBlock } from './yaml-block.js';

/**
 * Reads a report file: YAML front matter, then Markdown narrative with fenced `sql`, `chart`
 * and `table` cells. Nothing runs here; every problem found is named with its line.
 */

const frontMatterSchema = z
  .object({
    title: z.string().min(1),
    audience: z.enum(['public', 'committee', 'restricted']),
    description: z.string().optional(),
    cover: z.boolean().optional(),
    toc: z.boolean().optional(),
    queryAnnex: z.boolean().optional(),
    parameters: z.record(z.string(), parameterDeclarationSchema).optional(),
  })
  .strict();

const fencePattern = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const cellInfoPattern = /^\s*(sql|chart|table)(?:\s+(\S+))?\s*$/;
const cellNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The placeholder a cell leaves in the narrative template; replaced by its HTML at the end. */
export function cellPlaceholder(index: number): string {
  return `<!--terreze-cell-${index}-->`;
}

export const cellPlaceholderPattern = /<!--terreze-cell-(\d+)-->/g;

/** Parses the text of report `file`. */
export function parseNotebook(file: string, text: string): Notebook {
  const lines = splitLines(text);

  // Front matter: between a first line `---` and the next `---`.
  if (lines[0]?.trim() !== '---') {
    throw new ReportError(file, 'a report starts with YAML front matter between --- lines', 1);
  }
  const frontMatterEnd = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (frontMatterEnd < 0) throw new ReportError(file, 'front matter is not closed by ---', 1);

  const frontMatterBlock = parseYamlBlock(file, lines.slice(1, frontMatterEnd).join('\n'), 2);
  const frontMatter = validateYamlBlock(file, frontMatterBlock, frontMatterSchema, 'front matter');
  const body = scanCells(file, lines, frontMatterEnd + 1, 0);

  checkCellNames(body.cells);
  return {
    file,
    title: frontMatter.title,
    titleLine: frontMatterBlock.lineOf(['title']),
    audience: frontMatter.audience,
    layout: {
      cover: frontMatter.cover ?? false,
      toc: frontMatter.toc ?? true,
      queryAnnex: frontMatter.queryAnnex ?? true,
    },
    parameters: parameterSpecs(file, frontMatter.parameters ?? {}, frontMatterBlock),
    cells: body.cells,
    template: body.template,
  };
}

/** A partial once its cells are read: the template to register, with the cells it places. */
export interface ParsedPartial {
  template: string;
  cells: Cell[];
}

/**
 * Parses partial `file`, which may hold cells of its own like a report (without front
 * matter). Its cells are numbered from `firstIndex`, after those of the report.
 */
export function parsePartial(file: string, text: string, firstIndex: number): ParsedPartial {
  return scanCells(file, splitLines(text), 0, firstIndex);
}

function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
}

/**
 * Reads the cells of `lines` from line index `start`, and the narrative template in which each
 * cell's fence line holds its placeholder; the lines before `start` and the cell bodies are
 * blanked, so that a template line number is the file's line number.
 */
function scanCells(
  file: string,
  lines: readonly string[],
  start: number,
  firstIndex: number,
): ParsedPartial {
  const templateLines = [...lines];
  for (let index = 0; index < start; index += 1) templateLines[index] = '';

  const cells: Cell[] = [];
  let index = start;
  while (index < lines.length) {
    const fence = fencePattern.exec(lines[index]!);
    if (fence === null) {
      index += 1;
      continue;
    }

    const marker = fence[1]!;
    const closing = findClosingFence(lines, index, marker);
    const info = cellInfoPattern.exec(fence[2]!);
    if (info === null) {
      // An ordinary code block: skipped whole so that fences inside it are not read as cells.
      index = closing < 0 ? lines.length : closing + 1;
      continue;
    }

    const line = index + 1;
    const kind = info[1] as Cell['kind'];
    const name = info[2];
    if (name === undefined || !cellNamePattern.test(name)) {
      throw new ReportError(
        file,
        `${kind} cell needs a name made of letters, digits and _ (\`\`\`${kind} my_name)`,
        line,
      );
    }
    if (closing < 0) throw new ReportError(file, `${kind} cell "${name}" is not closed`, line);

    const source = lines.slice(index + 1, closing).join('\n');
    cells.push(readCell(file, kind, name, line, source));

    templateLines[index] = cellPlaceholder(firstIndex + cells.length - 1);
    for (let blank = index + 1; blank <= closing; blank += 1) templateLines[blank] = '';
    index = closing + 1;
  }
  return { cells, template: templateLines.join('\n') };
}

function findClosingFence(lines: readonly string[], opening: number, marker: string): number {
  const closingPattern = new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`);
  for (let index = opening + 1; index < lines.length; index += 1) {
    if (closingPattern.test(lines[index]!)) return index;
  }
  return -1;
}

function readCell(
  file: string,
  kind: Cell['kind'],
  name: string,
  line: number,
  source: string,
): Cell {
  switch (kind) {
    case 'sql':
      if (source.trim() === '') throw new ReportError(file, `sql cell "${name}" is empty`, line);
      return { kind, name, file, line, source };
    case 'chart':
      return parseChartCell({ file, name, line, source });
    case 'table':
      return parseTableCell({ file, name, line, source });
  }
}

/**
 * Names are unique per kind, across the report and its partials, and charts and tables read
 * only SQL cells that exist.
 */
export function checkCellNames(cells: readonly Cell[]): void {
  const seen = new Map<string, Cell>();
  for (const cell of cells) {
    const key = `${cell.kind}:${cell.name}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const where = earlier.file === cell.file ? '' : `${earlier.file} `;
      throw new ReportError(
        cell.file,
        `${cell.kind} cell "${cell.name}" is already defined at ${where}line ${earlier.line}`,
        cell.line,
      );
    }
    seen.set(key, cell);
  }

  const sqlNames = cells.filter((cell) => cell.kind === 'sql').map((cell) => cell.name);
  for (const cell of cells) {
    const reads =
      cell.kind === 'chart' ? cell.dataCells : cell.kind === 'table' ? [cell.dataCell] : [];
    for (const name of reads) {
      if (sqlNames.includes(name)) continue;
      throw new ReportError(
        cell.file,
        `${cell.kind} cell "${cell.name}" reads unknown cell "${name}" (sql cells: ${sqlNames.join(', ') || 'none'})`,
        cell.line,
      );
    }
  }
}
