import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { parseCsvRecords } from '../lib/csv.js';
import { quoteIdentifier } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { resolveColumns } from './support/columns.js';
import { checkedCsvQuery, openCsv, selectList } from './support/csv-query.js';
import {
  flagSql,
  notNegativeChecks,
  numberChecks,
  numberSql,
  readHead,
} from './support/csv-table.js';
import { withDatabase } from './support/database.js';
import { downloadToWorkDir } from './support/download.js';
import { expandUrl, requireVintage, urlParameter } from './support/params.js';

/**
 * SDES local consumption of district heating and cooling by IRIS. The file has a row of French
 * labels above the row of codes; editions differ in the IRIS column's name (`IRIS`, formerly
 * `IRIS_CODE`), in quoting numbers, and in accents lost from the labels.
 */

const params = z.strictObject({ url: urlParameter });

export type SdesHeatIrisParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('network_id', new Utf8(), true),
  new Field('operator', new Utf8(), true),
  new Field('year', new Int32(), true),
  new Field('iris_code', new Utf8(), true),
  new Field('iris_label', new Utf8(), true),
  new Field('commune_code', new Utf8(), true),
  new Field('energy', new Utf8(), true),
  new Field('sector_code', new Utf8(), true),
  new Field('consumption_mwh', new Float64(), true),
  new Field('consumption_flag', new Utf8(), true),
  new Field('delivery_points', new Int32(), true),
  new Field('delivery_points_flag', new Utf8(), true),
]);

const columnSpecs = [
  { key: 'networkId', names: ['ID'] },
  { key: 'operator', names: ['OPERATEUR'] },
  { key: 'year', names: ['ANNEE'] },
  { key: 'irisCode', names: ['IRIS', 'IRIS_CODE'] },
  { key: 'irisLabel', names: ['IRIS_LIBELLE'] },
  { key: 'energy', names: ['FILIERE'] },
  { key: 'sector', names: ['CODE_GRAND_SECTEUR'] },
  { key: 'consumption', names: ['CONSO'] },
  { key: 'deliveryPoints', names: ['PDL'] },
] as const;

const sentinels = ['secret', 'nd'];

/** The number of lines above the row of codes: the label row, when the edition has one. */
async function linesAboveCodes(path: string, url: string): Promise<number> {
  const head = await readHead(path, 16_384);
  const records = parseCsvRecords(head, url, { delimiter: ';', partial: true }).slice(0, 3);
  const codes = records.find((record) =>
    record.values.some((value) => value.trim().toUpperCase() === 'CODE_GRAND_SECTEUR'),
  );
  if (codes === undefined) {
    throw new ParseError(
      url,
      'expected a header row of codes (ID;OPERATEUR;ANNEE;…) in the first lines',
      { line: 1 },
    );
  }
  return codes.line - 1;
}

export const sdesHeatIris: Connector<SdesHeatIrisParams> = {
  id: 'sdes-heat-iris',
  version: '1.2.0',
  domain: 'energy',
  description: 'SDES district heating and cooling consumption by IRIS, network and sector',
  periodicity: 'annual',
  params,
  schema,
  check: (context, { url }, request) =>
    checkUrl(context, expandUrl(url, request?.vintage, context.sourceId)),
  discover: async () => singleStream('sdes-heat-iris', schema),
  read(context, parameters, request) {
    return withDatabase(async function* (connection) {
      const vintage = requireVintage(context.sourceId, request.vintage);
      const url = expandUrl(parameters.url, vintage, context.sourceId);
      const path = await downloadToWorkDir(context, url, 'sdes-heat-iris.csv');
      const csv = await openCsv(
        connection,
        { url, path },
        { delimiter: ';', linesBeforeHeader: await linesAboveCodes(path, url) },
      );
      const column = resolveColumns(csv.header, columnSpecs, { file: url, line: csv.headerLine });
      const text = (key: keyof typeof column) => quoteIdentifier(column[key]);
      const consumption = { column: column.consumption, type: 'DOUBLE' } as const;
      const deliveryPoints = { column: column.deliveryPoints, type: 'INTEGER' } as const;
      const inVintage = `CAST(trim(${text('year')}) AS INTEGER) = ${vintage}`;

      yield checkedCsvQuery(context, connection, csv, {
        select: selectList(schema, [
          text('networkId'),
          text('operator'),
          `trim(${text('year')})`,
          `trim(${text('irisCode')})`,
          text('irisLabel'),
          `left(trim(${text('irisCode')}), 5)`,
          `CASE upper(trim(${text('energy')})) WHEN 'C' THEN 'heat' ELSE 'cold' END`,
          `CASE WHEN trim(${text('sector')}) = 'nd' THEN NULL ELSE trim(${text('sector')}) END`,
          numberSql(consumption, sentinels),
          flagSql(column.consumption),
          numberSql(deliveryPoints, sentinels),
          flagSql(column.deliveryPoints),
        ]),
        checks: [
          ...numberChecks([{ column: column.year, type: 'INTEGER' }], []),
          ...numberChecks([consumption, deliveryPoints], sentinels),
          ...notNegativeChecks([consumption, deliveryPoints], sentinels, inVintage),
          {
            column: column.irisCode,
            violationSql: `length(coalesce(trim(${text('irisCode')}), '')) <> 9`,
            expected: 'a nine-character IRIS code',
          },
          {
            column: column.energy,
            violationSql: `coalesce(upper(trim(${text('energy')})), '') NOT IN ('C', 'F')`,
            expected: 'C (heat) or F (cold)',
          },
          {
            column: column.sector,
            violationSql: `coalesce(trim(${text('sector')}), '') NOT IN ('R', 'T', 'I', 'A', 'X', 'nd')`,
            expected: 'a sector code R, T, I, A, X or nd',
          },
        ],
        where: inVintage,
        async onRows(rows) {
          if (rows === 0) {
            const years = await connection.runAndReadAll(
              `SELECT string_agg(DISTINCT trim(${text('year')}), ', ') FROM ${csv.relation}`,
            );
            throw new ParseError(
              url,
              `expected rows of year ${vintage}, found none (the file holds ${String(years.getRows()[0]?.[0] ?? 'no rows')})`,
            );
          }
          context.logger.info('read SDES heat and cold consumption', {
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
