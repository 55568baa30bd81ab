import type { RecordBatch, Schema } from 'apache-arrow';
import type { z } from 'zod';
import type { Domain } from '../config/project.js';
import type { HttpClient } from '../lib/http.js';
import type { Logger } from '../lib/logger.js';

/**
 * The contract every connector implements. A connector turns one provider's answer for one
 * period into Arrow record batches of a declared schema; it does no landing and keeps no state.
 */

export interface FetchedResource {
  url: string;
  status: number;
  bytes: number;
  sha256: string;
  contentType: string | undefined;
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
}

export interface ReadRequest {
  /** The partition key: a data year such as "2023", or "current" for snapshot sources. */
  period: string;
  /** The data year asked for, when the source is annual. */
  vintage: number | undefined;
}

export interface Connector<Params = unknown> {
  id: string;
  version: string;
  domain: Domain;
  description: string;
  /** Annual sources land one partition per data year; snapshot sources one per retrieval. */
  periodicity: 'annual' | 'snapshot';
  params: z.ZodType<Params>;
  schema: Schema;
  read(context: ConnectorContext, params: Params, request: ReadRequest): AsyncIterable<RecordBatch>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds connectors of every parameter type
export type AnyConnector = Connector<any>;
