import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { writeQueryMessage } from '../../activities/collect-write.js';
import {
  type AnyConnector,
  type BadRow,
  type ConnectorContext,
  isQueryMessage,
  isStateMessage,
  type QueryMessage,
  type ReadRequest,
  selectedStream,
} from '../../connectors/contract.js';
import { collectBatches } from '../../lib/arrow.js';
import { openDatabase, quoteLiteral, streamBatches } from '../../lib/duckdb.js';
import { createHttpClient, type HttpClientOptions } from '../../lib/http.js';
import { createLogger, type Logger } from '../../lib/logger.js';

/** A connector context with a real HTTP client and a temp work folder, for connector tests. */

export interface TestContext {
  context: ConnectorContext;
  /** Log lines written during the test, as parsed JSON records. */
  logs: Record<string, unknown>[];
  heartbeats: () => number;
  /** Records the connector set aside, in order. */
  badRows: BadRow[];
  cleanup(): Promise<void>;
}

/** Builds a context whose logger keeps its lines in memory instead of printing them. */
export async function createTestContext(
  sourceId: string,
  http: Partial<Omit<HttpClientOptions, 'source' | 'logger'>> = {},
): Promise<TestContext> {
  const logs: Record<string, unknown>[] = [];
  const logger: Logger = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const workDir = await mkdtemp(join(tmpdir(), `terreze-${sourceId}-`));
  let heartbeats = 0;
  const badRows: BadRow[] = [];
  const context: ConnectorContext = {
    sourceId,
    logger,
    http: createHttpClient({ source: sourceId, logger, timeoutMs: 10_000, ...http }),
    workDir,
    heartbeat: () => {
      heartbeats += 1;
    },
    signal: new AbortController().signal,
    quarantine: (badRow) => badRows.push(badRow),
  };
  return {
    context,
    logs,
    heartbeats: () => heartbeats,
    badRows,
    cleanup: () => rm(workDir, { recursive: true, force: true }),
  };
}

/** An annual read request for a data year. */
export function annual(vintage: number): ReadRequest {
  return { period: String(vintage), vintage };
}

/**
 * The rows of a query message as the collection lands them: written by DuckDB's COPY (its
 * checks explained on failure, its rejects quarantined), then read back from the file.
 */
async function batchesOfQuery(
  connector: AnyConnector,
  context: ConnectorContext,
  params: unknown,
  request: ReadRequest,
  message: QueryMessage,
): Promise<RecordBatch[]> {
  const stream = selectedStream(await connector.discover(context, params, request));
  const path = join(context.workDir, `${randomUUID()}.parquet`);
  await writeQueryMessage(message, {
    stream,
    label: `source ${context.sourceId} period ${request.period}`,
    path,
    heartbeat: context.heartbeat,
    onState: () => {},
  });
  const database = await openDatabase();
  try {
    const sql = `SELECT * FROM read_parquet(${quoteLiteral(path)})`;
    return await collectBatches(streamBatches(database.connection, sql, stream.schema));
  } finally {
    database.close();
    await rm(path, { force: true });
  }
}

/** Runs a connector with parameters checked by its own schema and collects its batches. */
export async function readAll(
  connector: AnyConnector,
  context: ConnectorContext,
  params: unknown,
  request: ReadRequest,
): Promise<RecordBatch[]> {
  const parsed = connector.params.parse(params);
  const batches: RecordBatch[] = [];
  for await (const message of connector.read(context, parsed, request)) {
    if (isQueryMessage(message)) {
      // Within the loop's body: the read keeps its connection open until the next message.
      batches.push(...(await batchesOfQuery(connector, context, parsed, request, message)));
    } else if (!isStateMessage(message)) batches.push(message);
  }
  return batches;
}

/** The rows of batches as plain objects keyed by field name. */
export function rowsOf(batches: readonly RecordBatch[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const batch of batches) {
    for (const row of batch) rows.push(row!.toJSON() as Record<string, unknown>);
  }
  return rows;
}
