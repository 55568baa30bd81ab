import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseCarbone } from '../../connectors/base-carbone.js';
import { ParseError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import {
  createTestContext,
  readAll,
  rowsOf,
  type TestContext,
} from '../support/connector-context.js';
import { editedDataDir } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';

const exportFile = 'emission_factors/base_carbone_export_subset_abc_seed_latin1.csv';
const exportRoute = '/ademe/base-carbone/export.csv';
const snapshot = { period: 'current', vintage: undefined };
let simulator: Simulator;
let test: TestContext;
type Row = Record<string, unknown>;

beforeAll(async () => {
  simulator = await startTestSimulator();
  test = await createTestContext('base-carbone');
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

const element = (rows: Row[], id: string) =>
  rows.find((row) => row.factor_id === id && row.line_type === 'element')!;
const posts = (rows: Row[], id: string) =>
  rows.filter((row) => row.factor_id === id && row.line_type === 'post');

describe('base-carbone', () => {
  let rows: Row[];

  beforeAll(async () => {
    rows = rowsOf(
      await readAll(baseCarbone, test.context, { url: `${simulator.url}${exportRoute}` }, snapshot),
    );
  });

  it('reads 117 lines: 53 elements and 64 posts', () => {
    // python3 csv.reader (latin-1, ';'): Counter of "Type Ligne" = {Poste: 64, Elément: 53}.
    expect(rows).toHaveLength(117);
    expect(rows.filter((row) => row.line_type === 'element')).toHaveLength(53);
    expect(rows.filter((row) => row.line_type === 'post')).toHaveLength(64);
  });

  it('gives the factors the product relies on, in their units', () => {
    expect(element(rows, '42513')).toMatchObject({
      name_fr: 'Electricité',
      attribute_fr: '2022 - mix moyen',
      unit_fr: 'kgCO2e/kWh',
      total_kgco2e: 0.052,
      validity: 'Année 2022',
      validity_year: 2022,
    });
    expect(element(rows, '27999')).toMatchObject({
      total_kgco2e: 0.147,
      unit_fr: 'kgCO2e/passager.km',
    });
    expect(element(rows, '34682')).toMatchObject({
      total_kgco2e: 87,
      unit_fr: 'kgCO2e/tonne de déchets',
    });
    expect(element(rows, '14087')).toMatchObject({
      total_kgco2e: 3.25,
      unit_fr: 'kgCO2e/litre',
      co2f: 3.18,
      ch4f: 0.05,
      ch4b: 0,
      n2o: 0.0145,
      co2b: 0,
      structure: 'élément décomposé par poste et par gaz',
    });
  });

  it('parses decimal commas with exponents', () => {
    // Line 38 of the export: element 28150, "Total poste non décomposé" 5,03E-3.
    expect(element(rows, '28150').total_kgco2e).toBe(0.00503);
    expect(posts(rows, '14087').map((row) => row.ch4f)).toEqual([0.00198, 0.048]);
  });

  it('reads the year of every validity format', () => {
    // By hand, one entry per distinct "Période de validité" of the file.
    const expected: Record<string, number> = {
      'avr-21': 2021,
      '20/12/2021': 2021,
      '31-janv-23': 2023,
      '17/05/2018': 2018,
      'avr-23': 2023,
      'déc-18': 2018,
      '31-mars-21': 2021,
      'Décembre 2017': 2017,
      '11/03/2024 00:00': 2024,
      'Année 2022': 2022,
      'avr-22': 2022,
      '24/03/2025': 2025,
      '11/03/2022 00:00': 2022,
      'déc-20': 2020,
      'déc-17': 2017,
      'déc.-18': 2018,
      'déc-21': 2021,
      '2026': 2026,
      'juin-24': 2024,
    };
    const found = Object.fromEntries(
      rows.map((row) => [row.validity as string, row.validity_year]),
    );
    expect(found).toEqual(expected);
  });

  it('shows that posts add up to their element only to the element’s rounding', () => {
    // 42513: posts 0.0338 + 0.0135 + 0.00474 = 0.05204 for an element published as 0.052, so
    // summing elements and posts together double counts, and posts alone do not give the total.
    const electricity = posts(rows, '42513').reduce(
      (sum, row) => sum + (row.total_kgco2e as number),
      0,
    );
    expect(electricity).toBeCloseTo(0.05204, 12);
    // Across the 22 elements with posts (python3), the largest gap is 0.42 % (28211: 0.01195
    // for 0.012): every element is its posts' sum rounded to three significant figures.
    const ids = new Set(
      rows.filter((row) => row.line_type === 'post').map((row) => row.factor_id as string),
    );
    expect(ids.size).toBe(22);
    for (const id of ids) {
      const sum = posts(rows, id).reduce((total, row) => total + (row.total_kgco2e as number), 0);
      const total = element(rows, id).total_kgco2e as number;
      expect(Math.abs(sum - total) / total).toBeLessThan(0.005);
    }
  });
});

describe('base-carbone on edited copies of the export', () => {
  const servers: { simulator: Simulator; dataDir: string }[] = [];

  async function serveEdited(edit: (lines: string[]) => void) {
    const dataDir = await editedDataDir(exportFile, exportFile, edit);
    const served = await startTestSimulator(dataDir);
    servers.push({ simulator: served, dataDir });
    return `${served.url}${exportRoute}`;
  }

  afterAll(async () => {
    for (const server of servers) {
      await server.simulator.close();
      await rm(server.dataDir, { recursive: true, force: true });
    }
  });

  it('matches line types and headers whose accents were damaged, and logs unreadable validity', async () => {
    // Lines are Latin-1 strings here: 'é' is one character, replaced by '?' or by the
    // UTF-8-read-as-Latin-1 pair 'Ã©'.
    const url = await serveEdited((lines) => {
      lines[0] = lines[0]!.replaceAll('é', '?');
      for (let index = 1; index < lines.length; index += 1) {
        lines[index] = lines[index]!.replace(
          /^Elément;/,
          index % 2 === 0 ? 'El?ment;' : 'ElÃ©ment;',
        );
      }
      // Line 2 is element 20591, valid "déc-18".
      lines[1] = lines[1]!.replace(';déc-18;', ';bientôt;');
    });
    const rows = rowsOf(await readAll(baseCarbone, test.context, { url }, snapshot));
    expect(rows.filter((row) => row.line_type === 'element')).toHaveLength(53);
    expect(element(rows, '20591')).toMatchObject({ validity: 'bientôt', validity_year: null });
    expect(test.logs.filter((log) => log.validity === 'bientôt')).toHaveLength(1);
  });

  it('quarantines a record of the wrong width with its line, past accented lines', async () => {
    // python3 csv.reader (latin-1, ';'): 67 fields a record; line 60 is element 28225, and the
    // 59 lines above it hold 798 bytes above 0x7F, so a byte offset read as UTF-8 would miss.
    const url = await serveEdited((lines) => {
      lines[59] = lines[59]!.replace(/;[^;]*$/, '');
    });
    const rows = rowsOf(await readAll(baseCarbone, test.context, { url }, snapshot));
    expect(rows).toHaveLength(116);
    expect(rows.filter((row) => row.line_type === 'element')).toHaveLength(52);
    const quarantined = test.badRows.filter((badRow) => badRow.file === url);
    expect(quarantined.map((badRow) => [badRow.line, badRow.reason])).toEqual([
      [60, 'expected 67 fields as in the header, found 66'],
    ]);
    expect(quarantined[0]!.record).toMatch(/^Elément;28225;/);
  });

  it('names the line and field of a malformed number', async () => {
    // Line 38 holds element 28150's 5,03E-3.
    const url = await serveEdited((lines) => {
      lines[37] = lines[37]!.replace(';5,03E-3;', ';5,03E-3x;');
    });
    const error = await readAll(baseCarbone, test.context, { url }, snapshot).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(38);
    expect((error as ParseError).field).toBe('Total poste non décomposé');
    expect((error as ParseError).message).toContain('found "5,03E-3x"');
  });
});
