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
import { runSqlCell } from './sql.js';
import type {
  Cell,
  Notebook,
  ParameterValue,
  RenderedCell,
  RenderedNotebook,
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
  type LaunchBrowserOptions,
  launchBrowser,
  type PdfOptions,
  type RenderedPdf,
  type ReportBrowser,
  renderPdf,
  resolveChromium,
} from './pdf.js';
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
  logger?: Logger;
}

/** Parses, runs and renders the report `options.file` to a self-contained HTML document. */
export async function renderNotebook(options: RenderNotebookOptions): Promise<RenderedNotebook> {
  const { file, connection, logger } = options;
  const startedAt = Date.now();

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReportError(file, `cannot read the report: ${errorMessage(error)}`, undefined, {
      cause: error,
    });
  }
  const notebook = parseNotebook(file, text);
  const parameters = resolveParameters(file, notebook.parameters, options.parameters ?? {});
  const context = options.context ?? {};

  // Compiled before any query runs, so a misspelt helper or cell fails fast.
  const sqlCells = notebook.cells.filter((cell) => cell.kind === 'sql');
  const rootNames = rootNamesOf(notebook, context);
  const describeRoot = () =>
    `sql cells: ${sqlCells.map((cell) => cell.name).join(', ') || 'none'}; context: ${Object.keys(context).join(', ') || 'none'}; parameters under params.`;
  const partials = loadPartials(options.partialsDirs ?? [join(dirname(file), 'partials')]);
  const narrative = compileNarrative({
    file,
    template: notebook.template,
    partials,
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

  const data: Record<string, unknown> = { ...context, params: parameters };
  for (const [name, result] of results) data[name] = result.rows;

  // The title goes through the narrative's escaping; the document escapes it again.
  const title = htmlToText(titleTemplate(data)).trim();
  const { html: bodyHtml, headings } = markdownToHtml(narrative(data));
  const body = await renderCells(bodyHtml, notebook.cells, { file, results, logger });

  const annex = provenanceAnnex(results);

  const html = renderDocument({
    title,
    audience: notebook.audience,
    subtitle: parameterLine(parameters),
    toc: tableOfContents(annex === undefined ? headings : [...headings, annex.heading]),
    body,
    annex: annex?.html ?? '',
  });
  assertSelfContained(file, html);

  logger?.info('report rendered', {
    file,
    cells: notebook.cells.length,
    durationMs: Date.now() - startedAt,
  });
  return {
    title,
    audience: notebook.audience,
    parameters,
    html,
    cells: notebook.cells.map((cell) => summarizeCell(cell, results)),
  };
}

/** Runs the SQL cells in file order; each one's rows become data for what follows. */
async function runQueries(
  options: RenderNotebookOptions,
  notebook: Notebook,
  parameters: Readonly<Record<string, ParameterValue>>,
): Promise<Map<string, SqlResult>> {
  const { file, connection, logger } = options;
  const results = new Map<string, SqlResult>();
  for (const cell of notebook.cells) {
    if (cell.kind !== 'sql') continue;
    const startedAt = Date.now();
    const result = await runSqlCell(file, connection, cell, notebook.parameters, parameters);
    results.set(cell.name, result);
    logger?.debug('report cell ran', {
      file,
      cell: cell.name,
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

function provenanceAnnex(results: ReadonlyMap<string, SqlResult>) {
  if (results.size === 0) return undefined;
  const entries = renderProvenanceAnnex([...results.values()]);
  const heading = `<h1 id="${annexHeading.id}">${annexHeading.html}</h1>`;
  return {
    heading: annexHeading,
    html: `<section class="annex">\n${heading}\n${entries}\n</section>`,
  };
}

function rootNamesOf(notebook: Notebook, context: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set(['params', ...Object.keys(context)]);
  for (const cell of notebook.cells) {
    if (cell.kind !== 'sql') continue;
    if (names.has(cell.name)) {
      throw new ReportError(
        notebook.file,
        `sql cell "${cell.name}" has the name of a context value or of params; rename the cell`,
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
  const summary: RenderedCell = { name: cell.name, kind: cell.kind, line: cell.line };
  const result = cell.kind === 'sql' ? results.get(cell.name) : undefined;
  if (result !== undefined) {
    summary.sql = result.sql;
    summary.tables = result.tables;
    summary.parameters = result.parameters;
    summary.rowCount = result.rows.length;
  }
  return summary;
}
