// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the report's SQL placeholder syntax
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../lib/errors.js';
import { runSqlCell } from '../../reports/engine/sql.js';
import type { ParameterSpec, SqlCell } from '../../reports/engine/types.js';
import { createTestDatabase, type TestDatabase } from './database.js';

const specs: ParameterSpec[] = [
  {
    name: 'year',
    type: 'integer',
    required: true,
    default: undefined,
    description: undefined,
    line: 5,
  },
  {
    name: 'sector',
    type: 'string',
    required: false,
    default: undefined,
    description: undefined,
    line: 6,
  },
];

function cell(source: string, line = 20): SqlCell {
  return { kind: 'sql', name: 'query', line, source };
}

describe('runSqlCell', () => {
  let database: TestDatabase;
  let reader: Awaited<ReturnType<TestDatabase['openReadOnly']>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    reader = await database.openReadOnly();
  });

  afterAll(async () => {
    reader.close();
    await database.remove();
  });

  it('binds parameters and returns plain rows with their provenance', async () => {
    const result = await runSqlCell(
      'report.md',
      reader.connection,
      cell(
        'select commune, tco2e, notation from emissions as e\nwhere year = ${year} and (${sector} is null or sector = ${sector})\norder by commune',
      ),
      specs,
      { year: 2023, sector: 'Industrie hors branche énergie' },
    );
    expect(result.rows).toEqual([{ commune: 'Périgny', tco2e: null, notation: 'C' }]);
    expect(result.tables).toEqual(['emissions']);
    expect(result.parameters).toEqual({ year: 2023, sector: 'Industrie hors branche énergie' });
    expect(result.line).toBe(20);
  });

  it('binds a missing optional parameter as NULL', async () => {
    const result = await runSqlCell(
      'report.md',
      reader.connection,
      cell(
        'select count(*) as lines from emissions where year = ${year} and (${sector} is null or sector = ${sector})',
      ),
      specs,
      { year: 2023, sector: null },
    );
    expect(result.rows).toEqual([{ lines: 17 }]);
  });

  it('never lets a parameter value become SQL', async () => {
    const result = await runSqlCell(
      'report.md',
      reader.connection,
      cell('select count(*) as lines from emissions where sector = ${sector}'),
      specs,
      { year: 2023, sector: "x' or '1'='1" },
    );
    expect(result.rows).toEqual([{ lines: 0 }]);
  });

  it('converts BIGINT, DECIMAL, DATE and TIMESTAMP to numbers and ISO text', async () => {
    const result = await runSqlCell(
      'report.md',
      reader.connection,
      cell(
        'select count(*) as sources, max(collected_on) as day, max(collected_at) as moment, 12.34::decimal(10, 2) as amount, 9007199254740993::bigint as huge from collections',
      ),
      specs,
      { year: 2023 },
    );
    expect(result.rows).toEqual([
      {
        sources: 2,
        day: '2024-03-28',
        moment: '2024-03-28T06:15:00.000Z',
        amount: 12.34,
        huge: '9007199254740993',
      },
    ]);
    expect(result.tables).toEqual(['collections']);
  });

  it("names the cell, its line and DuckDB's message when a query fails", async () => {
    const run = runSqlCell(
      'report.md',
      reader.connection,
      cell('select * from missing_table', 33),
      specs,
      {
        year: 2023,
      },
    );
    await expect(run).rejects.toBeInstanceOf(ReportError);
    await expect(run).rejects.toThrow(
      /^report\.md:33 sql cell "query" failed: Catalog Error: Table with name missing_table does not exist!/,
    );
  });

  it('refuses a cell that would write, even on a writable connection', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const writable = await instance.connect();
    try {
      const run = runSqlCell(
        'report.md',
        writable,
        cell('create table t as select 1 as a', 8),
        specs,
        {
          year: 2023,
        },
      );
      await expect(run).rejects.toThrow(
        'report.md:8 sql cell "query" failed: a report cell may only read (one SELECT or WITH … SELECT statement)',
      );
      const tables = await writable.runAndReadAll('select count(*) as n from duckdb_tables()');
      expect(tables.getRowObjectsJS()).toEqual([{ n: 0n }]);
    } finally {
      writable.closeSync();
      instance.closeSync();
    }
  });

  it('names an undeclared parameter on its line in the file', async () => {
    const run = runSqlCell(
      'report.md',
      reader.connection,
      cell('select 1\nwhere 1 = ${yaer}', 40),
      specs,
      {
        year: 2023,
      },
    );
    await expect(run).rejects.toThrow(
      'report.md:42 sql cell "query": unknown parameter ${yaer} (declared: year, sector)',
    );
  });
});
