/** Shapes shared by the steps of the report engine: parse, run, narrate, render. */

export type Audience = 'public' | 'committee' | 'restricted';

export type ParameterType = 'integer' | 'number' | 'string' | 'boolean';

export type ParameterValue = number | string | boolean | null;

export interface ParameterSpec {
  name: string;
  type: ParameterType;
  required: boolean;
  default: ParameterValue | undefined;
  description: string | undefined;
  /** Line of the parameter's declaration in the report file. */
  line: number;
}

/** A value of a result row, already converted to plain JSON-like data. */
export type PlainValue = number | string | boolean | null | PlainValue[] | PlainRow;

export interface PlainRow {
  [column: string]: PlainValue;
}

export type CellKind = 'sql' | 'chart' | 'table';

interface CellBase {
  name: string;
  /** The file the cell was read from: the report, or a partial it includes. */
  file: string;
  /** Line of the opening fence in the file the cell was read from. */
  line: number;
  /** Raw text between the fences. */
  source: string;
}

export interface SqlCell extends CellBase {
  kind: 'sql';
}

export interface ChartCell extends CellBase {
  kind: 'chart';
  /** Vega-Lite specification as written, with `data: { cell }` still unresolved. */
  spec: Record<string, unknown>;
  /** The SQL cells whose rows the chart reads, in the order they are referenced. */
  dataCells: string[];
}

export type ColumnFormat =
  | { kind: 'text' }
  | { kind: 'integer' }
  | { kind: 'number'; digits: number }
  | { kind: 'percent'; digits: number }
  | { kind: 'tco2e'; digits: number }
  | { kind: 'date' };

export interface TableColumn {
  field: string;
  title: string;
  format: ColumnFormat;
}

export interface TableCell extends CellBase {
  kind: 'table';
  dataCell: string;
  title: string | undefined;
  columns: TableColumn[];
  totals: string[];
  compact: boolean;
}

export type Cell = SqlCell | ChartCell | TableCell;

export interface PartialReference {
  name: string;
  line: number;
}

/** How the document is laid out, from the front matter. */
export interface NotebookLayout {
  /** The text before the first `#` heading forms a cover page with the title. */
  cover: boolean;
  /** A table of contents of the `#` and `##` headings (with page numbers in print). */
  toc: boolean;
  /** The annex listing every query with its SQL, tables and sources. */
  queryAnnex: boolean;
}

/** A report file once parsed, before any query runs. */
export interface Notebook {
  file: string;
  /** The title as a Handlebars template, read from line `titleLine`. */
  title: string;
  titleLine: number;
  audience: Audience;
  layout: NotebookLayout;
  parameters: ParameterSpec[];
  cells: Cell[];
  /**
   * The narrative as a Handlebars template with exactly as many lines as the file: front
   * matter and cell bodies are blanked and each cell's fence line holds its placeholder, so a
   * template line number is the file's line number.
   */
  template: string;
}

/** One collected partition of the lake: a source's data for a period, from one run. */
export interface SourcePartition {
  sourceId: string;
  period: string;
  runId: string;
  sha256: string;
}

/** The provenance of one SQL cell's result: what ran, on what, and how many rows came back. */
export interface SqlResult {
  name: string;
  file: string;
  line: number;
  sql: string;
  tables: string[];
  /** The lake partitions behind `tables`, as the caller's lineage tells them. */
  sources: SourcePartition[];
  /** The parameter values bound to the query, by name. */
  parameters: Record<string, ParameterValue>;
  rows: PlainRow[];
}

/** Summary of one cell as returned to the caller. */
export interface RenderedCell {
  name: string;
  kind: CellKind;
  file: string;
  line: number;
  sql?: string;
  tables?: string[];
  sources?: SourcePartition[];
  parameters?: Record<string, ParameterValue>;
  rowCount?: number;
}

export interface RenderedNotebook {
  title: string;
  audience: Audience;
  parameters: Record<string, ParameterValue>;
  /** Full self-contained HTML document. */
  html: string;
  cells: RenderedCell[];
}
