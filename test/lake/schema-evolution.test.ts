import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSourceSchemas } from '../../lake/schemas.js';
import { listPartitionHistory, readCurrentManifest } from '../../lake/store.js';
import type { Simulator } from '../../simulator/index.js';
import { type LakeScenario, lakeScenario, testProject } from '../connectors/lake-scenario.js';
import { startTestSimulator } from '../support/simulator.js';

/**
 * A provider renames a column between two collections (the simulator's `schema` fault on the
 * SINOE subset dropped as a file, every column landed as text). With `schemaPolicy: evolve`
 * the collection lands and `lake/<source>/schema.json` records version 2, which the manifest
 * names; with `fail` the error names the columns and the lake keeps what it had.
 */

const drop = '/drops/waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
// The subset's ten columns, as file-drop names them when no field is declared.
const columns = [
  'annee',
  'c_region',
  'l_region',
  'c_dept',
  'n_dept',
  'c_typ_reg_dechet',
  'l_typ_reg_dechet',
  'c_typ_reg_service',
  'l_typ_reg_service',
  'tonnage_dech',
];
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.close();
});

async function scenario(schemaPolicy: 'evolve' | 'fail') {
  const project = await testProject([
    {
      id: 'waste-drop',
      connector: 'file-drop',
      domain: 'waste',
      title: 'SINOE subset dropped as a file',
      producer: 'ADEME (SINOE)',
      licence: 'Licence Ouverte / Open Licence 2.0',
      access: 'public',
      vintages: [2017],
      schemaPolicy,
      params: { url: `${simulator.url}${drop}`, yearField: 'annee' },
    },
  ]);
  const lake = await lakeScenario(project.loaded, { sourceId: 'waste-drop', vintage: 2017 });
  return {
    lake,
    cleanup: async () => {
      await lake.cleanup();
      await project.cleanup();
    },
  };
}

/** Collects once with the column renamed (or dropped, without `to`) by the provider. */
async function collectDrifted(lake: LakeScenario, column: string, to?: string) {
  simulator.faults.add(drop, { kind: 'schema', column, to }, 1_000);
  try {
    return await lake.collect();
  } finally {
    simulator.faults.clear();
  }
}

const names = (fields: { name: string }[] | undefined) => fields?.map((field) => field.name);

describe('schemaPolicy', () => {
  it('evolve: a renamed column lands as schema version 2, then a dropped one as 3', async () => {
    const { lake, cleanup } = await scenario('evolve');
    try {
      const first = await lake.collect();
      expect(first.rows).toBe(23);
      expect((await readSourceSchemas(lake.lake, 'waste-drop'))?.current).toBe(1);

      const renamed = await collectDrifted(lake, 'L_REGION', 'REGION_LABEL');
      expect(renamed.rows).toBe(23);
      expect(renamed.replaced).toBe('changed');
      const schemas = (await readSourceSchemas(lake.lake, 'waste-drop'))!;
      expect(schemas.current).toBe(2);
      expect(schemas.versions.map((version) => version.version)).toEqual([1, 2]);
      expect(names(schemas.versions[0]?.fields)).toEqual(columns);
      expect(names(schemas.versions[1]?.fields)).toEqual(
        columns.map((name) => (name === 'l_region' ? 'region_label' : name)),
      );
      expect(schemas.versions[1]?.since).toMatchObject({ period: '2017', runId: 'run-2' });
      const manifest = (await readCurrentManifest(lake.lake, 'waste-drop', '2017'))!;
      expect(manifest.schemaVersion).toBe(2);
      expect(names(manifest.schema)).toEqual(names(schemas.versions[1]?.fields));

      await collectDrifted(lake, 'C_REGION');
      const dropped = (await readSourceSchemas(lake.lake, 'waste-drop'))!;
      expect(dropped.current).toBe(3);
      expect(names(dropped.versions[2]?.fields)).toEqual(
        columns.filter((name) => name !== 'c_region'),
      );
      const history = await listPartitionHistory(lake.lake, 'waste-drop', '2017');
      expect(history.map((item) => [item.runId, item.schemaVersion])).toEqual([
        ['run-1', 1],
        ['run-2', 2],
        ['run-3', 3],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('fail: the error names the columns, and the lake keeps version 1 and its partition', async () => {
    const { lake, cleanup } = await scenario('fail');
    try {
      const first = await lake.collect();
      await expect(collectDrifted(lake, 'L_REGION', 'REGION_LABEL')).rejects.toThrow(
        "source waste-drop period 2017: the provider's columns changed (renamed (likely) " +
          'l_region → region_label; missing l_region (Utf8); added region_label (Utf8)); ' +
          'nothing landed. Fix the source parameters, or set schemaPolicy: evolve to land ' +
          'them as a new schema version',
      );
      const schemas = (await readSourceSchemas(lake.lake, 'waste-drop'))!;
      expect(schemas.current).toBe(1);
      expect(schemas.versions).toHaveLength(1);
      const manifest = (await readCurrentManifest(lake.lake, 'waste-drop', '2017'))!;
      expect([manifest.runId, manifest.sha256, manifest.schemaVersion]).toEqual([
        'run-1',
        first.sha256,
        1,
      ]);
    } finally {
      await cleanup();
    }
  });
});
