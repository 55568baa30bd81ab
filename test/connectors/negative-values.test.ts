import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enedisResidentialEpci } from '../../connectors/enedis-residential-epci.js';
import { gtfsVehicleKm } from '../../connectors/gtfs-vehicle-km.js';
import { oreCommuneConsumption } from '../../connectors/ore-commune-consumption.js';
import { sdesHeatIris } from '../../connectors/sdes-heat-iris.js';
import { sinoeWaste } from '../../connectors/sinoe-waste.js';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import {
  annual,
  createTestContext,
  readAll,
  type TestContext,
} from '../support/connector-context.js';
import { editedDataDir, providerFile } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';
import { lakeScenario, testProject } from './lake-scenario.js';

/**
 * A negative quantity in a provider file is a bad row, never landed: QA set one SINOE tonnage to
 * −52,797.9 and it reached the inventory as negative emissions. Line numbers and values are
 * read off the provider files (line 84 of the SINOE subset is 02C green waste to 02E in 2017,
 * 52797.92687 t; line 205 of the 2023 SDES file is 1701C, IRIS 173000104, sector T,
 * 9833.15999999999 MWh; line 2 of the ORE file starts Enedis;2012;Electricité;98.7 — the
 * agriculture figure; line 368 of the Enedis export is EPCI 241700434, 441735.519 MWh).
 */

const sinoeSubset = 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv';
const sinoeFull = 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv';
const folders: string[] = [];
const simulators: Simulator[] = [];
let test: TestContext;

beforeAll(async () => {
  test = await createTestContext('negative-values');
});

afterAll(async () => {
  await test.cleanup();
  await Promise.all(simulators.map((simulator) => simulator.close()));
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Serves `servedAs` as the provider file `from` after `edit`; returns the simulator's URL. */
async function serveEdited(from: string, servedAs: string, edit: (lines: string[]) => void) {
  const dataDir = await editedDataDir(from, servedAs, edit);
  folders.push(dataDir);
  const simulator = await startTestSimulator(dataDir);
  simulators.push(simulator);
  return simulator.url;
}

/** The error a read ends with. */
async function readFailure(promise: Promise<unknown>): Promise<ParseError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

const negateLine84 = (lines: string[]) => {
  lines[83] = lines[83]!.replace(/,52797\.92687$/, ',-52797.92687');
};

describe('a negative quantity', () => {
  it('stops a SINOE collection, naming the URL, line 84 and TONNAGE_DECH; nothing lands', async () => {
    const base = await serveEdited(sinoeSubset, sinoeFull, negateLine84);
    const url = `${base}/ademe/sinoe/destination-dechets-decheterie.csv`;
    const error = await readFailure(
      readAll(sinoeWaste, test.context, { url, department: '17' }, annual(2017)),
    );
    expect(error.message).toBe(
      `${url}:84 field TONNAGE_DECH: expected a quantity of zero or more, found "-52797.92687"`,
    );

    const project = await testProject([
      {
        id: 'sinoe',
        connector: 'sinoe-waste',
        domain: 'waste',
        title: 'SINOE with a negative tonnage',
        producer: 'ADEME',
        licence: 'Licence Ouverte / Open Licence 2.0',
        access: 'public',
        vintages: [2017],
        params: { url, department: '17' },
      },
    ]);
    const lake = await lakeScenario(project.loaded, { sourceId: 'sinoe', vintage: 2017 });
    await expect(lake.collect()).rejects.toThrow(/:84 field TONNAGE_DECH: expected a quantity/);
    await lake.assertNothingLanded();
    await lake.cleanup();
    await project.cleanup();
  });

  it('lets a SINOE read of another year through: only the rows that land are checked', async () => {
    const base = await serveEdited(sinoeSubset, sinoeFull, negateLine84);
    const url = `${base}/ademe/sinoe/destination-dechets-decheterie.csv`;
    const batches = await readAll(
      sinoeWaste,
      test.context,
      { url, department: '17' },
      annual(2015),
    );
    // 17 rows of 2015 in the subset (python3: csv.reader, ANNEE == '2015').
    expect(batches.reduce((rows, batch) => rows + batch.numRows, 0)).toBe(17);
  });

  it('stops an SDES read at line 205, field CONSO', async () => {
    const file = 'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv';
    const base = await serveEdited(file, file, (lines) => {
      lines[204] = lines[204]!.replace(';9833.15999999999;1', ';-9833.15999999999;1');
    });
    const url = `${base}/sdes/reseaux-chaleur-froid-iris/2023.csv`;
    const error = await readFailure(readAll(sdesHeatIris, test.context, { url }, annual(2023)));
    expect(error.message).toBe(
      `${url}:205 field CONSO: expected a quantity of zero or more, found "-9833.15999999999"`,
    );
  });

  it('stops an ORE read at line 2 of the export, field consoa', async () => {
    const file = 'energy/ore_conso_elec_gaz_commune_labels_header_chunk10.csv';
    const base = await serveEdited(file, file, (lines) => {
      // The copy is edited as Latin-1 text: the accented Électricité is not matched.
      lines[1] = lines[1]!.replace(/^(Enedis;2012;[^;]+;)98\.7;/, '$1-98.7;');
    });
    const params = {
      baseUrl: `${base}/agenceore/api/explore/v2.1`,
      dataset: 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune',
    };
    const url = `${params.baseUrl}/catalog/datasets/${params.dataset}/exports/csv`;
    const error = await readFailure(
      readAll(oreCommuneConsumption, test.context, params, annual(2012)),
    );
    expect(error.message).toBe(
      `${url}:2 field consoa: expected a quantity of zero or more, found "-98.7"`,
    );
  });

  it('stops an Enedis read of EPCI 241700434, field conso_totale_mwh', async () => {
    const file = 'energy/enedis_residentiel_epci_2023_with_housing_stats_R-export.csv';
    const base = await serveEdited(file, file, (lines) => {
      lines[367] = lines[367]!.replace(',108817,441735.519,', ',108817,-441735.519,');
    });
    const params = {
      baseUrl: `${base}/enedis/api/explore/v2.1`,
      dataset: 'consommation-electrique-residentielle-par-epci',
      refine: { code_epci: '241700434' },
    };
    const url = `${params.baseUrl}/catalog/datasets/${params.dataset}/exports/csv?refine=code_epci%3A241700434`;
    const error = await readFailure(
      readAll(enedisResidentialEpci, test.context, params, annual(2023)),
    );
    // The refined export holds the one EPCI, on line 2 below the header.
    expect(error.message).toBe(
      `${url}:2 field conso_totale_mwh: expected a quantity of zero or more, found "-441735.519"`,
    );
  });

  it('stops a GTFS read on a negative shape_dist_traveled, naming shapes.txt and its line', async () => {
    const feedPath = 'transport/gtfs_frioul_if_express_transport-site_fixture/gtfs.zip';
    const files = unzipSync(await readFile(providerFile(feedPath)));
    const trips = new TextDecoder().decode(files['trips.txt']);
    files['trips.txt'] = strToU8(trips.replace('7674216,Frioul,0,,', '7674216,Frioul,0,S1,'));
    files['shapes.txt'] = strToU8(
      [
        'shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled',
        'S1,43.2946415641,5.3740901055,1,0',
        'S1,43.29,5.34,2,-2800',
        'S1,43.2801358236,5.3070491308,3,5900',
      ].join('\n'),
    );
    const dataDir = await mkdtemp(join(tmpdir(), 'terreze-data-'));
    folders.push(dataDir);
    await mkdir(dirname(join(dataDir, feedPath)), { recursive: true });
    await writeFile(join(dataDir, feedPath), zipSync(files));
    const simulator = await startTestSimulator(dataDir);
    simulators.push(simulator);
    const url = `${simulator.url}/transport/gtfs/frioul-if-express.zip`;
    const error = await readFailure(readAll(gtfsVehicleKm, test.context, { url }, annual(2017)));
    expect(error.message).toBe(
      `${url}#shapes.txt:3 field shape_dist_traveled: expected a distance of zero or more, found -2800`,
    );
  });
});

describe('a negative quantity in a declarative source', () => {
  it('is quarantined with its line when the field says minimum: 0, and the rest lands', async () => {
    const base = await serveEdited(sinoeSubset, sinoeSubset, negateLine84);
    const url = `${base}/drops/${sinoeSubset}`;
    const project = await testProject([
      {
        id: 'waste-drop',
        connector: 'file-drop',
        domain: 'waste',
        title: 'SINOE subset dropped as a file',
        producer: 'ADEME',
        licence: 'Licence Ouverte / Open Licence 2.0',
        access: 'public',
        vintages: [2017],
        // One bad row in 23 is 4.3 %: past the default 1 %, so the source allows 5 %.
        maxBadRowShare: 0.05,
        params: {
          url,
          yearField: 'year',
          fields: [
            { name: 'year', from: 'ANNEE', type: 'integer' },
            { name: 'waste_code', from: 'C_TYP_REG_DECHET' },
            { name: 'treatment_code', from: 'C_TYP_REG_SERVICE' },
            { name: 'tonnes', from: 'TONNAGE_DECH', type: 'number', minimum: 0 },
          ],
        },
      },
    ]);
    const lake = await lakeScenario(project.loaded, { sourceId: 'waste-drop', vintage: 2017 });
    const landed = await lake.collect();
    expect(landed.rows).toBe(22);
    expect(landed.quarantinedRows).toBe(1);

    const manifest = (await readCurrentManifest(lake.lake, 'waste-drop', '2017'))!;
    const quarantine = await readFile(join(lake.lake, manifest.quarantine!.file), 'utf8');
    expect(JSON.parse(quarantine)).toMatchObject({
      file: url,
      line: 84,
      reason: 'field TONNAGE_DECH: expected a number of at least 0, found "-52797.92687"',
    });

    // 212,864.22268 t in 2017 less the 52,797.92687 t row set aside (python3, see above).
    const database = await openDatabase();
    const sum = await database.connection.runAndReadAll(
      `SELECT sum(tonnes), min(tonnes) FROM read_parquet(${quoteLiteral(absolutePartitionFile(lake.lake, manifest))})`,
    );
    database.close();
    const [total, smallest] = sum.getRows()[0]! as [number, number];
    expect(total).toBeCloseTo(160_066.29581, 5);
    expect(smallest).toBeGreaterThanOrEqual(0);
    await lake.cleanup();
    await project.cleanup();
  });
});
