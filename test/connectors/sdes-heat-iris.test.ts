import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdesHeatIris } from '../../connectors/sdes-heat-iris.js';
import { ConnectorError, ParseError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import {
  annual,
  createTestContext,
  readAll,
  rowsOf,
  type TestContext,
} from '../support/connector-context.js';
import { editedDataDir } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';

let simulator: Simulator;
let test: TestContext;
const template = () => `${simulator.url}/sdes/reseaux-chaleur-froid-iris/{vintage}.csv`;

beforeAll(async () => {
  simulator = await startTestSimulator();
  test = await createTestContext('sdes-heat');
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

type Row = Record<string, unknown>;

/** Heat rows of IRIS codes starting with `prefix`, by sector: MWh summed, points, masked rows. */
function heatBySector(rows: Row[], prefix: string) {
  const sectors: Record<string, { mwh: number; points: number; masked: number; rows: number }> = {};
  for (const row of rows) {
    if (!(row.iris_code as string).startsWith(prefix) || row.energy !== 'heat') continue;
    const code = row.sector_code as string;
    sectors[code] ??= { mwh: 0, points: 0, masked: 0, rows: 0 };
    const sector = sectors[code];
    sector.rows += 1;
    if (row.consumption_mwh === null) sector.masked += 1;
    else sector.mwh += row.consumption_mwh as number;
    sector.points += (row.delivery_points as number | null) ?? 0;
  }
  return sectors;
}

// Figures from python3: csv.reader on each file (after its two header rows), Decimal sums of
// CONSO per CODE_GRAND_SECTEUR where FILIERE == 'C' and the IRIS code starts with the prefix;
// "masked" counts rows whose CONSO is secret or nd.
describe('sdes-heat-iris, 2023 edition (IRIS column)', () => {
  let rows: Row[];

  beforeAll(async () => {
    rows = rowsOf(await readAll(sdesHeatIris, test.context, { url: template() }, annual(2023)));
  });

  it('reads every row of 2023 with its flags', () => {
    expect(rows).toHaveLength(3646);
    expect(rows.filter((row) => row.consumption_flag === 'secret')).toHaveLength(311);
    expect(rows.filter((row) => row.consumption_flag === 'nd')).toHaveLength(559);
    expect(rows.filter((row) => row.delivery_points_flag === 'secret')).toHaveLength(311);
    expect(rows.filter((row) => row.energy === 'cold')).toHaveLength(163);
    expect(rows.every((row) => row.consumption_flag === null || row.consumption_mwh === null)).toBe(
      true,
    );
  });

  it('gives La Rochelle’s heat by sector, masked cells apart', () => {
    const sectors = heatBySector(rows, '17300');
    expect(Object.keys(sectors).sort()).toEqual(['R', 'T']);
    expect(sectors.R!.mwh).toBeCloseTo(38_414.40724929806, 6);
    expect(sectors.T!.mwh).toBeCloseTo(16_403.919647598243, 6);
    expect(sectors.R).toMatchObject({ points: 108, masked: 1, rows: 12 });
    expect(sectors.T).toMatchObject({ points: 29, masked: 4, rows: 12 });
  });

  it('has no row for Lagord (172000103) in 2023', () => {
    expect(rows.filter((row) => row.iris_code === '172000103')).toEqual([]);
  });

  it('keeps the first row as published', () => {
    expect(rows[0]).toEqual({
      network_id: '0108C',
      operator: 'LA VINAIGRERIE',
      year: 2023,
      iris_code: '010530103',
      iris_label: 'Préfecture',
      commune_code: '01053',
      energy: 'heat',
      sector_code: 'R',
      consumption_mwh: 1929,
      consumption_flag: null,
      delivery_points: 4,
      delivery_points_flag: null,
    });
  });
});

describe('sdes-heat-iris, 2020 edition (IRIS_CODE column)', () => {
  let rows: Row[];

  beforeAll(async () => {
    rows = rowsOf(await readAll(sdesHeatIris, test.context, { url: template() }, annual(2020)));
  });

  it('reads every row of 2020', () => {
    expect(rows).toHaveLength(5059);
    expect(rows.filter((row) => row.consumption_flag === 'secret')).toHaveLength(447);
    expect(rows.filter((row) => row.consumption_flag === 'nd')).toHaveLength(0);
  });

  it('gives La Rochelle’s and Lagord’s heat by sector', () => {
    const laRochelle = heatBySector(rows, '17300');
    expect(laRochelle.R).toEqual({ mwh: 25_245, points: 77, masked: 0, rows: 10 });
    expect(laRochelle.T).toEqual({ mwh: 5_418, points: 16, masked: 4, rows: 10 });

    const lagord = rows.filter((row) => row.iris_code === '172000103');
    expect(
      lagord.map((row) => [
        row.sector_code,
        row.consumption_mwh,
        row.consumption_flag,
        row.delivery_points,
      ]),
    ).toEqual([
      ['R', 268, null, 1],
      ['T', null, 'secret', null],
    ]);
    expect(lagord[0]!.commune_code).toBe('17200');
  });

  it('fails on a file that holds another year than the one asked', async () => {
    const url = `${simulator.url}/sdes/reseaux-chaleur-froid-iris/2020.csv`;
    await expect(readAll(sdesHeatIris, test.context, { url }, annual(2023))).rejects.toThrow(
      new ParseError(url, 'expected rows of year 2023, found none (the file holds 2020)'),
    );
  });

  it('fails non-retryable when the provider has no edition for the year', async () => {
    const error = await readAll(
      sdesHeatIris,
      test.context,
      { url: template() },
      annual(2021),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).status).toBe(404);
    expect((error as ConnectorError).retryable).toBe(false);
  });
});

describe('sdes-heat-iris on an edition with quoted numbers and a label row without accents', () => {
  let dataDir: string;
  let edited: Simulator;

  beforeAll(async () => {
    dataDir = await editedDataDir(
      'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
      'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
      (lines) => {
        // The file is read as Latin-1 here: each byte of an accented letter becomes '?'.
        lines[0] = lines[0]!.replace(/[^ -~]/g, '?');
        for (let index = 2; index < lines.length; index += 1) {
          lines[index] = lines[index]!.replace(/;([\d.]+);([\d.]+)$/, ';"$1";"$2"');
        }
      },
    );
    edited = await startTestSimulator(dataDir);
  });

  afterAll(async () => {
    await edited.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads the same figures', async () => {
    const url = `${edited.url}/sdes/reseaux-chaleur-froid-iris/{vintage}.csv`;
    const rows = rowsOf(await readAll(sdesHeatIris, test.context, { url }, annual(2023)));
    expect(rows).toHaveLength(3646);
    expect(heatBySector(rows, '17300').R!.mwh).toBeCloseTo(38_414.40724929806, 6);
  });
});

describe('sdes-heat-iris on an edition with a record of the wrong width', () => {
  let dataDir: string;
  let edited: Simulator;

  beforeAll(async () => {
    // Line 10 is network 0108C, IRIS 010530302, 5203 MWh for 11 delivery points in 2023; the
    // label row is line 1 and the codes line 2.
    dataDir = await editedDataDir(
      'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
      'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
      (lines) => {
        lines[9] = lines[9]!.replace(/;11$/, '');
      },
    );
    edited = await startTestSimulator(dataDir);
  });

  afterAll(async () => {
    await edited.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('quarantines it with its line below the label row, and lands the rest', async () => {
    const template = `${edited.url}/sdes/reseaux-chaleur-froid-iris/{vintage}.csv`;
    const url = template.replace('{vintage}', '2023');
    const rows = rowsOf(await readAll(sdesHeatIris, test.context, { url: template }, annual(2023)));
    expect(rows).toHaveLength(3645);
    expect(test.badRows.filter((badRow) => badRow.file === url)).toEqual([
      {
        file: url,
        line: 10,
        reason: 'expected 9 fields as in the header, found 8',
        record: '"0108C";"LA VINAIGRERIE";"2023";"010530302";"Brou";"C";"T";5203',
      },
    ]);
  });
});
