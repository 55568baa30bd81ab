import type { DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { z } from 'zod';
import type { Domain } from '../config/project.js';
import type { HttpClient } from '../lib/http.js';
import type { Logger } from '../lib/logger.js';

/**
 * The contract every connector implements, after Airbyte's spec / check / discover / read: a
 * parameter schema (the spec), `check` (can we reach and authenticate), `discover` (the
 * streams and their Arrow schemas) and `read` (record batches for one period, from the state
 * the last landed collection saved). A connector does no landing and keeps no state itself:
 * the collection lands the batches and saves the state it yields only after the landing.
 * A connector whose rows already sit in DuckDB yields one query message instead of batches,
 * and DuckDB writes the partition itself, so that no value crosses into JavaScript.
 */

export interface FetchedResource {
  url: string;
  status: number;
  bytes: number;
  sha256: string;
  contentType: string | undefined;
}

/** A record the connector could not turn into a row: it goes to the partition's quarantine. */
export interface BadRow {
  /** The URL or path of the file the record came from. */
  file: string;
  /** 1-based line (CSV, JSON Lines), row (XLSX) or record index (JSON) of the record. */
  line: number;
  /** What was wrong, naming the field and what was expected. */
  reason: string;
  /** The record as the provider sent it, as text. */
  record: string;
}

export interface ConnectorContext {
  sourceId: string;
  logger: Logger;
  http: HttpClient;
  /** Scratch folder for downloads, removed by the caller after the read. */
  workDir: string;
  /** Called regularly during long reads so that Temporal knows the activity is alive. */
  heartbeat(details?: unknown): void;
  signal: AbortSignal;
  /** Sets a bad record aside; the collection fails when they pass the source's threshold. */
  quarantine(badRow: BadRow): void;
}

/** What a connector remembers between collections of a source (cursors), as plain JSON. */
export type ConnectorState = Record<string, unknown>;

export interface ReadRequest {
  /** The partition key: a data year such as "2023", or "current" for snapshot sources. */
  period: string;
  /** The data year asked for, when the source is annual. */
  vintage: number | undefined;
  /** The state saved after the source's last landed collection; undefined on the first. */
  state?: ConnectorState | undefined;
}

/** Yielded by `read` (last one wins): the state to save once the partition is landed. */
export interface StateMessage {
  kind: 'state';
  state: ConnectorState;
}

/**
 * Yielded by `read` instead of batches (once, with no batch): a SELECT whose result, in its
 * order, is the stream's rows, named and typed as the stream's schema declares (cast
 * explicitly). The collection writes it to the staged partition with `COPY … TO` on
 * `connection` before asking `read` for its next message, so the connection stays open until
 * then.
 */
export interface QueryMessage {
  kind: 'query';
  connection: DuckDBConnection;
  sql: string;
  /**
   * The error to raise when the statement failed, called with the connection still open:
   * a connector whose checks fail the statement with `error()` finds the file, line and field
   * here (a second, slower pass). Returns `error` itself for failures it does not know.
   */
  explainFailure?(error: unknown): Promise<unknown>;
  /**
   * Called once the partition is written, with its row count: a connector fails an empty read
   * here, sets aside the records DuckDB rejected, and logs what it read.
   */
  afterWrite?(rows: number): Promise<void>;
}

export type ReadMessage = RecordBatch | StateMessage | QueryMessage;

export interface StreamDescription {
  name: string;
  schema: Schema;
  /** Columns that identify a row: rows read twice (look-back, overlapping pages) merge on it. */
  primaryKey?: readonly string[];
  /** The column an incremental read advances its cursor on. */
  cursorField?: string;
}

export interface Catalog {
  streams: StreamDescription[];
  /** The stream these parameters read; a source lands one stream. */
  selected: string;
}

export interface CheckResult {
  ok: boolean;
  /** On failure, what to fix (a URL, a secret, a dataset id); on success, what was reached. */
  message: string;
}

export interface Connector<Params = unknown> {
  id: string;
  version: string;
  domain: Domain;
  description: string;
  /** Annual sources land one partition per data year; snapshot sources one per retrieval. */
  periodicity: 'annual' | 'snapshot';
  params: z.ZodType<Params>;
  /**
   * The schema of the stream when it does not depend on the parameters; an empty schema for
   * connectors whose columns come from the provider (declarative HTTP, file drops).
   */
  schema: Schema;
  check(context: ConnectorContext, params: Params, request?: ReadRequest): Promise<CheckResult>;
  discover(context: ConnectorContext, params: Params, request?: ReadRequest): Promise<Catalog>;
  read(context: ConnectorContext, params: Params, request: ReadRequest): AsyncIterable<ReadMessage>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds connectors of every parameter type
export type AnyConnector = Connector<any>;

/** Whether a message of `read` is a state message rather than a batch. */
export function isStateMessage(message: ReadMessage): message is StateMessage {
  return (message as StateMessage).kind === 'state';
}

/** Whether a message of `read` is a query for DuckDB to write, rather than a batch. */
export function isQueryMessage(message: ReadMessage): message is QueryMessage {
  return (message as QueryMessage).kind === 'query';
}

/** The query message of a connector whose rows DuckDB writes (see `QueryMessage`). */
export function queryMessage(query: Omit<QueryMessage, 'kind'>): QueryMessage {
  return { kind: 'query', ...query };
}

/** The state message a connector yields after its last batch. */
export function stateMessage(state: ConnectorState): StateMessage {
  return { kind: 'state', state };
}

/** The selected stream of a catalog; a catalog naming a stream it lacks is a programming error. */
export function selectedStream(catalog: Catalog): StreamDescription {
  const stream = catalog.streams.find((candidate) => candidate.name === catalog.selected);
  if (stream === undefined) {
    const names = catalog.streams.map((candidate) => candidate.name).join(', ');
    throw new Error(`catalog selects stream ${catalog.selected}, it has ${names}`);
  }
  return stream;
}
