import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import type { Simulator } from '../../simulator/index.js';
import { startTestSimulator } from '../support/simulator.js';
import { landedChecksum } from './kit.js';
import { lakeScenario, testProject } from './lake-scenario.js';

/**
 * The Opendatasoft export path, which large datasets take (past the records API's window of
 * 10,000): the JSON export is downloaded to disk and read a page at a time. On the ORE dataset
 * (1,575 records) it must land what the records API lands, byte for byte; the row count and
 * checksum are the kit's, computed by python3 from the ORE file (kit-cases.ts).
 */

const portal = '/agenceore/api/explore/v2.1';
const dataset = 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune';
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.close();
});

async function collect(mode: 'records' | 'export') {
  const project = await testProject([
    {
      id: 'ore-dataset',
      connector: 'opendatasoft',
      domain: 'energy',
      title: `ORE consumption by commune, ${mode}`,
      producer: 'Agence ORE',
      licence: 'Licence Ouverte / Open Licence 2.0',
      access: 'public',
      params: { baseUrl: `${simulator.url}${portal}`, dataset, mode },
    },
  ]);
  const lake = await lakeScenario(project.loaded, { sourceId: 'ore-dataset' });
  return {
    lake,
    cleanup: async () => {
      await lake.cleanup();
      await project.cleanup();
    },
  };
}

describe('opendatasoft in export mode', () => {
  it('lands the same bytes as the records API, from one download read in pages', async () => {
    const paged = await collect('records');
    const exported = await collect('export');
    try {
      const fromRecords = await paged.lake.collect();
      const before = simulator.requests.length;
      const fromExport = await exported.lake.collect();
      expect(fromExport.rows).toBe(1575);
      expect(fromExport.sha256).toBe(fromRecords.sha256);
      const paths = simulator.requests.slice(before).map((request) => request.split('?')[0]!);
      expect(paths.filter((path) => path.endsWith('/exports/json'))).toHaveLength(1);
      expect(paths.filter((path) => path.endsWith('/records'))).toHaveLength(1);

      const manifest = (await readCurrentManifest(exported.lake.lake, 'ore-dataset', 'current'))!;
      const line = `coalesce(CAST(code_commune AS VARCHAR), '') || '|' || coalesce(printf('%.3f', consototale), '')`;
      expect(
        await landedChecksum(absolutePartitionFile(exported.lake.lake, manifest), line),
      ).toEqual({
        rows: 1575,
        sha256: 'd07ea8f1e33009d8b2a7e33946c17b6de9cbc642c11a1687fcfb50fce0c667f3',
      });
    } finally {
      await paged.cleanup();
      await exported.cleanup();
    }
  });

  it('fails before typing a record when the export does not hold total_count records', async () => {
    const exported = await collect('export');
    simulator.faults.add(`${portal}/catalog/datasets/${dataset}/records`, {
      kind: 'total',
      delta: 3,
    });
    try {
      await expect(exported.lake.collect()).rejects.toThrow(
        `${simulator.url}${portal}/catalog/datasets/${dataset}/exports/json exported 1575 records where the dataset declares total_count 1578`,
      );
      await exported.lake.assertNothingLanded();
    } finally {
      simulator.faults.clear();
      await exported.cleanup();
    }
  });
});
