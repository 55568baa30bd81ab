import type { DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch, Schema } from 'apache-arrow';
import { openDatabase, streamBatches } from '../../lib/duckdb.js';
import type { ConnectorContext, ReadMessage } from '../contract.js';

/** Runs `work` with an in-memory DuckDB that is closed however the read ends. */
export async function* withDatabase<Message extends ReadMessage>(
  work: (connection: DuckDBConnection) => AsyncGenerator<Message>,
): AsyncGenerator<Message> {
  const database = await openDatabase();
  try {
    yield* work(database.connection);
  } finally {
    database.close();
  }
}

/** Streams a query as batches of `schema`, beating the heartbeat after every batch. */
export async function* streamWithHeartbeat(
  context: ConnectorContext,
  connection: DuckDBConnection,
  sql: string,
  schema: Schema,
): AsyncGenerator<RecordBatch> {
  let rows = 0;
  for await (const batch of streamBatches(connection, sql, schema)) {
    rows += batch.numRows;
    context.heartbeat({ rows });
    yield batch;
  }
}

/** Counts the rows a query returns. */
export async function countRows(connection: DuckDBConnection, sql: string): Promise<number> {
  const result = await connection.runAndReadAll(`SELECT count(*) FROM (${sql})`);
  return Number(result.getRows()[0]![0]);
}
