import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { quoteIdentifier } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { resolveColumns } from './support/columns.js';
import { checkedCsvQuery, openCsv, selectList } from './support/csv-query.js';
import { type NumberColumn, numberChecks, numberSql } from './support/csv-table.js';
import { withDatabase } from './support/database.js';
import { downloadToWorkDir } from './support/download.js';
import { urlParameter } from './support/params.js';

/**
 * ADEME Base Carbone export: ISO-8859-1, `;`, decimal comma, one `Elément` row per factor and
 * `Poste` rows for its breakdown. Headers are matched on a skeleton, so the export's labels,
 * the data-fair API's underscored names and labels whose accents were damaged all resolve.
 */

const params = z.strictObject({ url: urlParameter });

export type BaseCarboneParams = z.infer<typeof params>;

const text = (name: string) => new Field(name, new Utf8(), true);
const number = (name: string) => new Field(name, new Float64(), true);

const schema = new Schema([
  text('line_type'),
  text('factor_id'),
  text('structure'),
  text('status'),
  text('name_fr'),
  text('attribute_fr'),
  text('border_fr'),
  text('unit_fr'),
  text('category_code'),
  text('contributor'),
  text('source'),
  text('location'),
  text('validity'),
  new Field('validity_year', new Int32(), true),
  number('total_kgco2e'),
  number('co2f'),
  number('ch4f'),
  number('ch4b'),
  number('n2o'),
  number('co2b'),
  text('post_type'),
  text('post_name_fr'),
]);

const label = (key: string, header: string) => ({ key, names: [] as string[], labels: [header] });
const gas = (key: string, name: string) => ({ key, names: [name], labels: [] as string[] });

const columnSpecs = [
  label('lineType', 'Type Ligne'),
  label('factorId', "Identifiant de l'élément"),
  label('structure', 'Structure'),
  label('status', "Statut de l'élément"),
  label('nameFr', 'Nom base français'),
  label('attributeFr', 'Nom attribut français'),
  label('borderFr', 'Nom frontière français'),
  label('unitFr', 'Unité français'),
  label('categoryCode', 'Code de la catégorie'),
  label('contributor', 'Contributeur'),
  label('source', 'Source'),
  label('location', 'Localisation géographique'),
  label('validity', 'Période de validité'),
  label('total', 'Total poste non décomposé'),
  gas('co2f', 'CO2f'),
  gas('ch4f', 'CH4f'),
  gas('ch4b', 'CH4b'),
  gas('n2o', 'N2O'),
  gas('co2b', 'CO2b'),
  label('postType', 'Type poste'),
  label('postNameFr', 'Nom poste français'),
];

/** SQL twin of `labelSkeleton`: 'Elément', 'El?ment' and 'ElÃ©ment' all give 'lmnt'. */
function skeletonSql(expression: string): string {
  return `regexp_replace(regexp_replace(strip_accents(lower(coalesce(${expression}, ''))),
    '[^a-z0-9]', '', 'g'), '[aeiouyc]', '', 'g')`;
}

/**
 * The year of a validity period written "Année 2022", "20/12/2021", "11/03/2024 00:00",
 * "Décembre 2017", "2026" (a four-digit year) or "déc-18", "31-mars-21" (two digits at the end).
 */
function validityYearSql(expression: string): string {
  const trimmed = `trim(${expression})`;
  return `CASE
    WHEN regexp_matches(${trimmed}, '\\b(19|20)\\d{2}\\b')
      THEN CAST(regexp_extract(${trimmed}, '\\b((19|20)\\d{2})\\b', 1) AS INTEGER)
    WHEN regexp_matches(${trimmed}, '[-.]\\s*(\\d{2})$')
      THEN 2000 + CAST(regexp_extract(${trimmed}, '(\\d{2})$', 1) AS INTEGER)
  END`;
}

export const baseCarbone: Connector<BaseCarboneParams> = {
  id: 'base-carbone',
  version: '1.2.0',
  domain: 'reference',
  description: 'ADEME Base Carbone emission factors, totals and their breakdown by post and gas',
  periodicity: 'snapshot',
  params,
  schema,
  check: (context, { url }) => checkUrl(context, url),
  discover: async () => singleStream('base-carbone', schema),
  read(context, { url }) {
    return withDatabase(async function* (connection) {
      const path = await downloadToWorkDir(context, url, 'base-carbone.csv');
      const csv = await openCsv(connection, { url, path }, { delimiter: ';', encoding: 'latin-1' });
      const column = resolveColumns(csv.header, columnSpecs, { file: url, line: csv.headerLine });
      const value = (key: string) => quoteIdentifier(column[key]!);

      const numbers = ['total', 'co2f', 'ch4f', 'ch4b', 'n2o', 'co2b'].map(
        (key): NumberColumn => ({ column: column[key]!, type: 'DOUBLE', decimalComma: true }),
      );
      const lineType = `CASE ${skeletonSql(value('lineType'))} WHEN 'lmnt' THEN 'element'
        WHEN 'pst' THEN 'post' END`;
      const texts = ['factorId', 'structure', 'status', 'nameFr', 'attributeFr', 'borderFr'];
      const moreTexts = ['unitFr', 'categoryCode', 'contributor', 'source', 'location', 'validity'];

      yield checkedCsvQuery(context, connection, csv, {
        select: selectList(schema, [
          lineType,
          ...[...texts, ...moreTexts].map(value),
          validityYearSql(value('validity')),
          ...numbers.map((item) => numberSql(item, [])),
          value('postType'),
          value('postNameFr'),
        ]),
        checks: [
          ...numberChecks(numbers, []),
          {
            column: column.lineType!,
            violationSql: `(${lineType}) IS NULL`,
            expected: 'the line type "Elément" or "Poste"',
          },
        ],
        async onRows(rows) {
          if (rows === 0) throw new ParseError(url, 'expected emission factors, found none');
          const unparsed = await connection.runAndReadAll(
            `SELECT DISTINCT ${value('validity')} FROM ${csv.relation}
             WHERE ${value('validity')} IS NOT NULL AND (${validityYearSql(value('validity'))}) IS NULL`,
          );
          for (const [validity] of unparsed.getRows()) {
            context.logger.warn(
              'validity period has no recognisable year; validity_year left empty',
              { source: context.sourceId, url, validity: String(validity) },
            );
          }
          context.logger.info('read Base Carbone factors', { source: context.sourceId, url, rows });
        },
      });
    });
  },
};
