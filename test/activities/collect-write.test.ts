import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Int32, Schema, Utf8 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRead } from '../../activities/collect-write.js';
import { SchemaError } from '../../activities/failures.js';
import {
  type ConnectorState,
  queryMessage,
  type ReadMessage,
  stateMessage,
} from '../../connectors/contract.js';
import { withDatabase } from '../../connectors/support/database.js';
import { batchFromColumns } from '../../lib/arrow.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';

const folder = mkdtempSync(join(tmpdir(), 'terreze-collect-write-'));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const schema = new Schema([
  new Field('commune', new Utf8(), true),
  new Field('sites', new Int32(), true),
]);
const stream = { name: 'communes', schema };
const threeCommunes = `SELECT CAST(commune AS VARCHAR) AS commune, CAST(sites AS INTEGER) AS sites
  FROM (VALUES ('17300', 12), ('17306', NULL), ('17028', 3)) AS t(commune, sites)`;

/** Runs `writeRead` on `messages`, keeping the states it hands over. */
async function write(messages: AsyncIterable<ReadMessage>, name: string) {
  const states: ConnectorState[] = [];
  const written = await writeRead(messages, {
    stream,
    label: 'source communes period 2023',
    path: join(folder, name),
    heartbeat: () => {},
    onState: (state) => states.push(state),
  });
  return { written, states };
}

async function rowsOf(path: string) {
  const database = await openDatabase();
  try {
    const result = await database.connection.runAndReadAll(
      `SELECT * FROM read_parquet(${quoteLiteral(path)})`,
    );
    return result.getRows();
  } finally {
    database.close();
  }
}

describe('writeRead with a query message', () => {
  it('has DuckDB write the rows, gives their count to afterWrite and keeps the state after', async () => {
    const seen: number[] = [];
    const messages = withDatabase(async function* (connection) {
      yield queryMessage({
        connection,
        sql: threeCommunes,
        afterWrite: async (rows) => {
          seen.push(rows);
        },
      });
      yield stateMessage({ cursor: '2023-12-31' });
    });
    const { written, states } = await write(messages, 'rows.parquet');
    expect([written.rows, seen, states]).toEqual([3, [3], [{ cursor: '2023-12-31' }]]);
    expect(await rowsOf(written.path)).toEqual([
      ['17300', 12],
      ['17306', null],
      ['17028', 3],
    ]);
  });

  it('refuses a query whose column types are not the declared ones, naming both', async () => {
    const messages = withDatabase(async function* (connection) {
      yield queryMessage({
        connection,
        sql: 'SELECT CAST(17300 AS VARCHAR) AS commune, CAST(12 AS BIGINT) AS sites',
      });
    });
    const error = await write(messages, 'typed.parquet').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).message).toBe(
      'source communes period 2023: its query returns the columns (commune VARCHAR, sites ' +
        'BIGINT), its stream communes declares (commune VARCHAR, sites INTEGER); nothing was written',
    );
  });

  it('explains a failed check on the open connection, then closes the read', async () => {
    let closed = false;
    const messages = withDatabase(async function* (connection) {
      try {
        yield queryMessage({
          connection,
          sql: `SELECT * FROM (${threeCommunes})
            WHERE CASE WHEN sites IS NULL THEN error('no sites for ' || commune) ELSE true END`,
          async explainFailure(error) {
            // The connection is still open here: the second pass can query it.
            const count = await connection.runAndReadAll(
              `SELECT count(*) FROM (${threeCommunes}) WHERE sites IS NULL`,
            );
            const found = Number(count.getRows()[0]![0]);
            return new ParseError('communes.csv', `${found} record: ${String(error)}`, {
              line: 3,
              field: 'sites',
            });
          },
        });
      } finally {
        closed = true;
      }
    });
    const error = await write(messages, 'checked.parquet').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toBe(
      'communes.csv:3 field sites: 1 record: Error: Invalid Input Error: no sites for 17306',
    );
    expect(closed).toBe(true);
  });

  it('refuses rows yielded after the query', async () => {
    const messages = withDatabase(async function* (connection) {
      yield queryMessage({ connection, sql: threeCommunes });
      yield batchFromColumns(schema, [['17300'], [12]]);
    });
    const error = await write(messages, 'mixed.parquet').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).message).toBe(
      'source communes period 2023 yielded rows after its query; a read yields one query or batches',
    );
  });
});
