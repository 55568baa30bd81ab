import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { quoteIdentifier } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { resolveColumns } from './support/columns.js';
import { checkedCsvQuery, openCsv, selectList } from './support/csv-query.js';
import { flagSql, notNegativeChecks, numberChecks, numberSql } from './support/csv-table.js';
import { withDatabase } from './support/database.js';
import { downloadToWorkDir } from './support/download.js';
import { odsExportUrl, refineParameter, requireVintage, urlParameter } from './support/params.js';

/**
 * Enedis residential electricity by EPCI and distribution operator, from an Opendatasoft CSV
 * export. The dataset carries no year column: each publication is one data year, the vintage.
 */

const params = z.strictObject({
  baseUrl: urlParameter,
  dataset: z.string().min(1),
  refine: refineParameter,
});

export type EnedisResidentialEpciParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('year', new Int32(), true),
  new Field('operator', new Utf8(), true),
  new Field('epci_code', new Utf8(), true),
  new Field('epci_name', new Utf8(), true),
  new Field('department_code', new Utf8(), true),
  new Field('sites', new Int32(), true),
  new Field('consumption_mwh', new Float64(), true),
  new Field('consumption_flag', new Utf8(), true),
  new Field('inhabitants', new Int32(), true),
]);

// Field names of the portal, the R export's own headers, and the portal's labels.
const columnSpecs = [
  { key: 'operator', names: ['operateur', 'OPERATEUR'], labels: ['Opérateur'] },
  { key: 'epciCode', names: ['code_epci', 'Code.EPCI'], labels: ['Code EPCI'] },
  { key: 'epciName', names: ['nom_epci', 'Nom.EPCI'], labels: ['Nom EPCI'] },
  {
    key: 'departmentCode',
    names: ['code_departement', 'Code.Département'],
    labels: ['Code Département'],
  },
  { key: 'sites', names: ['nb_sites', 'Nb.sites'], labels: ['Nombre de sites'] },
  {
    key: 'consumption',
    names: ['conso_totale_mwh', 'Conso.totale..MWh.'],
    labels: ['Consommation totale (MWh)'],
  },
  {
    key: 'inhabitants',
    names: ['nombre_d_habitants', 'Nombre.d.habitants'],
    labels: ["Nombre d'habitants"],
  },
] as const;

// R writes a missing value as NA.
const sentinels = ['secret', 'nd', 'na'];

export const enedisResidentialEpci: Connector<EnedisResidentialEpciParams> = {
  id: 'enedis-residential-epci',
  version: '1.2.0',
  domain: 'energy',
  description: 'Enedis residential electricity consumption and sites by EPCI',
  periodicity: 'annual',
  params,
  schema,
  check: (context, parameters) =>
    checkUrl(context, odsExportUrl(parameters.baseUrl, parameters.dataset, 'csv', parameters)),
  discover: async () => singleStream('enedis-residential-epci', schema),
  read(context, parameters, request) {
    return withDatabase(async function* (connection) {
      const vintage = requireVintage(context.sourceId, request.vintage);
      const url = odsExportUrl(parameters.baseUrl, parameters.dataset, 'csv', parameters);
      const path = await downloadToWorkDir(context, url, 'enedis-epci.csv');
      const csv = await openCsv(connection, { url, path }, { delimiter: ';' });
      const column = resolveColumns(csv.header, columnSpecs, { file: url, line: csv.headerLine });
      const text = (key: keyof typeof column) => quoteIdentifier(column[key]);

      const sites = { column: column.sites, type: 'INTEGER' } as const;
      const consumption = { column: column.consumption, type: 'DOUBLE' } as const;
      const inhabitants = { column: column.inhabitants, type: 'INTEGER' } as const;
      const quantities = [sites, consumption, inhabitants];
      yield checkedCsvQuery(context, connection, csv, {
        select: selectList(schema, [
          String(vintage),
          ...(['operator', 'epciCode', 'epciName', 'departmentCode'] as const).map(text),
          numberSql(sites, sentinels),
          numberSql(consumption, sentinels),
          flagSql(column.consumption),
          numberSql(inhabitants, sentinels),
        ]),
        checks: [
          ...numberChecks(quantities, sentinels),
          ...notNegativeChecks(quantities, sentinels),
        ],
        onRows(rows) {
          if (rows === 0) throw new ParseError(url, 'expected at least one EPCI row, found none');
          context.logger.info('read Enedis residential consumption', {
            source: context.sourceId,
            url,
            vintage,
            rows,
          });
        },
      });
    });
  },
};
