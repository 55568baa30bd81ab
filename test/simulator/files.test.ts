import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { providerFile } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.close();
});

const servedFiles = [
  [
    '/sdes/reseaux-chaleur-froid-iris/2020.csv',
    'energy/sdes_reseaux_chaleur_froid_iris_2021-12.csv',
    'text/csv; charset=utf-8',
  ],
  [
    '/sdes/reseaux-chaleur-froid-iris/2023.csv',
    'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
    'text/csv; charset=utf-8',
  ],
  [
    '/transport/gtfs/frioul-if-express.zip',
    'transport/gtfs_frioul_if_express_transport-site_fixture/gtfs.zip',
    'application/zip',
  ],
  [
    '/ademe/sinoe/destination-dechets-decheterie.csv',
    'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv',
    'text/csv; charset=utf-8',
  ],
  [
    '/ademe/base-carbone/export.csv',
    'emission_factors/base_carbone_export_subset_abc_seed_latin1.csv',
    'text/csv; charset=iso-8859-1',
  ],
  [
    '/larochelle/webservice/?service=getData&db=decoupadmin&table=decoupage_cda_liste&format=xml',
    'territory/cda_larochelle_communes_decoupage_cda_liste.xml',
    'text/xml; charset=utf-8',
  ],
] as const;

describe('simulated file providers', () => {
  it.each(servedFiles)('serves %s byte for byte', async (path, file, contentType) => {
    const response = await fetch(`${simulator.url}${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('content-length')).toBe(String(body.byteLength));
    expect(body.equals(await readFile(providerFile(file)))).toBe(true);
  });

  it('answers 404 JSON for a year SDES did not publish and for unknown paths', async () => {
    for (const path of [
      '/sdes/reseaux-chaleur-froid-iris/2021.csv',
      '/nowhere',
      '/larochelle/webservice/?service=getData&table=other',
    ]) {
      const response = await fetch(`${simulator.url}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await response.json()) as { error: string }).error).toBe('not_found');
    }
  });
});
