import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import { lakeScenario, testProject } from '../connectors/lake-scenario.js';
import { editedDataDir } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';

/**
 * The collection of a connector that hands DuckDB its query (SINOE): DuckDB writes the staged
 * partition with COPY, and the checks, quarantine, landing and retries behave as for batches.
 * Figures from python3 on the Charente-Maritime subset: 96 records, 23 of 2017 (lines 75 to
 * 97, csv.DictReader, Decimal sum 212,864.22268 t), line 80 holding 453.93425 t.
 */

const subset = 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
const servedAs = 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv';
const folders: string[] = [];
const simulators: Simulator[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await Promise.all(simulators.map((simulator) => simulator.close()));
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Serves the subset, after `edit`, under the full file's name; returns the file's URL. */
async function serveSubset(edit: (lines: string[]) => void = () => {}) {
  const dataDir = await editedDataDir(subset, servedAs, edit);
  folders.push(dataDir);
  const simulator = await startTestSimulator(dataDir);
  simulators.push(simulator);
  return `${simulator.url}/ademe/sinoe/destination-dechets-decheterie.csv`;
}

/** A fresh lake collecting SINOE 2017 from `url`. */
async function sinoeLake(url: string, maxBadRowShare?: number) {
  const project = await testProject([
    {
      id: 'sinoe',
      connector: 'sinoe-waste',
      domain: 'waste',
      title: 'SINOE tonnages of Charente-Maritime',
      producer: 'ADEME',
      licence: 'Licence Ouverte / Open Licence 2.0',
      access: 'public',
      vintages: [2017],
      params: { url },
      ...(maxBadRowShare === undefined ? {} : { maxBadRowShare }),
    },
  ]);
  const lake = await lakeScenario(project.loaded, { sourceId: 'sinoe', vintage: 2017 });
  cleanups.push(lake.cleanup, project.cleanup);
  return lake;
}

/** Row count, tonnes summed exactly (as DECIMAL) and the first row of a landed partition. */
async function partitionFigures(lake: Awaited<ReturnType<typeof sinoeLake>>) {
  const manifest = (await readCurrentManifest(lake.lake, 'sinoe', '2017'))!;
  const database = await openDatabase();
  try {
    const file = `read_parquet(${quoteLiteral(absolutePartitionFile(lake.lake, manifest))})`;
    const sums = await database.connection.runAndReadAll(
      `SELECT count(*), CAST(sum(CAST(tonnes AS DECIMAL(18, 5))) AS VARCHAR) FROM ${file}`,
    );
    const first = await database.connection.runAndReadAll(`SELECT * FROM ${file} LIMIT 1`);
    const [rows, tonnes] = sums.getRows()[0]!;
    const [firstRow] = await first.getRowObjectsJS();
    return { manifest, rows: Number(rows), tonnes: String(tonnes), first: firstRow };
  } finally {
    database.close();
  }
}

describe('a collection written by DuckDB', () => {
  let url: string;

  beforeAll(async () => {
    url = await serveSubset();
  });

  it('lands the rows of the year with their exact values', async () => {
    const lake = await sinoeLake(url);
    const landed = await lake.collect();
    expect([landed.rows, landed.replaced, landed.quarantinedRows]).toEqual([23, 'new', 0]);

    const figures = await partitionFigures(lake);
    expect([figures.rows, figures.tonnes]).toEqual([23, '212864.22268']);
    // Line 75, the subset's first 2017 record.
    expect(figures.first).toEqual({
      year: 2017,
      region_code: '75',
      department_code: '17',
      department_name: 'Charente-Maritime',
      waste_code: '02A',
      waste_label: 'Déchets dangereux',
      treatment_code: '02A',
      treatment_label: 'Valorisation matière',
      tonnes: 892.71524,
      tonnes_flag: null,
    });
    expect(figures.manifest.schema.map((field) => `${field.name}:${field.type}`)).toEqual([
      'year:Int32',
      'region_code:Utf8',
      'department_code:Utf8',
      'department_name:Utf8',
      'waste_code:Utf8',
      'waste_label:Utf8',
      'treatment_code:Utf8',
      'treatment_label:Utf8',
      'tonnes:Float64',
      'tonnes_flag:Utf8',
    ]);
  });

  it('writes the same bytes, so the same sha256, from the same input in two lakes', async () => {
    const first = await sinoeLake(url);
    const second = await sinoeLake(url);
    const [one, two] = [await first.collect(), await second.collect()];
    expect(one.sha256).toBe(two.sha256);
    expect(one.file).toBe(two.file);

    // Collected again in the same lake, the partition is the same file.
    const again = await first.collect();
    expect([again.sha256, again.replaced]).toEqual([one.sha256, 'identical']);
  });

  it('lands no duplicate row when the landing is retried', async () => {
    const lake = await sinoeLake(url);
    const input = { sourceId: 'sinoe', period: '2017', vintage: 2017, workflowId: undefined };
    const staged = await lake.activities.fetchSource({ ...input, runId: 'run-retried' });
    await lake.activities.validatePartition(staged);
    const landed = await lake.activities.landPartition(staged);
    const retried = await lake.activities.landPartition(staged);
    expect([retried.sha256, retried.replaced]).toEqual([landed.sha256, 'identical']);
    expect((await partitionFigures(lake)).rows).toBe(23);
  });
});

describe('a collection written by DuckDB from an edited file', () => {
  it('quarantines a record of the wrong width with its line, and lands the rest', async () => {
    const edited = await serveSubset((lines) => {
      lines[79] = lines[79]!.replace(/,453\.93425$/, '');
    });
    const lake = await sinoeLake(edited, 0.05);
    const landed = await lake.collect();
    expect([landed.rows, landed.quarantinedRows]).toEqual([22, 1]);

    const figures = await partitionFigures(lake);
    expect(figures.tonnes).toBe('212410.28843');
    const quarantine = await readFile(join(lake.lake, figures.manifest.quarantine!.file), 'utf8');
    expect(JSON.parse(quarantine)).toEqual({
      file: edited,
      line: 80,
      reason: 'expected 10 fields as in the header, found 9',
      record:
        '2017,75,"Nouvelle-Aquitaine","17","Charente-Maritime","02A","Déchets dangereux","02Z","Non précisé"',
    });
  });

  it('fails on a bad value naming the file, its line and field; nothing lands', async () => {
    const edited = await serveSubset((lines) => {
      lines[79] = lines[79]!.replace(/,453\.93425$/, ',45x3.9');
    });
    const lake = await sinoeLake(edited);
    const error = await lake.collect().catch((caught: unknown) => caught);
    // The activity boundary turns the ParseError into a failure that is never retried.
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect([
      (error as ApplicationFailure).type,
      (error as ApplicationFailure).nonRetryable,
    ]).toEqual([ParseError.name, true]);
    expect((error as ApplicationFailure).message).toBe(
      `${edited}:80 field TONNAGE_DECH: expected a number or one of secret, nd or an empty value, found "45x3.9"`,
    );
    await lake.assertNothingLanded();
  });
});
