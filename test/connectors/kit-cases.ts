import { baseCarbone } from '../../connectors/base-carbone.js';
import { dataFair } from '../../connectors/data-fair.js';
import { enedisResidentialEpci } from '../../connectors/enedis-residential-epci.js';
import { fileDrop } from '../../connectors/file-drop.js';
import { gbfs } from '../../connectors/gbfs.js';
import { gtfsVehicleKm } from '../../connectors/gtfs-vehicle-km.js';
import { httpJson } from '../../connectors/http-json.js';
import { laRochelleCommunes } from '../../connectors/larochelle-communes.js';
import { opendatasoft } from '../../connectors/opendatasoft.js';
import { opendatasoftV1 } from '../../connectors/opendatasoft-v1.js';
import { oreCommuneConsumption } from '../../connectors/ore-commune-consumption.js';
import { sdesHeatIris } from '../../connectors/sdes-heat-iris.js';
import { sinoeWaste } from '../../connectors/sinoe-waste.js';
import type { KitCase } from './kit.js';

/**
 * Every connector terreze ships, through the kit. Row counts and checksums come from python3
 * (var-free, standard library only): for each provider file, the same line text as `line`
 * computed with csv / json / re, floats formatted with '%.Nf', lines sorted and joined with
 * '\n', then hashlib.sha256. Texts are quoted as the file has them.
 */

const num = (column: string, digits: number) => `coalesce(printf('%.${digits}f', ${column}), '')`;
const text = (column: string) => `coalesce(CAST(${column} AS VARCHAR), '')`;
const line = (...parts: string[]) => parts.join(` || '|' || `);
const sinoeLine = line(text('year'), text('waste_code'), text('treatment_code'), num('tonnes', 5));
const yelo = { TERREZE_YELO_API_KEY: 'kit-yelo-key' };

export const builtInCases: KitCase[] = [
  {
    // SINOE rows with ANNEE 2017 and C_DEPT 17: ANNEE|C_TYP_REG_DECHET|C_TYP_REG_SERVICE|%.5f.
    connector: sinoeWaste,
    vintage: 2017,
    params: (url) => ({
      url: `${url}/ademe/sinoe/destination-dechets-decheterie.csv`,
      department: '17',
    }),
    faultPath: '/ademe/sinoe/',
    expected: {
      rows: 23,
      line: sinoeLine,
      sha256: 'd2d6c1643d81a8009caa04386bc3af374dc7f923541a1ab5fe293b64a5497d1d',
    },
  },
  {
    // The 2023 SDES file below its label row, ANNEE 2023: ID|IRIS|heat or cold|CONSO %.3f.
    connector: sdesHeatIris,
    vintage: 2023,
    params: (url) => ({ url: `${url}/sdes/reseaux-chaleur-froid-iris/{vintage}.csv` }),
    faultPath: '/sdes/',
    expected: {
      rows: 3646,
      line: line(text('network_id'), text('iris_code'), text('energy'), num('consumption_mwh', 3)),
      sha256: 'd6e9981f2990cdae6af6509b301dfebd1061cc18c6f0a3f5118dbb6b732a2033',
    },
  },
  {
    // The R export's row of EPCI 241700434: Code.EPCI|Nb.sites|Conso.totale..MWh. %.3f.
    connector: enedisResidentialEpci,
    vintage: 2023,
    params: (url) => ({
      baseUrl: `${url}/enedis/api/explore/v2.1`,
      dataset: 'consommation-electrique-residentielle-par-epci',
      refine: { code_epci: '241700434' },
    }),
    faultPath: '/enedis/',
    expected: {
      rows: 1,
      line: line(text('epci_code'), text('sites'), num('consumption_mwh', 3)),
      sha256: '3f1e8164b1042604388e7add131cf7ac4019c14d1f9f577cc985f910dd558452',
    },
  },
  {
    // Each ORE row × the five sectors: Code Commune|sector|Consommation <sector> %.3f.
    connector: oreCommuneConsumption,
    vintage: 2012,
    params: (url) => ({
      baseUrl: `${url}/agenceore/api/explore/v2.1`,
      dataset: 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune',
    }),
    faultPath: '/agenceore/',
    expected: {
      rows: 7875,
      line: line(text('commune_code'), text('sector'), num('consumption_mwh', 3)),
      sha256: 'd705d6f8d1f35f985aaa791ea4f348c68207bd6598c46aa001cacb0603cf4f43',
    },
  },
  {
    // Service days of 2017 from calendar.txt and calendar_dates.txt, trips per (day, route).
    connector: gtfsVehicleKm,
    vintage: 2017,
    params: (url) => ({ url: `${url}/transport/gtfs/frioul-if-express.zip` }),
    faultPath: '/transport/gtfs/',
    expected: {
      rows: 92,
      line: line(text('service_date'), text('route_id'), text('trips')),
      sha256: '84cd28b29de8b4af6d12c5fd1887a3104ec69389991b866ad7945788aa79fc99',
    },
  },
  {
    // Every line of the Latin-1 export: element or post|Identifiant de l'élément|total %.6f.
    connector: baseCarbone,
    params: (url) => ({ url: `${url}/ademe/base-carbone/export.csv` }),
    faultPath: '/ademe/base-carbone/',
    expected: {
      rows: 117,
      line: line(text('line_type'), text('factor_id'), num('total_kgco2e', 6)),
      sha256: 'dcf7e6ad5fef6d2c38bbe6d73282a691eed45c4a37801745ee1aef50e1e115f3',
    },
  },
  {
    // The Yélo bus stops through the declarative connector: Id|Latitude %.6f|deserved.
    connector: httpJson,
    environment: yelo,
    simulator: { yeloApiKey: yelo.TERREZE_YELO_API_KEY },
    params: (url) => ({
      url: `${url}/larochelle/api/yelo/bus-stops`,
      auth: { type: 'header', header: 'X-Cda-Lr-Api-Key', secretEnv: 'TERREZE_YELO_API_KEY' },
      primaryKey: ['stop_id'],
      fields: [
        { name: 'stop_id', from: 'Id', type: 'integer', required: true },
        { name: 'name', from: 'Name' },
        { name: 'latitude', from: 'Latitude', type: 'number' },
        { name: 'longitude', from: 'Longitude', type: 'number' },
        { name: 'served', from: 'deserved', type: 'boolean' },
      ],
    }),
    faultPath: '/larochelle/api/yelo/',
    schemaChange: {
      column: 'Latitude',
      outcome: /latitude \(from "Latitude"\) in none of the 1012 records/,
    },
    extraFaults: [
      {
        name: 'a refused key',
        fault: { kind: 'status', status: 401 },
        outcome: /answered 401 Unauthorized after 1 attempt/,
      },
    ],
    expected: {
      rows: 1012,
      line: line(text('stop_id'), num('latitude', 6), text('served')),
      sha256: 'e902952b024f7c0e2b80851aa3fc423f29b72768216ff368a59b9d582c675b58',
    },
  },
  {
    // The dept 17 subset, rows of 2017, every column as text: ANNEE|…|TONNAGE_DECH as written.
    connector: fileDrop,
    vintage: 2017,
    params: (url) => ({
      url: `${url}/drops/waste/sinoe_destination_dechets_decheterie_dept17_subset.csv`,
      yearField: 'annee',
    }),
    faultPath: '/drops/',
    schemaChange: {
      column: 'L_REGION',
      outcome: /missing l_region \(Utf8\).*schemaPolicy: evolve/,
    },
    expected: {
      rows: 23,
      line: line(
        text('annee'),
        text('c_typ_reg_dechet'),
        text('c_typ_reg_service'),
        text('tonnage_dech'),
      ),
      sha256: '9330c5ba2c6a2f596b7c993a769ec2846d6e727e54508a3c7fa0a01fbf7eddc8',
    },
  },
  {
    // The ORE file through the v2.1 records API: Code Commune|Consommation totale (MWh) %.3f.
    connector: opendatasoft,
    params: (url) => ({
      baseUrl: `${url}/agenceore/api/explore/v2.1`,
      dataset: 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune',
    }),
    faultPath:
      '/agenceore/api/explore/v2.1/catalog/datasets/conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune/records',
    declaresTotal: true,
    schemaChange: {
      column: 'consoa',
      outcome: /consoa_renamed in the records but not in the dataset's description/,
    },
    expected: {
      rows: 1575,
      line: line(text('code_commune'), num('consototale', 3)),
      sha256: 'd07ea8f1e33009d8b2a7e33946c17b6de9cbc642c11a1687fcfb50fce0c667f3',
    },
  },
  {
    // The Yélo stops through La Rochelle's v1 portal, numbers sent as text: Id|Latitude %.6f.
    connector: opendatasoftV1,
    params: (url) => ({
      baseUrl: `${url}/larochelle/api`,
      dataset: 'yelo-arrets',
      primaryKey: ['stop_id'],
      fields: [
        { name: 'stop_id', from: 'id', type: 'integer', required: true },
        { name: 'latitude', type: 'number' },
      ],
    }),
    faultPath: '/larochelle/api/records/',
    declaresTotal: true,
    schemaChange: {
      column: 'latitude',
      outcome: /latitude \(from "latitude"\) in none of the 1012 records/,
    },
    extraFaults: [
      {
        name: 'a page served twice',
        fault: { kind: 'loop' },
        times: 1_000,
        outcome: /repeats an earlier page/,
      },
    ],
    expected: {
      rows: 1012,
      line: line(text('stop_id'), num('latitude', 6)),
      sha256: '39ca0b7c14e489f82fccec0896e04dd89776e9ec7fe802fa4299b16f28f6e716',
    },
  },
  {
    // SINOE rows with C_DEPT 17 through data-fair, all years: ANNEE|…|TONNAGE_DECH %.5f.
    connector: dataFair,
    params: (url) => ({
      baseUrl: `${url}/ademe/data-fair/api/v1`,
      dataset: 'sinoe-destination-dechets-decheterie',
      filters: { C_DEPT_eq: '17' },
      pageSize: 40,
    }),
    faultPath: '/ademe/data-fair/api/v1/datasets/sinoe-destination-dechets-decheterie/lines',
    declaresTotal: true,
    schemaChange: { column: 'TONNAGE_DECH', outcome: /TONNAGE_DECH_renamed in the records/ },
    extraFaults: [
      {
        name: 'a next link that loops',
        fault: { kind: 'loop' },
        times: 1_000,
        outcome: /repeats an earlier page|loops back/,
      },
    ],
    expected: {
      rows: 96,
      line: line(
        text('annee'),
        text('c_typ_reg_dechet'),
        text('c_typ_reg_service'),
        num('tonnage_dech', 5),
      ),
      sha256: '88e414c43c0dbf17dc3e8a1cb0b5a5055b0fabc4ac2ec929859914a66ad60443',
    },
  },
  {
    // GBFS 3.0 station_status by hand: station1|1|3 and station2|6|8.
    connector: gbfs,
    params: (url) => ({ discoveryUrl: `${url}/gbfs/3.0/gbfs.json`, feed: 'station_status' }),
    faultPath: '/gbfs/3.0/station_status',
    expected: {
      rows: 2,
      line: line(text('station_id'), text('vehicles_available'), text('docks_available')),
      sha256: 'edf0bbfef1ae8f0f922af96cc9a67a4f7f15bce2e520d970ef02ec143383d8cd',
    },
  },
  {
    // The 28 <row>s: code_insee|nom_commune, quotes dropped, entities unescaped twice.
    connector: laRochelleCommunes,
    params: (url) => ({
      url: `${url}/larochelle/webservice/?service=getData&db=decoupadmin&table=decoupage_cda_liste&format=xml`,
    }),
    faultPath: '/larochelle/webservice/',
    expected: {
      rows: 28,
      line: line(text('insee_code'), text('name')),
      sha256: '2c29ff78227a97b0f99da4e02b4e30c0e1219f82b180844db03ac2f21e880514',
    },
  },
];
