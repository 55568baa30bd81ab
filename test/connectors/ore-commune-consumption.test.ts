import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oreCommuneConsumption } from '../../connectors/ore-commune-consumption.js';
import { ParseError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import {
  annual,
  createTestContext,
  readAll,
  rowsOf,
  type TestContext,
} from '../support/connector-context.js';
import { editedDataDir } from '../support/provider-data.js';
import { oreDataset, orePortal, startTestSimulator } from '../support/simulator.js';

const oreFile = 'energy/ore_conso_elec_gaz_commune_labels_header_chunk10.csv';
let simulator: Simulator;
let test: TestContext;
type Row = Record<string, unknown>;

beforeAll(async () => {
  simulator = await startTestSimulator();
  test = await createTestContext('ore-commune');
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

function sumOf(rows: Row[], field: string, sector: string): number {
  return rows
    .filter((row) => row.sector === sector)
    .reduce((sum, row) => sum + ((row[field] as number | null) ?? 0), 0);
}

// python3 csv.reader on the ORE file: Decimal sums of each sector's consumption column and
// integer sums of its delivery points and masked cells over the 1,575 communes.
const expectedSectors = [
  ['agriculture', 62_878.07, 645, 0],
  ['industry', 2_535_854.13, 3_089, 0],
  ['tertiary', 2_612_700.45, 10_078, 0],
  ['residential', 6_621_992.15, 1_147_820, 6],
  ['unknown', 25_108.6, 158, 0],
] as const;

describe.each([
  ['field names', false],
  ['labels', true],
])('ore-commune-consumption with a header of %s', (_flavour, useLabels) => {
  let rows: Row[];

  beforeAll(async () => {
    const params = { baseUrl: `${simulator.url}${orePortal}`, dataset: oreDataset, useLabels };
    rows = rowsOf(await readAll(oreCommuneConsumption, test.context, params, annual(2012)));
  });

  it('gives one row per commune and sector', () => {
    expect(rows).toHaveLength(1575 * 5);
    expect(rows.slice(0, 5).map((row) => row.sector)).toEqual([
      'agriculture',
      'industry',
      'tertiary',
      'residential',
      'unknown',
    ]);
  });

  it.each(expectedSectors)('adds %s up to the file’s figures', (sector, mwh, points, masked) => {
    expect(sumOf(rows, 'consumption_mwh', sector)).toBeCloseTo(mwh, 6);
    expect(sumOf(rows, 'delivery_points', sector)).toBe(points);
    expect(sumOf(rows, 'masked_cells', sector)).toBe(masked);
  });

  it('keeps the first commune as published and the binary noise of totals', () => {
    expect(rows[3]).toEqual({
      operator: 'Enedis',
      year: 2012,
      energy: 'electricity',
      commune_code: '61418',
      commune_name: 'Saint-Mard-de-Réno',
      epci_code: '200036069',
      department_code: '61',
      sector: 'residential',
      consumption_mwh: 2034.04,
      delivery_points: 301,
      masked_cells: 0,
      quality_index: 0.317,
      consumption_flag: null,
    });
    // Line 9 (commune 61454): tertiary 100.08 + residential 2329.51 + industry 8.32 in float64
    // is the file's 2437.9100000000003 total, not 2437.91.
    const sectors = rows.filter((row) => row.commune_code === '61454');
    expect(sectors.reduce((sum, row) => sum + (row.consumption_mwh as number), 0)).toBe(
      2437.9100000000003,
    );
    // 83 communes have several postcodes joined by '/' (python3); every commune is still read.
    expect(new Set(rows.map((row) => row.commune_code)).size).toBe(1575);
  });
});

describe('ore-commune-consumption on edited copies of the file', () => {
  const servers: { simulator: Simulator; dataDir: string }[] = [];

  async function serveEdited(edit: (lines: string[]) => void) {
    const dataDir = await editedDataDir(oreFile, oreFile, edit);
    const served = await startTestSimulator(dataDir);
    servers.push({ simulator: served, dataDir });
    return { baseUrl: `${served.url}${orePortal}`, dataset: oreDataset };
  }

  afterAll(async () => {
    for (const server of servers) {
      await server.simulator.close();
      await rm(server.dataDir, { recursive: true, force: true });
    }
  });

  const setField = (line: string, index: number, value: string) => {
    const fields = line.split(';');
    fields[index] = value;
    return fields.join(';');
  };

  it('turns a secret sector into null with a flag and skips its sum check', async () => {
    // Line 2 is commune 61418; field 16 (0-based 15) its residential 2034.04 MWh.
    const params = await serveEdited((lines) => {
      lines[1] = setField(lines[1]!, 15, 'secret');
    });
    const rows = rowsOf(await readAll(oreCommuneConsumption, test.context, params, annual(2012)));
    expect(rows[3]).toMatchObject({
      commune_code: '61418',
      sector: 'residential',
      consumption_mwh: null,
      consumption_flag: 'secret',
    });
    expect(rows).toHaveLength(1575 * 5);
  });

  it('names the line and commune whose sectors do not add up', async () => {
    // Line 101 is commune 62247 (residential 1976.8 MWh, total 1985.25 MWh).
    const params = await serveEdited((lines) => {
      lines[100] = setField(lines[100]!, 15, '1976.9');
    });
    const error = await readAll(oreCommuneConsumption, test.context, params, annual(2012)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(101);
    expect((error as ParseError).field).toBe('consototale');
    expect((error as ParseError).message).toMatch(
      /sectors of commune 62247 to add up to its total within 0.01 MWh/,
    );
  });
});
