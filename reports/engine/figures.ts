import { dirname, relative } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { renderChart } from './charts.js';
import { formatNumber } from './format.js';
import { escapeHtml } from './markup.js';
import { renderDataTable, shortTableRows } from './tables.js';
import type { ChartCell, PlainRow, SourcePartition, SqlResult, TableCell } from './types.js';

/**
 * Charts and tables as numbered `<figure>`s, each with a caption and the provenance of its
 * figures: which query produced them, on which tables, and how many rows came back.
 */

export interface FigureContext {
  file: string;
  results: ReadonlyMap<string, SqlResult>;
  logger?: Logger;
}

/** Where a cell was written: its line, with the partial's path when it is not the report. */
export function cellPlace(reportFile: string, result: Pick<SqlResult, 'file' | 'line'>): string {
  if (result.file === reportFile) return `ligne ${result.line}`;
  return `${relative(dirname(reportFile), result.file)}, ligne ${result.line}`;
}

/** "Source : requête « totals » (ligne 12) · tables : emissions · 3 lignes." */
export function provenanceLine(reportFile: string, results: readonly SqlResult[]): string {
  const sources = results.map((result) => {
    const tables = result.tables.length > 0 ? result.tables.join(', ') : 'aucune table nommée';
    const rows = `${formatNumber(result.rows.length)} ${result.rows.length < 2 ? 'ligne' : 'lignes'}`;
    return `requête « ${result.name} » (${cellPlace(reportFile, result)}) · tables : ${tables} · ${rows}`;
  });
  return `Source : ${sources.join(' ; ')}.`;
}

/** The partitions behind `results`, once each, in source then period order. */
export function partitionsOf(results: readonly SqlResult[]): SourcePartition[] {
  const byKey = new Map<string, SourcePartition>();
  for (const result of results) {
    for (const source of result.sources) {
      byKey.set(`${source.sourceId}\u0000${source.period}\u0000${source.runId}`, source);
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.sourceId.localeCompare(b.sourceId) ||
      a.period.localeCompare(b.period) ||
      a.runId.localeCompare(b.runId),
  );
}

/**
 * "Données : enedis 2023 (collecte 01a2…)" for every partition behind the figure, with the
 * partition's checksum when `checksums`; undefined when the caller gave no lineage.
 */
export function sourcesLine(results: readonly SqlResult[], checksums = false): string | undefined {
  const partitions = partitionsOf(results);
  if (partitions.length === 0) return undefined;
  const entries = partitions.map((source) => {
    const checksum = checksums ? `sha256 ${source.sha256.slice(0, 16)}, ` : '';
    return `${source.sourceId} ${source.period} (${checksum}collecte ${source.runId})`;
  });
  return `Données : ${entries.join(' ; ')}.`;
}

function sourceParagraphs(reportFile: string, results: readonly SqlResult[]): string[] {
  const lines = [`<p class="figure-source">${escapeHtml(provenanceLine(reportFile, results))}</p>`];
  const sources = sourcesLine(results);
  if (sources !== undefined) {
    lines.push(`<p class="figure-source figure-partitions">${escapeHtml(sources)}</p>`);
  }
  return lines;
}

function rowsByCell(results: ReadonlyMap<string, SqlResult>): Map<string, PlainRow[]> {
  return new Map([...results].map(([name, result]) => [name, result.rows]));
}

/** Renders chart `cell` as figure number `number`. */
export async function renderChartFigure(
  context: FigureContext,
  cell: ChartCell,
  number: number,
): Promise<string> {
  const chart = await renderChart(
    cell.file,
    cell,
    rowsByCell(context.results),
    `figure-${number}`,
    context.logger,
  );
  const sources = cell.dataCells.map((name) => context.results.get(name)!);
  const caption = chart.caption ? ` — ${escapeHtml(chart.caption)}` : '';
  const table = renderDataTable({ columns: chart.columns, rows: chart.rows, className: 'compact' });
  const longData = chart.rows.length > shortTableRows ? ' chart-long-data' : '';

  return [
    `<figure class="chart${longData}" id="figure-${number}" data-cell="${escapeHtml(cell.name)}">`,
    `<figcaption><span class="figure-label">Figure ${number}</span>${caption}</figcaption>`,
    `<div class="chart-canvas">${chart.svg}</div>`,
    `<p class="chart-summary">${escapeHtml(chart.summary)}</p>`,
    ...sourceParagraphs(context.file, sources),
    `<details class="chart-data"><summary>Données de la figure ${number}</summary>`,
    table.html,
    '</details>',
    '</figure>',
  ].join('\n');
}

/** Renders table `cell` as table number `number`. */
export function renderTableFigure(context: FigureContext, cell: TableCell, number: number): string {
  const source = context.results.get(cell.dataCell)!;
  const table = renderDataTable({
    columns: cell.columns,
    rows: source.rows,
    totals: cell.totals,
    className: cell.compact ? 'compact' : undefined,
  });
  const caption = cell.title ? ` — ${escapeHtml(cell.title)}` : '';
  const size = source.rows.length <= shortTableRows ? 'table-short' : 'table-long';
  const notes = table.notes.map((note) => `<p class="table-note">* ${escapeHtml(note)}</p>`);

  return [
    `<figure class="report-table ${size}" id="table-${number}" data-cell="${escapeHtml(cell.name)}">`,
    `<figcaption><span class="figure-label">Tableau ${number}</span>${caption}</figcaption>`,
    table.html,
    ...notes,
    ...sourceParagraphs(context.file, [source]),
    '</figure>',
  ].join('\n');
}

/** The annex listing every query of the report with the SQL and the values it ran with. */
export function renderProvenanceAnnex(reportFile: string, results: readonly SqlResult[]): string {
  const entries = results.map((result) => {
    const tables = result.tables.length > 0 ? result.tables.join(', ') : 'aucune table nommée';
    const rows = `${formatNumber(result.rows.length)} ${result.rows.length < 2 ? 'ligne' : 'lignes'}`;
    const bound = Object.entries(result.parameters)
      .map(([name, value]) => `${name} = ${value === null ? 'NULL' : JSON.stringify(value)}`)
      .join(', ');
    const place =
      result.file === reportFile
        ? `ligne ${result.line} du rapport`
        : cellPlace(reportFile, result);
    const details = [place, `tables : ${tables}`, rows];
    if (bound !== '') details.push(`paramètres : ${bound}`);
    const sources = sourcesLine([result], true);
    return [
      '<div class="query-provenance">',
      `<h3 id="requete-${escapeHtml(result.name)}">Requête « ${escapeHtml(result.name)} »</h3>`,
      `<p class="figure-source">${escapeHtml(details.join(' · '))}.</p>`,
      ...(sources === undefined
        ? []
        : [`<p class="figure-source figure-partitions">${escapeHtml(sources)}</p>`]),
      `<pre><code class="language-sql">${escapeHtml(result.sql)}</code></pre>`,
      '</div>',
    ].join('\n');
  });
  return entries.join('\n');
}
