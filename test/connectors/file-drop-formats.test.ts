import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import { parseCsv } from '../../lib/csv.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import type { Simulator } from '../../simulator/index.js';
import { providerFile } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';
import { lakeScenario, testProject } from './lake-scenario.js';

/**
 * Dropped files read from disk as streams, in each format, made from the 23 rows of 2017 of the
 * real SINOE Charente-Maritime subset (lines 75 to 97). Sums by python3 (csv, decimal) on the
 * subset: 212,864.22268 t in all; less rows 3, 4 and 5 of 2017 (80.05636 + 31.98 + 453.93425 t)
 * 212,298.25207 t; less row 1 (78.35168 t) 212,785.871 t.
 */

const subset = 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
let dataDir: string;
let simulator: Simulator;
let rows2017: string[][];
let header: string[];

const fields = [
  { name: 'year', from: 'ANNEE', type: 'integer', required: true },
  { name: 'waste_code', from: 'C_TYP_REG_DECHET' },
  { name: 'treatment_code', from: 'C_TYP_REG_SERVICE' },
  { name: 'treatment_label', from: 'L_TYP_REG_SERVICE' },
  { name: 'tonnes', from: 'TONNAGE_DECH', type: 'number', minimum: 0 },
];

async function drop(name: string, content: Buffer | string) {
  const path = join(dataDir, 'drops', name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** Removed once every test is done: landed partitions stay readable until then. */
const cleanups: (() => Promise<void>)[] = [];

/** Runs one query over a landed file, `$file` standing for it. */
async function queryFile(path: string, sql: string) {
  const database = await openDatabase();
  try {
    const result = await database.connection.runAndReadAll(
      sql.replace('$file', quoteLiteral(path)),
    );
    return result.getRows();
  } finally {
    database.close();
  }
}

/** Collects `name` through file-drop and the lake: the landing, its quarantine, its tonnes. */
async function collect(name: string, extra: Record<string, unknown> = {}) {
  const project = await testProject([
    {
      id: 'dropped',
      connector: 'file-drop',
      domain: 'waste',
      title: `SINOE 2017 as ${name}`,
      producer: 'ADEME (SINOE)',
      licence: 'Licence Ouverte / Open Licence 2.0',
      access: 'public',
      vintages: [2017],
      maxBadRowShare: 0.2,
      params: { url: `${simulator.url}/drops/drops/${name}`, fields, ...extra },
    },
  ]);
  const lake = await lakeScenario(project.loaded, { sourceId: 'dropped', vintage: 2017 });
  cleanups.push(lake.cleanup, project.cleanup);
  const landed = await lake.collect();
  const manifest = (await readCurrentManifest(lake.lake, 'dropped', '2017'))!;
  const quarantine =
    manifest.quarantine === undefined
      ? []
      : (await readFile(join(lake.lake, manifest.quarantine.file), 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { line: number; reason: string });
  const file = absolutePartitionFile(lake.lake, manifest);
  const query = (sql: string) => queryFile(file, sql);
  const total = Number((await query('SELECT sum(tonnes) FROM read_parquet($file)'))[0]![0]);
  return { landed, quarantine, quarantineFile: manifest.quarantine?.file, total, query };
}

beforeAll(async () => {
  const table = parseCsv(await readFile(providerFile(subset), 'utf8'), subset);
  header = table.header;
  rows2017 = table.records.filter((record) => record.values[0] === '2017').map((r) => r.values);
  dataDir = await mkdtemp(join(tmpdir(), 'terreze-drops-'));
  simulator = await startTestSimulator(dataDir);
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('file-drop streams a CSV from disk', () => {
  it('reads Windows-1252 and a label row, and quarantines bad records with their lines', async () => {
    const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
    const lines = [
      // Line 1, labels; line 2, the codes: the header is the row holding the declared columns.
      header.map((name) => quote(`Libellé ${name} (€)`)).join(';'),
      header.join(';'),
      ...rows2017.map((values, index) => {
        const cells = values.map((value, column) =>
          column === 9
            ? value.replace('.', ',')
            : column >= 1 && column <= 8
              ? quote(value)
              : value,
        );
        if (index === 0) cells[8] = quote('Valorisation matière (€)');
        if (index === 2) cells[8] = quote('Incinération sans\r\nrécupération d’énergie');
        if (index === 3) cells.pop();
        if (index === 4) cells.push('x');
        if (index === 5) cells[9] = 'environ 30';
        return cells.join(';');
      }),
    ];
    // Row 2 spans lines 5 and 6: the rows of index 3, 4 and 5 sit on lines 7, 8 and 9.
    // Latin-1 cannot hold € or ’: they are written as their Windows-1252 bytes, 0x80 and 0x92.
    const bytes = Buffer.from(
      `${lines.join('\r\n')}\r\n`.replaceAll('€', '\u0080').replaceAll('’', '\u0092'),
      'latin1',
    );
    await drop('sinoe-2017.csv', bytes);

    const result = await collect('sinoe-2017.csv');
    expect([result.landed.rows, result.landed.quarantinedRows]).toEqual([20, 3]);
    // The summary names the file, so that `terreze collect` can say where the records went.
    expect(result.landed.quarantineFile).toBe(result.quarantineFile);
    expect(result.quarantineFile).toMatch(/^dropped\/.+\/quarantine-[0-9a-f]{64}\.jsonl$/);
    expect(result.quarantine.map((row) => [row.line, row.reason])).toEqual([
      [7, 'expected 10 fields as in the header, found 9'],
      [8, 'expected 10 fields as in the header, found 11'],
      [9, 'field TONNAGE_DECH: expected a number, found "environ 30"'],
    ]);
    expect(result.total).toBeCloseTo(212_298.25207, 6);
    expect(
      await result.query(
        `SELECT treatment_code, treatment_label FROM read_parquet($file)
         WHERE waste_code = '02A' AND treatment_code IN ('02A', '02C') ORDER BY 1`,
      ),
    ).toEqual([
      ['02A', 'Valorisation matière (€)'],
      ['02C', 'Incinération sans\r\nrécupération d’énergie'],
    ]);
  });
});

describe('file-drop streams JSON, JSON Lines and Parquet from disk', () => {
  const objects = () =>
    rows2017.map((values) =>
      Object.fromEntries(header.map((name, index) => [name, values[index]])),
    );

  it('reads a JSON array element by element, a secret kept as null', async () => {
    const records = objects().map((record, index) => ({
      ...record,
      ANNEE: 2017,
      TONNAGE_DECH: index === 1 ? 'secret' : Number(record.TONNAGE_DECH),
    }));
    await drop('sinoe-2017.json', JSON.stringify(records));
    const result = await collect('sinoe-2017.json');
    expect([result.landed.rows, result.landed.quarantinedRows]).toEqual([23, 0]);
    expect(result.landed.quarantineFile).toBeUndefined();
    expect(result.total).toBeCloseTo(212_785.871, 6);
    expect(
      await result.query(`SELECT count(*) FROM read_parquet($file) WHERE tonnes_flag = 'secret'`),
    ).toEqual([[1n]]);
  });

  it('reads JSON Lines line by line, a line that is not JSON set aside with its number', async () => {
    const lines = objects().map((record) => JSON.stringify(record));
    lines.splice(3, 1, '{"ANNEE": "2017", "C_TYP_REG_DECHET": "02A",');
    await drop('sinoe-2017.jsonl', `${lines.join('\n')}\n`);
    const result = await collect('sinoe-2017.jsonl');
    expect([result.landed.rows, result.landed.quarantinedRows]).toEqual([22, 1]);
    expect(result.quarantine[0]?.line).toBe(4);
    expect(result.quarantine[0]?.reason).toMatch(/^expected a JSON object: SyntaxError/);
    // Row 3 of 2017 (80.05636 t) is the one cut.
    expect(result.total).toBeCloseTo(212_864.22268 - 80.05636, 6);
  });

  it('reads Parquet written by DuckDB, 64-bit years as integers', async () => {
    const path = join(dataDir, 'drops', 'sinoe-2017.parquet');
    await mkdir(dirname(path), { recursive: true });
    const database = await openDatabase();
    await database.connection.run(
      `COPY (SELECT * FROM read_csv(${quoteLiteral(providerFile(subset))}, header = true)
        WHERE ANNEE = 2017) TO ${quoteLiteral(path)} (FORMAT parquet)`,
    );
    database.close();
    const result = await collect('sinoe-2017.parquet');
    expect([result.landed.rows, result.landed.quarantinedRows]).toEqual([23, 0]);
    expect(result.total).toBeCloseTo(212_864.22268, 6);
    expect(await result.query('SELECT min(year), max(year) FROM read_parquet($file)')).toEqual([
      [2017, 2017],
    ]);
  });
});
