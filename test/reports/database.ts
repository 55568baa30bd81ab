import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { renderNotebook } from '../../reports/engine/index.js';

/**
 * A small inventory written row by row for the report tests: accents in names, missing values
 * with their notation keys (NE, C), a commune without any figure, and 90 delivery points so
 * that a table runs over several pages.
 */

const emissions2023: [string, string, number | null, string | null][] = [
  ['La Rochelle', 'Résidentiel', 98765.4, null],
  ['La Rochelle', 'Tertiaire', 54321.0, null],
  ['La Rochelle', 'Transport routier', 123456.7, null],
  ['La Rochelle', 'Déchets', 8765.4, null],
  ['La Rochelle', 'Agriculture', null, 'NE'],
  ['Aytré', 'Résidentiel', 12345.6, null],
  ['Aytré', 'Tertiaire', 4321.9, null],
  ['Aytré', 'Transport routier', 23456.1, null],
  ['Aytré', 'Agriculture', 987.6, null],
  ['Périgny', 'Résidentiel', 9876.5, null],
  ['Périgny', 'Industrie hors branche énergie', null, 'C'],
  ['Périgny', 'Transport routier', 15432.2, null],
  ['Lagord', 'Résidentiel', 7654.3, null],
  ['Lagord', 'Transport routier', 9876.0, null],
  ['Châtelaillon-Plage', 'Résidentiel', 5432.1, null],
  ['Châtelaillon-Plage', 'Déchets', 1234.5, null],
  ['Châtelaillon-Plage', 'Agriculture', 2345.6, null],
];

const emissions2019: [string, string, number][] = [
  ['La Rochelle', 'Résidentiel', 112000.0],
  ['La Rochelle', 'Tertiaire', 61000.0],
  ['La Rochelle', 'Transport routier', 131000.0],
  ['La Rochelle', 'Déchets', 9900.0],
  ['Aytré', 'Résidentiel', 14100.0],
  ['Aytré', 'Transport routier', 24800.0],
  ['Périgny', 'Transport routier', 16900.0],
  ['Lagord', 'Résidentiel', 8800.0],
  ['Châtelaillon-Plage', 'Résidentiel', 6300.0],
];

const statements = [
  `create table emissions (year integer, commune varchar, sector varchar, tco2e double, notation varchar)`,
  `create table communes (code varchar, name varchar, population integer)`,
  `insert into communes values
     ('17300', 'La Rochelle', 75735), ('17028', 'Aytré', 9017), ('17274', 'Périgny', 8816),
     ('17200', 'Lagord', 7813), ('17094', 'Châtelaillon-Plage', 6179), ('17264', 'Nieul-sur-Mer', 5925)`,
  `create table factors (id integer, label varchar, value double, unit varchar)`,
  `insert into factors values
     (42513, 'Électricité, mix moyen 2022', 0.052, 'kgCO₂e/kWh'),
     (14087, 'Fioul domestique', 3.25, 'kgCO₂e/L'),
     (27999, 'Bus urbain', 0.147, 'kgCO₂e/passager.km')`,
  `create table collections (source varchar, collected_on date, collected_at timestamp)`,
  `insert into collections values
     ('Enedis', '2024-03-28', '2024-03-28 06:15:00'), ('GRDF', '2024-03-25', '2024-03-25 07:00:00')`,
  `create table trajectory (year integer, series varchar, tco2e double)`,
  `insert into trajectory values
     (2019, 'Inventaire', 384800.0), (2020, 'Inventaire', 361200.0), (2021, 'Inventaire', 372950.5),
     (2022, 'Inventaire', 369100.2), (2023, 'Inventaire', 378270.9),
     (2019, 'Objectif', 384800.0), (2030, 'Objectif', 269360.0)`,
  // Delivery point i is in commune (i mod 5) + 1 of the list and used i × 10.4 MWh.
  `create table sites as
     select i as number, 'PDL-' || lpad(i::varchar, 3, '0') as site,
            (['La Rochelle', 'Aytré', 'Périgny', 'Lagord', 'Châtelaillon-Plage'])[(i % 5) + 1] as commune,
            i * 10.4 as energy_mwh
     from range(1, 91) as t(i)`,
];

/** What the caller of the fixture report gives the narrative besides the query results. */
export const inventoryContext = {
  territory: { name: 'Agglomération de La Rochelle', area_km2: 327, budget_eur: 1200000 },
  edition: { label: 'Édition 2024-T1', cutoff: '2024-03-31' },
};

export interface TestDatabase {
  directory: string;
  path: string;
  /** Opens a read-only connection, as report rendering gets. */
  openReadOnly(): Promise<{ connection: DuckDBConnection; close(): void }>;
  remove(): Promise<void>;
}

/** Writes the test inventory to a DuckDB file in a fresh temporary folder. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'terreze-report-test-'));
  const path = join(directory, 'inventory.duckdb');

  const writer = await DuckDBInstance.create(path);
  const connection = await writer.connect();
  for (const statement of statements) await connection.run(statement);
  const insert = await connection.prepare('insert into emissions values ($1, $2, $3, $4, $5)');
  for (const [commune, sector, tco2e, notation] of emissions2023) {
    insert.bind([2023, commune, sector, tco2e, notation]);
    await insert.run();
  }
  for (const [commune, sector, tco2e] of emissions2019) {
    insert.bind([2019, commune, sector, tco2e, null]);
    await insert.run();
  }
  insert.destroySync();
  connection.closeSync();
  writer.closeSync();

  return {
    directory,
    path,
    async openReadOnly() {
      const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
      const reader = await instance.connect();
      return {
        connection: reader,
        close() {
          reader.closeSync();
          instance.closeSync();
        },
      };
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** The HTML of the fixture report `test/fixtures/reports/inventaire.md` on the test inventory. */
export async function renderInventoryFixture(): Promise<string> {
  const database = await createTestDatabase();
  const reader = await database.openReadOnly();
  try {
    const file = 'test/fixtures/reports/inventaire.md';
    return (
      await renderNotebook({ file, connection: reader.connection, context: inventoryContext })
    ).html;
  } finally {
    reader.close();
    await database.remove();
  }
}
