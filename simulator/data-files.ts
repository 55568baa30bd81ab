import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../lib/errors.js';

/**
 * The provider files the simulator serves, checked once at start: a simulator started on the
 * wrong folder would otherwise answer every request with an error, and collections would
 * retry it for minutes before a report full of NE.
 */

/** The variable that says where the providers' files are. */
export const providerDataVariable = 'TERREZE_PROVIDER_DATA';

/** Every file a route of the simulator reads, relative to the data folder (`/drops/` aside). */
export const servedFiles: readonly string[] = [
  'emission_factors/base_carbone_export_subset_abc_seed_latin1.csv',
  'energy/enedis_residentiel_epci_2023_with_housing_stats_R-export.csv',
  'energy/ore_conso_elec_gaz_commune_labels_header_chunk10.csv',
  'energy/sdes_reseaux_chaleur_froid_iris_2021-12.csv',
  'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
  'territory/cda_larochelle_communes_decoupage_cda_liste.xml',
  'transport/gbfs_transport-site_fixtures/free_bike_status.2.2.json',
  'transport/gbfs_transport-site_fixtures/gbfs.2.2.json',
  'transport/gbfs_transport-site_fixtures/gbfs.3.0.json',
  'transport/gbfs_transport-site_fixtures/station_information.2.2.json',
  'transport/gbfs_transport-site_fixtures/station_information.3.0.json',
  'transport/gbfs_transport-site_fixtures/station_status.2.2.json',
  'transport/gbfs_transport-site_fixtures/station_status.3.0.json',
  'transport/gbfs_transport-site_fixtures/vehicle_status.3.0.json',
  'transport/gtfs_frioul_if_express_transport-site_fixture/gtfs.zip',
  'transport/larochelle_yelo_api_bus-stops_2024-04.json',
  'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv',
  'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv',
];

/** The data folder is missing, or lacks files the simulator serves: it does not start. */
export class ProviderDataError extends ConfigError {
  constructor(
    readonly dataDir: string,
    readonly missing: readonly string[],
  ) {
    super(
      dataDir,
      missing.map((file) => ({ path: file, expected: 'a provider file the simulator serves' })),
    );
    const what = existsSync(dataDir)
      ? `lacks ${missing.length} of the ${servedFiles.length} provider files the simulator ` +
        `serves: ${missing.join(', ')}`
      : 'does not exist';
    this.message =
      `the providers' data folder ${dataDir} ${what}; set ${providerDataVariable} to the ` +
      'folder that holds them (energy/, transport/, waste/, … as described in its README.md)';
  }
}

/** A file a route needs is not in the data folder: the route answers 404, never 500. */
export class MissingDataFileError extends Error {
  constructor(
    readonly dataDir: string,
    readonly file: string,
  ) {
    super(
      `the simulator's data folder ${dataDir} has no ${file}; set ${providerDataVariable} to ` +
        'the folder of the providers files',
    );
    this.name = 'MissingDataFileError';
  }
}

/** The served files that are not in `dataDir`; all of them when the folder does not exist. */
export function missingDataFiles(dataDir: string): string[] {
  const isFolder = existsSync(dataDir) && statSync(dataDir).isDirectory();
  return servedFiles.filter((file) => !isFolder || !existsSync(join(dataDir, file)));
}

/** Fails unless `dataDir` exists and, unless `partial`, holds every served file. */
export function assertDataFolder(dataDir: string, partial = false): void {
  const isFolder = existsSync(dataDir) && statSync(dataDir).isDirectory();
  if (!isFolder) throw new ProviderDataError(dataDir, servedFiles);
  if (partial) return;
  const missing = missingDataFiles(dataDir);
  if (missing.length > 0) throw new ProviderDataError(dataDir, missing);
}

/** The absolute path of a data file a route reads; its absence is a `MissingDataFileError`. */
export function dataFilePath(dataDir: string, file: string): string {
  const path = join(dataDir, file);
  if (!existsSync(path)) throw new MissingDataFileError(dataDir, file);
  return path;
}
