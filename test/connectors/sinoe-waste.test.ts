import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sinoeWaste } from '../../connectors/sinoe-waste.js';
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
import { startTestSimulator } from '../support/simulator.js';

const sinoePath = 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv';
let simulator: Simulator;
let test: TestContext;
const url = () => `${simulator.url}/ademe/sinoe/destination-dechets-decheterie.csv`;

beforeAll(async () => {
  simulator = await startTestSimulator();
  test = await createTestContext('sinoe');
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

/** Sums tonnes in float64, as any consumer of the batches would. */
function totalTonnes(rows: Record<string, unknown>[]): number {
  return rows.reduce((total, row) => total + (row.tonnes as number), 0);
}

describe('sinoe-waste', () => {
  // Totals and counts from python3: csv.DictReader on the SINOE file, Decimal sum of
  // TONNAGE_DECH where C_DEPT == '17', grouped by ANNEE.
  it.each([
    [2009, 19, 187_664.05],
    [2011, 19, 216_233.68],
    [2013, 18, 193_110.48],
    [2015, 17, 201_894.63],
    [2017, 23, 212_864.22268],
  ])('reads Charente-Maritime %i: %i rows, %f t', async (year, rowCount, tonnes) => {
    const rows = rowsOf(
      await readAll(sinoeWaste, test.context, { url: url(), department: '17' }, annual(year)),
    );
    expect(rows).toHaveLength(rowCount);
    expect(totalTonnes(rows)).toBeCloseTo(tonnes, 5);
    expect(new Set(rows.map((row) => row.department_name))).toEqual(new Set(['Charente-Maritime']));
    expect(rows.every((row) => row.tonnes_flag === null && row.year === year)).toBe(true);
  });

  it('reads every département of a year when none is given', async () => {
    // python3: 1,842 rows with ANNEE == '2017', Decimal sum 14,568,489.88427 t; the first row
    // is the file's first 2017 line (grep -m1 '^2017').
    const rows = rowsOf(await readAll(sinoeWaste, test.context, { url: url() }, annual(2017)));
    expect(rows).toHaveLength(1842);
    expect(totalTonnes(rows)).toBeCloseTo(14_568_489.88427, 4);
    expect(rows[0]).toEqual({
      year: 2017,
      region_code: '84',
      department_code: '01',
      department_name: 'Ain',
      waste_code: '02A',
      waste_label: 'Déchets dangereux',
      treatment_code: '02A',
      treatment_label: 'Valorisation matière',
      tonnes: 1464.33025,
      tonnes_flag: null,
    });
  });

  it('fails when the provider has no row for the year asked', async () => {
    const read = readAll(sinoeWaste, test.context, { url: url(), department: '17' }, annual(2010));
    await expect(read).rejects.toThrow(ParseError);
    await expect(read).rejects.toThrow(/expected rows of year 2010 for département 17, found none/);
  });
});

describe('sinoe-waste on edited copies of the Charente-Maritime subset', () => {
  const subset = 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
  const servers: { simulator: Simulator; dataDir: string }[] = [];

  /** Serves the 96-row subset under the full file's name, after `edit`. */
  async function serveEdited(edit: (lines: string[]) => void): Promise<string> {
    const dataDir = await editedDataDir(subset, sinoePath, edit);
    const served = await startTestSimulator(dataDir);
    servers.push({ simulator: served, dataDir });
    return `${served.url}/ademe/sinoe/destination-dechets-decheterie.csv`;
  }

  afterAll(async () => {
    for (const server of servers) {
      await server.simulator.close();
      await rm(server.dataDir, { recursive: true, force: true });
    }
  });

  it('turns secret and empty tonnages into null with a flag, never 0', async () => {
    // Lines 42 and 43 of the subset are 2013 rows of 02A (552.79 t to 02C, 132.88 t to 02D).
    const editedUrl = await serveEdited((lines) => {
      lines[41] = lines[41]!.replace(/,552\.79$/, ',"secret"');
      lines[42] = lines[42]!.replace(/,132\.88$/, ',');
    });
    const rows = rowsOf(await readAll(sinoeWaste, test.context, { url: editedUrl }, annual(2013)));
    expect(rows).toHaveLength(18);
    const masked = rows.filter((row) => row.tonnes_flag !== null);
    expect(masked.map((row) => [row.treatment_code, row.tonnes, row.tonnes_flag])).toEqual([
      ['02C', null, 'secret'],
      ['02D', null, 'empty'],
    ]);
    // 193,110.48 t for 2013 less the two values removed.
    expect(totalTonnes(rows.filter((row) => row.tonnes !== null))).toBeCloseTo(
      193_110.48 - 552.79 - 132.88,
      5,
    );
  });

  it('names the URL, line 42 and TONNAGE_DECH for a value that is not a number', async () => {
    const editedUrl = await serveEdited((lines) => {
      lines[41] = lines[41]!.replace(/,552\.79$/, ',55x2.79');
    });
    const error = await readAll(sinoeWaste, test.context, { url: editedUrl }, annual(2013)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ParseError);
    const parseError = error as ParseError;
    expect(parseError.file).toBe(editedUrl);
    expect(parseError.line).toBe(42);
    expect(parseError.field).toBe('TONNAGE_DECH');
    expect(parseError.message).toBe(
      `${editedUrl}:42 field TONNAGE_DECH: expected a number or one of secret, nd or an empty value, found "55x2.79"`,
    );
  });
});
