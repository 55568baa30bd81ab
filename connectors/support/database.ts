import type { DuckDBConnection } from '@duckdb/node-api';
import { openDatabase } from '../../lib/duckdb.js';
import type { ReadMessage } from '../contract.js';

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
