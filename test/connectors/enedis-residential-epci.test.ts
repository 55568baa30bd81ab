import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enedisResidentialEpci } from '../../connectors/enedis-residential-epci.js';
import type { Simulator } from '../../simulator/index.js';
import {
  annual,
  createTestContext,
  readAll,
  rowsOf,
  type TestContext,
} from '../support/connector-context.js';
import { enedisDataset, enedisPortal, startTestSimulator } from '../support/simulator.js';

let simulator: Simulator;
let test: TestContext;
const params = (extra: Record<string, unknown> = {}) => ({
  baseUrl: `${simulator.url}${enedisPortal}`,
  dataset: enedisDataset,
  ...extra,
});

beforeAll(async () => {
  simulator = await startTestSimulator();
  test = await createTestContext('enedis-epci');
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

describe('enedis-residential-epci', () => {
  it('reads CA de La Rochelle alone through refine', async () => {
    const rows = rowsOf(
      await readAll(
        enedisResidentialEpci,
        test.context,
        params({ refine: { code_epci: '241700434' } }),
        annual(2023),
      ),
    );
    // The figures the data README gives, and grep 241700434 on the R export.
    expect(rows).toEqual([
      {
        year: 2023,
        operator: 'Enedis',
        epci_code: '241700434',
        epci_name: 'CA de La Rochelle',
        department_code: '17',
        sites: 108_817,
        consumption_mwh: 441_735.519,
        consumption_flag: null,
        inhabitants: 175_608,
      },
    ]);
    expect(simulator.requests.at(-1)).toBe(
      `${enedisPortal}/catalog/datasets/${enedisDataset}/exports/csv?refine=code_epci%3A241700434`,
    );
  });

  it('reads the whole dataset with the totals computed from the file', async () => {
    const rows = rowsOf(await readAll(enedisResidentialEpci, test.context, params(), annual(2023)));
    // python3 csv.DictReader on the R export: 1,558 rows, Decimal sum of Conso.totale..MWh.
    // 147,977,684.355 MWh, Nb.sites 35,610,444, Nombre.d.habitants 128,887,345.
    expect(rows).toHaveLength(1558);
    const total = rows.reduce((sum, row) => sum + (row.consumption_mwh as number), 0);
    expect(total).toBeCloseTo(147_977_684.355, 4);
    expect(rows.reduce((sum, row) => sum + (row.sites as number), 0)).toBe(35_610_444);
    expect(rows.reduce((sum, row) => sum + (row.inhabitants as number), 0)).toBe(128_887_345);
    // Codes stay text: Corsican départements and the EPCI placeholder ZZZZZZZZZ.
    expect(rows.filter((row) => row.department_code === '2A')).toHaveLength(7);
    expect(rows.filter((row) => row.epci_code === 'ZZZZZZZZZ')).toHaveLength(3);
    expect(rows.every((row) => row.year === 2023 && row.consumption_flag === null)).toBe(true);
  });

  it('combines several refinements', async () => {
    // python3: 14 rows with Code.Département == '17', 2,117,294.539 MWh.
    const rows = rowsOf(
      await readAll(
        enedisResidentialEpci,
        test.context,
        params({ refine: { code_departement: '17' } }),
        annual(2023),
      ),
    );
    expect(rows).toHaveLength(14);
    expect(rows.reduce((sum, row) => sum + (row.consumption_mwh as number), 0)).toBeCloseTo(
      2_117_294.539,
      6,
    );
  });
});
