import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectOverrides } from '../../activities/collect.js';
import { readSourceState } from '../../lake/state.js';
import { absolutePartitionFile, commitPartition, readCurrentManifest } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { LakeError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import { editedDataDir } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';
import { lakeScenario, testProject } from './lake-scenario.js';

/**
 * An incremental source with a look-back window, and a provider that publishes late. The
 * SINOE Charente-Maritime subset is served by the simulator's offset pattern, first without
 * its 23 rows of 2017 (73 rows: 19 of 2009, 19 of 2011, 18 of 2013, 17 of 2015 — python3,
 * csv.reader). The first read ends at cursor 2015; the provider then adds a late 2013 row
 * (hazardous waste to inert landfill, 02A → 02F, a pair 2013 lacked) and the 2017 row of
 * green waste to organic recovery (line 84 of the file, 52797.92687 t). The next read asks
 * from 2015 − 2 = 2013 and must land both rows once each (75 rows), and the state may
 * advance only once that landing is done.
 */

const subset = 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
const route = '/patterns/offset/sinoe-dept17';
const lateRow =
  '2013,75,"Nouvelle-Aquitaine","17","Charente-Maritime","02A","Déchets dangereux","02F",' +
  '"Stockage pour inertes",41.2';
const newRow =
  '2017,75,"Nouvelle-Aquitaine","17","Charente-Maritime","02C","Déchets verts","02E",' +
  '"Valorisation organique",52797.92687';
let dataDir: string;
let simulator: Simulator;

beforeAll(async () => {
  dataDir = await editedDataDir(subset, subset, (lines) => {
    const kept = lines.filter((line) => !line.startsWith('2017,'));
    lines.splice(0, lines.length, ...kept);
  });
  simulator = await startTestSimulator(dataDir);
});

afterAll(async () => {
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Requests of the route since `from`, with their query. */
const requestsSince = (from: number) =>
  simulator.requests.slice(from).filter((request) => request.startsWith(route));

describe('an incremental read with a look-back window', () => {
  it('lands rows published late exactly once, and saves the cursor only after landing', async () => {
    const project = await testProject([
      {
        id: 'waste-api',
        connector: 'http-json',
        domain: 'waste',
        title: 'SINOE Charente-Maritime through a paged API',
        producer: 'ADEME (SINOE)',
        licence: 'Licence Ouverte / Open Licence 2.0',
        access: 'public',
        params: {
          url: `${simulator.url}${route}`,
          pagination: { type: 'offset', pageSize: 50, totalPath: 'total' },
          recordsPath: 'results',
          primaryKey: ['year', 'waste_code', 'treatment_code'],
          incremental: { cursorField: 'year', param: 'ANNEE_gte', lookback: 2 },
          fields: [
            { name: 'year', from: 'ANNEE', type: 'integer', required: true },
            { name: 'waste_code', from: 'C_TYP_REG_DECHET', required: true },
            { name: 'treatment_code', from: 'C_TYP_REG_SERVICE', required: true },
            { name: 'tonnes', from: 'TONNAGE_DECH', type: 'number', minimum: 0 },
          ],
        },
      },
    ]);
    // The landing of the second read is killed once before its partition is committed.
    let killsLeft = 0;
    const overrides: CollectOverrides = {
      async commitPartition(...args) {
        if (killsLeft > 0) {
          killsLeft -= 1;
          throw new LakeError('the landing was killed before the commit', {});
        }
        return commitPartition(...args);
      },
    };
    const lake = await lakeScenario(project.loaded, { sourceId: 'waste-api', overrides });
    const input = (runId: string) => ({
      sourceId: 'waste-api',
      period: 'current',
      vintage: undefined,
      runId,
      workflowId: undefined,
    });

    try {
      let seen = simulator.requests.length;
      const first = await lake.collect();
      expect(first.rows).toBe(73);
      expect(requestsSince(seen)).toEqual([
        `${route}?offset=0&limit=50`,
        `${route}?offset=50&limit=50`,
      ]);
      const afterFirst = (await readSourceState(lake.lake, 'waste-api'))!;
      expect([afterFirst.runId, afterFirst.state]).toEqual(['run-1', { cursor: 2015 }]);

      await appendFile(join(dataDir, subset), Buffer.from(`${lateRow}\n${newRow}\n`, 'utf8'));

      seen = simulator.requests.length;
      const staged = await lake.activities.fetchSource(input('run-2'));
      // From the cursor less the look-back: 18 + 1 rows of 2013, 17 of 2015, 1 of 2017.
      expect(requestsSince(seen)).toEqual([`${route}?ANNEE_gte=2013&offset=0&limit=50`]);
      expect(staged.rows).toBe(75);
      await lake.activities.validatePartition(staged);
      killsLeft = 1;
      await expect(lake.activities.landPartition(staged)).rejects.toThrow(
        'the landing was killed before the commit',
      );
      expect(await readSourceState(lake.lake, 'waste-api')).toEqual(afterFirst);
      const unchanged = (await readCurrentManifest(lake.lake, 'waste-api', 'current'))!;
      expect([unchanged.runId, unchanged.rows]).toEqual(['run-1', 73]);

      // The activity's retry lands the same staged file; only then does the cursor advance.
      const landed = await lake.activities.landPartition(staged);
      expect([landed.rows, landed.replaced]).toEqual([75, 'changed']);
      const afterSecond = (await readSourceState(lake.lake, 'waste-api'))!;
      expect([afterSecond.runId, afterSecond.state]).toEqual(['run-2', { cursor: 2017 }]);

      // Reading again from 2015 finds nothing new: the same 75 rows, byte for byte.
      seen = simulator.requests.length;
      const third = await lake.activities.fetchSource(input('run-3'));
      expect(requestsSince(seen)).toEqual([`${route}?ANNEE_gte=2015&offset=0&limit=50`]);
      await lake.activities.validatePartition(third);
      const again = await lake.activities.landPartition(third);
      expect([again.rows, again.replaced, again.sha256]).toEqual([75, 'identical', landed.sha256]);

      const manifest = (await readCurrentManifest(lake.lake, 'waste-api', 'current'))!;
      const database = await openDatabase();
      try {
        const file = quoteLiteral(absolutePartitionFile(lake.lake, manifest));
        const counts = await database.connection.runAndReadAll(
          `SELECT count(*), count(DISTINCT (year, waste_code, treatment_code)) FROM read_parquet(${file})`,
        );
        expect(counts.getRows()[0]!.map(Number)).toEqual([75, 75]);
        const published = await database.connection.runAndReadAll(
          `SELECT year, waste_code, treatment_code, tonnes FROM read_parquet(${file})
           WHERE (year = 2013 AND waste_code = '02A' AND treatment_code = '02F') OR year = 2017
           ORDER BY year`,
        );
        expect(published.getRows()).toEqual([
          [2013, '02A', '02F', 41.2],
          [2017, '02C', '02E', 52797.92687],
        ]);
      } finally {
        database.close();
      }
    } finally {
      await lake.cleanup();
      await project.cleanup();
    }
  });
});
