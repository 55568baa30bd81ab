import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { errorMessage, ReportError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { chartData, summarise } from './chart-data.js';
import { chartConfig, chartHeightPx, chartWidthPx } from './chart-theme.js';
import { dejaVuTextMeasure } from './text-metrics.js';
import type { ChartCell, PlainRow, TableColumn } from './types.js';

/**
 * Vega-Lite → Vega → SVG, on the server and without a canvas: the SVG goes inline in the
 * document, so the HTML needs no script and the PDF gets vector charts.
 */

export interface RenderedChart {
  svg: string;
  caption: string | undefined;
  /** A French sentence that says what the chart shows, for readers who cannot see it. */
  summary: string;
  columns: TableColumn[];
  rows: PlainRow[];
}

const compositeKeys = ['facet', 'repeat', 'concat', 'hconcat', 'vconcat'];

// Vega's text measure is process-wide; DejaVu Sans is what the document uses, so every chart
// of the process is laid out with its widths when it is installed.
const textMeasure = dejaVuTextMeasure();
if (textMeasure !== undefined) {
  const scenegraph = vega as unknown as { textMetrics: { width: typeof textMeasure } };
  scenegraph.textMetrics.width = textMeasure;
}

/** A loader that refuses every URL: a chart draws only the rows the report gives it. */
const refusingLoader = {
  load: (uri: string) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
  sanitize: (uri: string) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
  http: (uri: string) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
  file: (uri: string) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
} as unknown as vega.Loader;

/** Renders chart `cell` from the rows of the SQL cells; `idPrefix` keeps SVG ids unique. */
export async function renderChart(
  file: string,
  cell: ChartCell,
  rowsByCell: ReadonlyMap<string, PlainRow[]>,
  idPrefix: string,
  logger?: Logger,
): Promise<RenderedChart> {
  const spec = structuredClone(cell.spec);
  const ownRows = rowsByCell.get(cell.dataCells[0] ?? cell.name) ?? [];
  replaceCellData(spec, rowsByCell);
  if (!('data' in spec)) spec.data = { values: ownRows };

  // The caption is HTML text in the document's font; the SVG does not repeat it.
  const caption = titleText(spec.title);
  delete spec.title;
  delete spec.$schema;

  const single = !compositeKeys.some((key) => key in spec);
  if (single) {
    spec.width ??= chartWidthPx;
    spec.height ??= chartHeightPx;
    spec.autosize ??= { type: 'fit', contains: 'padding' };
  }
  spec.config = { ...chartConfig, ...((spec.config as object | undefined) ?? {}) };

  const vegaLogger = chartLogger(logger, { file, cell: cell.name, line: cell.line });
  let svg: string;
  try {
    const compiled = compile(spec as unknown as TopLevelSpec, { logger: vegaLogger }).spec;
    const view = new vega.View(vega.parse(compiled), {
      renderer: 'none',
      loader: refusingLoader,
      logger: vegaLogger,
      logLevel: vega.Warn,
    });
    // SVG definition ids (clip paths, gradients) count up per process; restart them so the same
    // chart gives the same markup in any order.
    vega.resetSVGDefIds();
    svg = await view.toSVG();
    view.finalize();
  } catch (error) {
    throw new ReportError(
      file,
      `chart cell "${cell.name}" does not render: ${errorMessage(error)}`,
      cell.line,
      {
        cause: error,
      },
    );
  }

  const { columns, rows } = chartData(spec, ownRows);
  const summary = summarise(caption, spec, columns, rows);
  return { svg: labelSvg(prefixIds(svg, idPrefix), summary), caption, summary, columns, rows };
}

function replaceCellData(
  node: Record<string, unknown>,
  rowsByCell: ReadonlyMap<string, PlainRow[]>,
): void {
  for (const [key, value] of Object.entries(node)) {
    if (value === null || typeof value !== 'object') continue;
    const data = value as Record<string, unknown>;
    if (key === 'data' && typeof data.cell === 'string') {
      const { cell, ...rest } = data;
      node[key] = { ...rest, values: structuredClone(rowsByCell.get(cell) ?? []) };
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item !== null && typeof item === 'object')
          replaceCellData(item as Record<string, unknown>, rowsByCell);
      }
    } else {
      replaceCellData(data, rowsByCell);
    }
  }
}

function titleText(title: unknown): string | undefined {
  if (typeof title === 'string') return title;
  if (Array.isArray(title)) return title.join(' ');
  if (title !== null && typeof title === 'object' && 'text' in title) return titleText(title.text);
  return undefined;
}

function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

function labelSvg(svg: string, summary: string): string {
  const label = summary.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${label}" focusable="false" `);
}

function chartLogger(logger: Logger | undefined, metadata: Record<string, unknown>) {
  let level = vega.Warn;
  const report = (...args: unknown[]) => {
    logger?.warn('chart warning', { ...metadata, message: args.map(String).join(' ') });
  };
  const vegaLogger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return vegaLogger;
    },
    error(...args: unknown[]) {
      report(...args);
      return vegaLogger;
    },
    warn(...args: unknown[]) {
      report(...args);
      return vegaLogger;
    },
    info: () => vegaLogger,
    debug: () => vegaLogger,
  };
  return vegaLogger as unknown as vega.LoggerInterface;
}
