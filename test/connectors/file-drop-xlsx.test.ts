import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import { parseCsv } from '../../lib/csv.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import type { Simulator } from '../../simulator/index.js';
import { providerFile } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';
import { lakeScenario, testProject } from './lake-scenario.js';

/**
 * An XLSX a waste operator drops, made here with exceljs from the 96 rows of the real SINOE
 * Charente-Maritime subset: numbers as numeric cells, except three 2017 cells of 02A (lines 75
 * to 77 of the CSV) — 892.71524 written as the text "892,71524", 78.35168 replaced by the text
 * "secret", 119.499 left empty. Expected values by python3 (csv, decimal) on the CSV: 23 rows
 * of 2017, 212,864.22268 t in all, so 212,666.372 t once the secret and empty cells are gone.
 */

const subset = 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
const dropped = 'waste/operator/decheteries-17.xlsx';
let dataDir: string;
let simulator: Simulator;

/** Writes the subset as a workbook, with the three edited cells. */
async function writeWorkbook(path: string): Promise<void> {
  const table = parseCsv(await readFile(providerFile(subset), 'utf8'), subset);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Déchèteries');
  sheet.addRow(table.header);
  for (const record of table.records) {
    const values: ExcelJS.CellValue[] = record.values.map((value, index) =>
      ['ANNEE', 'C_REGION', 'TONNAGE_DECH'].includes(table.header[index]!) ? Number(value) : value,
    );
    if (record.line === 75) values[9] = '892,71524';
    if (record.line === 76) values[9] = 'secret';
    if (record.line === 77) values.length = 9;
    sheet.addRow(values);
  }
  await mkdir(dirname(path), { recursive: true });
  await workbook.xlsx.writeFile(path);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'terreze-xlsx-'));
  await writeWorkbook(join(dataDir, dropped));
  simulator = await startTestSimulator(dataDir);
});

afterAll(async () => {
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('file-drop on an XLSX workbook', () => {
  it('lands the year asked with the decimal comma read, secret and empty kept as null', async () => {
    const url = `${simulator.url}/drops/${dropped}`;
    const project = await testProject([
      {
        id: 'waste-workbook',
        connector: 'file-drop',
        domain: 'waste',
        title: 'Recycling centres of Charente-Maritime, as a workbook',
        producer: 'ADEME (SINOE)',
        licence: 'Licence Ouverte / Open Licence 2.0',
        access: 'public',
        vintages: [2017],
        params: {
          url,
          yearField: 'year',
          fields: [
            { name: 'year', from: 'ANNEE', type: 'integer', required: true },
            { name: 'department', from: 'C_DEPT' },
            { name: 'waste_code', from: 'C_TYP_REG_DECHET' },
            { name: 'treatment_code', from: 'C_TYP_REG_SERVICE' },
            { name: 'tonnes', from: 'TONNAGE_DECH', type: 'number', minimum: 0 },
          ],
        },
      },
    ]);
    const lake = await lakeScenario(project.loaded, { sourceId: 'waste-workbook', vintage: 2017 });
    try {
      const landed = await lake.collect();
      expect(landed.rows).toBe(23);
      expect(landed.quarantinedRows).toBe(0);

      const manifest = (await readCurrentManifest(lake.lake, 'waste-workbook', '2017'))!;
      expect(manifest.resources.map((resource) => resource.url)).toEqual([url]);
      expect(manifest.schema.map((field) => `${field.name}:${field.type}`)).toEqual([
        'year:Int32',
        'year_flag:Utf8',
        'department:Utf8',
        'waste_code:Utf8',
        'treatment_code:Utf8',
        'tonnes:Float64',
        'tonnes_flag:Utf8',
      ]);

      const database = await openDatabase();
      try {
        const file = quoteLiteral(absolutePartitionFile(lake.lake, manifest));
        const hazardous = await database.connection.runAndReadAll(
          `SELECT treatment_code, tonnes, tonnes_flag FROM read_parquet(${file})
           WHERE waste_code = '02A' AND treatment_code IN ('02A', '02B', '02C', '02D')
           ORDER BY treatment_code`,
        );
        expect(hazardous.getRows()).toEqual([
          ['02A', 892.71524, null],
          ['02B', null, 'secret'],
          ['02C', null, 'empty'],
          ['02D', 80.05636, null],
        ]);
        const totals = await database.connection.runAndReadAll(
          `SELECT count(*), count(tonnes), sum(tonnes), count(DISTINCT department),
             min(department), min(year), max(year)
           FROM read_parquet(${file})`,
        );
        const [rows, measured, tonnes, ...rest] = totals.getRows()[0]!;
        expect([Number(rows), Number(measured)]).toEqual([23, 21]);
        expect(tonnes as number).toBeCloseTo(212_666.372, 6);
        expect(rest.map(String)).toEqual(['1', '17', '2017', '2017']);
      } finally {
        database.close();
      }
    } finally {
      await lake.cleanup();
      await project.cleanup();
    }
  });
});
