import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sinoeWaste } from '../../connectors/sinoe-waste.js';
import { ConfigError, ConnectorError } from '../../lib/errors.js';
import {
  MissingDataFileError,
  ProviderDataError,
  servedFiles,
  startSimulator,
} from '../../simulator/index.js';
import { annual, createTestContext, readAll } from '../support/connector-context.js';
import { scratchDataDir } from '../support/provider-data.js';

/**
 * A simulator started on a folder without the providers' files stops at once and says which
 * variable to set, instead of answering 500 to every request while collections retry.
 */

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const sinoeFile = 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv';
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function startFailure(dataDir: string): Promise<ProviderDataError> {
  const error = await startSimulator({ dataDir }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderDataError);
  return error as ProviderDataError;
}

describe('the data folder the simulator starts on', () => {
  it('refuses a folder that does not exist, naming it and TERREZE_PROVIDER_DATA', async () => {
    const missing = join(tmpdir(), 'terreze-no-such-provider-data');
    const error = await startFailure(missing);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `the providers' data folder ${missing} does not exist; set TERREZE_PROVIDER_DATA to the ` +
        'folder that holds them (energy/, transport/, waste/, … as described in its README.md)',
    );
  });

  it('refuses an empty folder, listing all 18 files it serves', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'terreze-empty-data-'));
    folders.push(empty);
    const error = await startFailure(empty);
    expect(error.missing).toEqual(servedFiles);
    expect(servedFiles).toHaveLength(18);
    expect(error.message).toContain(`lacks 18 of the 18 provider files the simulator serves: `);
  });

  it('lists exactly the one file a folder lacks', async () => {
    const partial = await scratchDataDir(servedFiles.filter((file) => file !== sinoeFile));
    folders.push(partial);
    const error = await startFailure(partial);
    expect(error.missing).toEqual([sinoeFile]);
    expect(error.message).toContain(
      `lacks 1 of the 18 provider files the simulator serves: ${sinoeFile}; set TERREZE_PROVIDER_DATA`,
    );
  });

  it('starts on a folder holding every served file and answers each route', async () => {
    const complete = await scratchDataDir(servedFiles);
    folders.push(complete);
    const simulator = await startSimulator({ dataDir: complete });
    try {
      const routes = [
        '/sdes/reseaux-chaleur-froid-iris/2020.csv',
        '/sdes/reseaux-chaleur-froid-iris/2023.csv',
        '/transport/gtfs/frioul-if-express.zip',
        '/ademe/sinoe/destination-dechets-decheterie.csv',
        '/ademe/base-carbone/export.csv',
        '/larochelle/webservice/?service=getData&db=decoupadmin&table=decoupage_cda_liste&format=xml',
        '/agenceore/api/explore/v2.1/catalog/datasets',
        '/enedis/api/explore/v2.1/catalog/datasets',
        '/ademe/data-fair/api/v1/datasets/base-carboner/lines',
        '/ademe/data-fair/api/v1/datasets/sinoe-destination-dechets-decheterie/lines',
        '/larochelle/api/records/1.0/search/?dataset=yelo-arrets',
        '/patterns/offset/sinoe-dept17',
        '/gbfs/2.2/free_bike_status.json',
        '/gbfs/3.0/vehicle_status.json',
      ];
      const statuses: number[] = [];
      for (const route of routes) {
        const response = await fetch(`${simulator.url}${route}`);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(statuses).toEqual(routes.map(() => 200));
    } finally {
      await simulator.close();
    }
  });
});

describe('a route whose file is missing from a partial folder', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await scratchDataDir([
      'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv',
    ]);
    folders.push(dataDir);
  });

  it('answers 404 naming the file, and the client gives up after one attempt', async () => {
    const simulator = await startSimulator({ dataDir, partialData: true });
    const test = await createTestContext('missing-file', { retryLimit: 3, backoffBaseMs: 20 });
    try {
      const path = '/ademe/sinoe/destination-dechets-decheterie.csv';
      const response = await fetch(`${simulator.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: 'not_found',
        message: new MissingDataFileError(dataDir, sinoeFile).message,
        path,
      });

      const url = `${simulator.url}${path}`;
      const error = await readAll(
        sinoeWaste,
        test.context,
        { url, department: '17' },
        annual(2017),
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).message).toBe(
        `GET ${url} answered 404 Not Found after 1 attempt`,
      );
      expect(simulator.requests.filter((request) => request === path)).toHaveLength(2);
    } finally {
      await test.cleanup();
      await simulator.close();
    }
  });

  it('answers 404 from a data-fair dataset whose file is missing', async () => {
    const simulator = await startSimulator({ dataDir, partialData: true });
    try {
      const response = await fetch(
        `${simulator.url}/ademe/data-fair/api/v1/datasets/sinoe-destination-dechets-decheterie/lines`,
      );
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toContain(sinoeFile);
    } finally {
      await simulator.close();
    }
  });
});

describe('simulator/main.ts on a missing folder', () => {
  it('exits with code 2 and says which variable to set', async () => {
    const missing = join(tmpdir(), 'terreze-no-such-provider-data');
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, TERREZE_PROVIDER_DATA: missing, TERREZE_SIMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toBe(`${new ProviderDataError(missing, servedFiles).message}\n`);
  });
});
