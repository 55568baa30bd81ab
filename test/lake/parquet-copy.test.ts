import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyConnector } from '../../connectors/contract.js';
import type { PartitionManifest } from '../../lake/manifest.js';
import { writeParquetFile } from '../../lake/parquet.js';
import { columnMismatch, copyQueryToParquet } from '../../lake/parquet-copy.js';
import { describeFields } from '../../lake/schemas.js';
import { batchFromColumns } from '../../lib/arrow.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { createRawTables } from '../../models/raw.js';

const folder = mkdtempSync(join(tmpdir(), 'terreze-parquet-copy-'));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const schema = new Schema([
  new Field('commune', new Utf8(), true),
  new Field('year', new Int32(), true),
  new Field('tonnes', new Float64(), true),
]);

// 2,500,000 rows: three row groups of at most 1,000,000, written by several threads.
const manyRows = `SELECT CAST('173' || (i % 500) AS VARCHAR) AS commune,
    CAST(2017 + i % 3 AS INTEGER) AS year, CAST(i / 8 AS DOUBLE) AS tonnes
  FROM range(2500000) AS t(i)`;

async function copyInFreshDatabase(path: string) {
  const database = await openDatabase();
  try {
    return await copyQueryToParquet(database.connection, manyRows, path);
  } finally {
    database.close();
  }
}

describe('copyQueryToParquet', () => {
  it('writes the same bytes twice for the same rows, over several row groups', async () => {
    const first = await copyInFreshDatabase(join(folder, 'first.parquet'));
    const second = await copyInFreshDatabase(join(folder, 'second.parquet'));
    expect(first.rows).toBe(2_500_000);
    expect(second.sha256).toBe(first.sha256);
    expect(second.bytes).toBe(first.bytes);

    const database = await openDatabase();
    try {
      const groups = await database.connection.runAndReadAll(
        `SELECT count(*), sum(row_group_num_rows) FROM (
           SELECT DISTINCT row_group_id, row_group_num_rows
           FROM parquet_metadata(${quoteLiteral(first.path)}))`,
      );
      // DuckDB closes a row group at the first vector boundary past the size asked for.
      expect(groups.getRows()[0]!.map(Number)).toEqual([3, 2_500_000]);
    } finally {
      database.close();
    }
  });
});

describe('columnMismatch', () => {
  it('names the columns DuckDB reports and those declared when a type differs', () => {
    const actual = [
      { name: 'commune', type: 'VARCHAR' },
      { name: 'year', type: 'BIGINT' },
      { name: 'tonnes', type: 'DOUBLE' },
    ];
    const declared = '(commune VARCHAR, year INTEGER, tonnes DOUBLE)';
    expect(columnMismatch(describeFields(schema), actual)).toEqual({
      actual: '(commune VARCHAR, year BIGINT, tonnes DOUBLE)',
      expected: declared,
    });
    expect(columnMismatch(describeFields(schema), actual.slice(0, 1))).toEqual({
      actual: '(commune VARCHAR)',
      expected: declared,
    });
    actual[1]!.type = 'INTEGER';
    expect(columnMismatch(describeFields(schema), actual)).toBeUndefined();
  });
});

describe('raw tables over partitions of both writers', () => {
  it('reads a parquet-wasm partition and a DuckDB one as the same columns and values', async () => {
    const before = join(folder, 'parquet-wasm.parquet');
    await writeParquetFile(before, schema, [
      batchFromColumns(schema, [
        ['17300', '17306'],
        [2017, 2017],
        [1.5, null],
      ]),
    ]);
    const after = join(folder, 'duckdb.parquet');
    const database = await openDatabase();
    try {
      await copyQueryToParquet(
        database.connection,
        `SELECT CAST(commune AS VARCHAR) AS commune, CAST(year AS INTEGER) AS year,
           CAST(tonnes AS DOUBLE) AS tonnes
         FROM (VALUES ('17300', 2018, 2.25), ('17306', 2018, NULL)) AS t(commune, year, tonnes)`,
        after,
      );
      const connector = { id: 'waste-test', schema } as AnyConnector;
      const partition = (period: string, absoluteFile: string) => ({
        sourceId: 'waste',
        period,
        vintage: Number(period),
        manifest: { runId: `run-${period}` } as PartitionManifest,
        absoluteFile,
      });
      await createRawTables(
        database.connection,
        new Map([['waste-test', connector]]),
        new Map([['waste', 'waste-test']]),
        [partition('2017', before), partition('2018', after)],
      );

      const types = await database.connection.runAndReadAll('DESCRIBE raw_waste_test');
      expect(types.getRows().map((row) => `${row[0]} ${row[1]}`)).toEqual([
        'commune VARCHAR',
        'year INTEGER',
        'tonnes DOUBLE',
        'source_id VARCHAR',
        'period VARCHAR',
        'run_id VARCHAR',
      ]);
      const rows = await database.connection.runAndReadAll(
        'SELECT commune, year, tonnes, run_id FROM raw_waste_test ORDER BY year, commune',
      );
      expect(rows.getRows()).toEqual([
        ['17300', 2017, 1.5, 'run-2017'],
        ['17306', 2017, null, 'run-2017'],
        ['17300', 2018, 2.25, 'run-2018'],
        ['17306', 2018, null, 'run-2018'],
      ]);
    } finally {
      database.close();
    }
  });
});
