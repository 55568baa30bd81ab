import { readFile } from 'node:fs/promises';
import { dataFilePath } from './data-files.js';
import { bytesReply, notFound, type Reply } from './reply.js';

/**
 * Providers that publish plain files (SDES, transport.data.gouv, ADEME, La Rochelle's web
 * service): each route serves one file of the data folder byte for byte.
 */

interface ServedFile {
  file: string;
  contentType: string;
}

const sdesEditions: Record<string, string> = {
  '2020': 'energy/sdes_reseaux_chaleur_froid_iris_2021-12.csv',
  '2023': 'energy/sdes_reseaux_chaleur_froid_iris_2023-09.csv',
};

const fixedFiles: Record<string, ServedFile> = {
  '/transport/gtfs/frioul-if-express.zip': {
    file: 'transport/gtfs_frioul_if_express_transport-site_fixture/gtfs.zip',
    contentType: 'application/zip',
  },
  '/ademe/sinoe/destination-dechets-decheterie.csv': {
    file: 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv',
    contentType: 'text/csv; charset=utf-8',
  },
  '/ademe/base-carbone/export.csv': {
    file: 'emission_factors/base_carbone_export_subset_abc_seed_latin1.csv',
    contentType: 'text/csv; charset=iso-8859-1',
  },
};

const territoryQuery = {
  service: 'getData',
  db: 'decoupadmin',
  table: 'decoupage_cda_liste',
  format: 'xml',
};

const sdesPattern = /^\/sdes\/reseaux-chaleur-froid-iris\/(\d{4})\.csv$/;

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Answers a file route, or undefined when the path is not one of them. */
export async function fileReply(dataDir: string, url: URL): Promise<Reply | undefined> {
  const path = url.pathname;

  const sdes = sdesPattern.exec(path);
  if (sdes !== null) {
    const file = sdesEditions[sdes[1]!];
    if (file === undefined) return notFound(path, `SDES publishes no edition for ${sdes[1]}`);
    const body = await readFile(dataFilePath(dataDir, file));
    return bytesReply(body, 'text/csv; charset=utf-8', lastSegment(path));
  }

  const fixed = fixedFiles[path];
  if (fixed !== undefined) {
    const body = await readFile(dataFilePath(dataDir, fixed.file));
    return bytesReply(body, fixed.contentType, lastSegment(path));
  }

  if (path === '/larochelle/webservice/') {
    const matches = Object.entries(territoryQuery).every(
      ([key, value]) => url.searchParams.get(key) === value,
    );
    if (!matches)
      return notFound(path, 'the web service knows only decoupadmin/decoupage_cda_liste');
    const body = await readFile(
      dataFilePath(dataDir, 'territory/cda_larochelle_communes_decoupage_cda_liste.xml'),
    );
    return bytesReply(body, 'text/xml; charset=utf-8');
  }

  return undefined;
}
