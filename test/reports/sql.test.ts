// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the report's SQL placeholder syntax
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../lib/errors.js';
import { runSqlCell } from '../../reports/engine/sql.js';
import { queryReads } from '../../reports/engine/sql-tables.js';
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
  return { kind: 'sql', name: 'query', file: 'report.md', line, source };
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
      reader.connection,
      cell('select count(*) as lines from emissions where sector = ${sector}'),
      specs,
      { year: 2023, sector: "x' or '1'='1" },
    );
    expect(result.rows).toEqual([{ lines: 0 }]);
  });

  it('converts BIGINT, DECIMAL, DATE and TIMESTAMP to numbers and ISO text', async () => {
    const result = await runSqlCell(
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
    const run = runSqlCell(reader.connection, cell('select * from missing_table', 33), specs, {
      year: 2023,
    });
    await expect(run).rejects.toBeInstanceOf(ReportError);
    await expect(run).rejects.toThrow(
      /^report\.md:33 sql cell "query" failed: Catalog Error: Table with name missing_table does not exist!/,
    );
  });

  it('refuses a cell that would write, even on a writable connection', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const writable = await instance.connect();
    try {
      const run = runSqlCell(writable, cell('create table t as select 1 as a', 8), specs, {
        year: 2023,
      });
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
    const run = runSqlCell(reader.connection, cell('select 1\nwhere 1 = ${yaer}', 40), specs, {
      year: 2023,
    });
    await expect(run).rejects.toThrow(
      'report.md:42 sql cell "query": unknown parameter ${yaer} (declared: year, sector)',
    );
  });

  it('lists the tables a query reads, qualified as written, without its CTE names', async () => {
    const reads = await queryReads(
      reader.connection,
      `with recent as (select * from emissions where year = $1)
       select r.commune, c.population, (select count(*) from main.factors) as factors
       from recent as r join communes as c on c.name = r.commune
       where r.commune in (select commune from emissions)`,
    );
    expect(reads).toEqual({
      tables: ['communes', 'emissions', 'main.factors'],
      tableFunctions: [],
    });
  });

  it('lists table functions, which the table-name parser of DuckDB left out', async () => {
    const result = await runSqlCell(
      reader.connection,
      cell('select count(*) as n from range(3) join emissions on true where year = ${year}'),
      specs,
      { year: 2023 },
    );
    // 17 rows of 2023 in the fixture × 3 values of range(3).
    expect(result.rows).toEqual([{ n: 51 }]);
    expect(result.tables).toEqual(['emissions', 'range(…)']);
  });

  it('gives each result the partitions behind its tables, from the caller', async () => {
    const partition = {
      sourceId: 'enedis',
      period: '2023',
      runId: 'run-1',
      sha256: 'ab'.repeat(32),
    };
    const asked: string[][] = [];
    const result = await runSqlCell(
      reader.connection,
      cell('select count(*) as n from emissions join communes on communes.name = commune'),
      specs,
      { year: 2023 },
      {
        sourcesOf: (tables) => {
          asked.push([...tables]);
          return tables.includes('emissions') ? [partition] : [];
        },
      },
    );
    expect(asked).toEqual([['communes', 'emissions']]);
    expect(result.sources).toEqual([partition]);
  });

  describe('with tables cleared for an audience', () => {
    const tableAccess = { allowed: new Set(['communes']), audience: 'a public edition' };
    const run = (source: string) =>
      runSqlCell(reader.connection, cell(source, 12), specs, { year: 2023 }, { tableAccess });

    it('runs a query that reads only cleared tables', async () => {
      const result = await run('select count(*) as n from communes');
      expect(result.rows).toEqual([{ n: 6 }]);
    });

    it('refuses a query that reads another table, even in a subquery', async () => {
      await expect(
        run('select name from communes where name in (select commune from emissions)'),
      ).rejects.toThrow(
        'report.md:12 sql cell "query" reads emissions, which a public edition may not show (tables cleared for it: communes)',
      );
    });

    it('refuses a qualified name and a table function', async () => {
      await expect(run('select * from main.communes')).rejects.toThrow(
        'sql cell "query" reads main.communes, which a public edition may not show',
      );
      await expect(run('select * from duckdb_tables()')).rejects.toThrow(
        'sql cell "query" calls the table function duckdb_tables(…), which a public edition may not show',
      );
    });
  });
});
