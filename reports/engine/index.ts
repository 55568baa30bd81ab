import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage, ReportError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import {
  type FigureContext,
  renderChartFigure,
  renderProvenanceAnnex,
  renderTableFigure,
} from './figures.js';
import {
  assertSelfContained,
  type Heading,
  markdownToHtml,
  renderDocument,
  tableOfContents,
} from './html.js';
import { escapeHtml, htmlToText } from './markup.js';
import { compileNarrative, loadPartials } from './narrative.js';
import { resolveParameters } from './parameters.js';
import { cellPlaceholderPattern, parseNotebook } from './parse.js';
import { includePartials } from './partials.js';
import { runSqlCell, type SqlCellOptions, type TableAccess } from './sql.js';
import type {
  Audience,
  Cell,
  Notebook,
  ParameterValue,
  RenderedCell,
  RenderedNotebook,
  SourcePartition,
  SqlResult,
} from './types.js';

/**
 * Renders notebook-style reports: Markdown with SQL, chart and table cells and a Handlebars
 * narrative, to one self-contained HTML document. The engine knows nothing of what the data
 * means; the caller gives the connection, the parameters and any extra narrative data.
 */

export { audienceLabel } from './html.js';
export { parseNotebook } from './parse.js';
export {
  chromiumFlags,
  type LaunchBrowserOptions,
  launchBrowser,
  type PdfOptions,
  type RenderedPdf,
  type ReportBrowser,
  renderPdf,
  resolveChromium,
} from './pdf.js';
export { type PdfLayout, readPdfLayout } from './pdf-destinations.js';
export type { TableAccess } from './sql.js';
export type * from './types.js';

export interface RenderNotebookOptions {
  /** Path of the report's Markdown file. */
  file: string;
  /** A read-only connection; cells may only read, and the engine refuses anything else. */
  connection: DuckDBConnection;
  /** Values for the parameters the front matter declares. */
  parameters?: Readonly<Record<string, unknown>>;
  /** Extra data for the narrative and the title (`territory`, `edition`, …), by name. */
  context?: Readonly<Record<string, unknown>>;
  /** Folders of partials; by default the `partials/` folder beside the report. */
  partialsDirs?: readonly string[];
  /** Who the edition is for; the front matter's `audience` when absent. */
  audience?: Audience;
  /** The lake partitions behind a set of tables, printed under each figure and in the annex. */
  sourcesOf?: (tables: readonly string[]) => readonly SourcePartition[];
  /** Tables the audience may read; a cell reading any other stops the render. */
  tableAccess?: TableAccess;
  logger?: Logger;
}

/** Parses, runs and renders the report `options.file` to a self-contained HTML document. */
export async function renderNotebook(options: RenderNotebookOptions): Promise<RenderedNotebook> {
  const { file, logger } = options;
  const startedAt = Date.now();

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReportError(file, `cannot read the report: ${errorMessage(error)}`, undefined, {
      cause: error,
    });
  }
  const parsed = parseNotebook(file, text);
  const parameters = resolveParameters(file, parsed.parameters, options.parameters ?? {});
  const audience = options.audience ?? parsed.audience;
  const context = options.context ?? {};

  // Partials may hold cells of their own; those of the partials the report reaches run too.
  const available = loadPartials(options.partialsDirs ?? [join(dirname(file), 'partials')]);
  const included = includePartials(parsed, available);
  const notebook: Notebook = { ...parsed, cells: included.cells };

  // Compiled before any query runs, so a misspelt helper or cell fails fast.
  const sqlCells = notebook.cells.filter((cell) => cell.kind === 'sql');
  const rootNames = rootNamesOf(notebook, context);
  const describeRoot = () =>
    `sql cells: ${sqlCells.map((cell) => cell.name).join(', ') || 'none'}; context: ${Object.keys(context).join(', ') || 'none'}; parameters under params; audience.`;
  const narrative = compileNarrative({
    file,
    template: notebook.template,
    partials: included.partials,
    rootNames,
    describeRoot,
  });
  const titleTemplate = compileNarrative({
    file,
    template: notebook.title,
    lineOffset: notebook.titleLine - 1,
    partials: new Map(),
    rootNames,
    describeRoot,
  });

  const results = await runQueries(options, notebook, parameters);

  const data: Record<string, unknown> = { ...context, params: parameters, audience };
  for (const [name, result] of results) data[name] = result.rows;

  // The title goes through the narrative's escaping; the document escapes it again.
  const title = htmlToText(titleTemplate(data)).trim();
  const { html: bodyHtml, headings } = markdownToHtml(narrative(data));
  const body = await renderCells(bodyHtml, notebook.cells, { file, results, logger });
  const { cover, main } = notebook.layout.cover
    ? splitCover(body)
    : { cover: undefined, main: body };

  const annex = notebook.layout.queryAnnex ? provenanceAnnex(file, results) : undefined;
  const tocHeadings = annex === undefined ? headings : [...headings, annex.heading];

  const html = renderDocument({
    title,
    audience,
    subtitle: parameterLine(parameters),
    cover,
    toc: notebook.layout.toc ? tableOfContents(tocHeadings) : '',
    body: main,
    annex: annex?.html ?? '',
  });
  assertSelfContained(file, html);

  logger?.info('report rendered', {
    file,
    audience,
    cells: notebook.cells.length,
    durationMs: Date.now() - startedAt,
  });
  return {
    title,
    audience,
    parameters,
    html,
    cells: notebook.cells.map((cell) => summarizeCell(cell, results)),
  };
}

/** The cover is what comes before the first `#` heading; the rest is the document's body. */
function splitCover(body: string): { cover: string; main: string } {
  const first = body.search(/<h1[\s>]/);
  if (first < 0) return { cover: body, main: '' };
  return { cover: body.slice(0, first), main: body.slice(first) };
}

/** Runs the SQL cells in file order; each one's rows become data for what follows. */
async function runQueries(
  options: RenderNotebookOptions,
  notebook: Notebook,
  parameters: Readonly<Record<string, ParameterValue>>,
): Promise<Map<string, SqlResult>> {
  const { file, connection, logger } = options;
  const cellOptions: SqlCellOptions = {
    sourcesOf: options.sourcesOf,
    tableAccess: options.tableAccess,
  };
  const results = new Map<string, SqlResult>();
  for (const cell of notebook.cells) {
    if (cell.kind !== 'sql') continue;
    const startedAt = Date.now();
    const result = await runSqlCell(connection, cell, notebook.parameters, parameters, cellOptions);
    results.set(cell.name, result);
    logger?.debug('report cell ran', {
      file,
      cell: cell.name,
      cellFile: cell.file,
      rows: result.rows.length,
      durationMs: Date.now() - startedAt,
    });
  }
  return results;
}

const annexHeading: Heading = {
  depth: 1,
  id: 'annexe-provenance-des-requetes',
  html: 'Annexe — provenance des requêtes',
};

function provenanceAnnex(file: string, results: ReadonlyMap<string, SqlResult>) {
  if (results.size === 0) return undefined;
  const entries = renderProvenanceAnnex(file, [...results.values()]);
  const heading = `<h1 id="${annexHeading.id}">${annexHeading.html}</h1>`;
  return {
    heading: annexHeading,
    html: `<section class="annex">\n${heading}\n${entries}\n</section>`,
  };
}

function rootNamesOf(notebook: Notebook, context: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set(['params', 'audience', ...Object.keys(context)]);
  for (const cell of notebook.cells) {
    if (cell.kind !== 'sql') continue;
    if (names.has(cell.name)) {
      throw new ReportError(
        cell.file,
        `sql cell "${cell.name}" has the name of a context value, of params or of audience; rename the cell`,
        cell.line,
      );
    }
    names.add(cell.name);
  }
  return names;
}

/** Replaces each cell placeholder by its figure, numbering figures and tables in order. */
async function renderCells(
  html: string,
  cells: readonly Cell[],
  context: FigureContext,
): Promise<string> {
  const pieces: string[] = [];
  let figureNumber = 0;
  let tableNumber = 0;
  let last = 0;

  for (const match of html.matchAll(cellPlaceholderPattern)) {
    pieces.push(html.slice(last, match.index));
    last = match.index + match[0].length;
    const cell = cells[Number(match[1])]!;
    if (cell.kind === 'chart') {
      figureNumber += 1;
      pieces.push(await renderChartFigure(context, cell, figureNumber));
    } else if (cell.kind === 'table') {
      tableNumber += 1;
      pieces.push(renderTableFigure(context, cell, tableNumber));
    }
  }
  pieces.push(html.slice(last));
  return pieces.join('');
}

function parameterLine(parameters: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return '';
  const text = entries
    .map(([name, value]) => `${name} = ${value === null ? '—' : String(value)}`)
    .join(' · ');
  return `<p class="report-subtitle">Paramètres : ${escapeHtml(text)}</p>`;
}

function summarizeCell(cell: Cell, results: ReadonlyMap<string, SqlResult>): RenderedCell {
  const summary: RenderedCell = {
    name: cell.name,
    kind: cell.kind,
    file: cell.file,
    line: cell.line,
  };
  const result = cell.kind === 'sql' ? results.get(cell.name) : undefined;
  if (result !== undefined) {
    summary.sql = result.sql;
    summary.tables = result.tables;
    summary.sources = result.sources;
    summary.parameters = result.parameters;
    summary.rowCount = result.rows.length;
  }
  return summary;
}
