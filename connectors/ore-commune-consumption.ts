import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { quoteIdentifier, quoteLiteral } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { type ColumnSpec, resolveColumns } from './support/columns.js';
import { checkedCsvQuery, openCsv, selectList } from './support/csv-query.js';
import {
  flagSql,
  isSentinelSql,
  type NumberColumn,
  notNegativeChecks,
  numberChecks,
  numberSql,
  type ValueCheck,
} from './support/csv-table.js';
import { withDatabase } from './support/database.js';
import { downloadToWorkDir } from './support/download.js';
import { odsExportUrl, refineParameter, requireVintage, urlParameter } from './support/params.js';

/**
 * Agence ORE annual electricity and gas consumption by sector, aggregated by commune, from an
 * Opendatasoft CSV export; one output row per commune and sector (long format).
 */

const params = z.strictObject({
  baseUrl: urlParameter,
  dataset: z.string().min(1),
  refine: refineParameter,
  /** Ask the export for labels instead of field names; both headers are understood. */
  useLabels: z.boolean().default(false),
});

export type OreCommuneConsumptionParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('operator', new Utf8(), true),
  new Field('year', new Int32(), true),
  new Field('energy', new Utf8(), true),
  new Field('commune_code', new Utf8(), true),
  new Field('commune_name', new Utf8(), true),
  new Field('epci_code', new Utf8(), true),
  new Field('department_code', new Utf8(), true),
  new Field('sector', new Utf8(), true),
  new Field('consumption_mwh', new Float64(), true),
  new Field('delivery_points', new Int32(), true),
  new Field('masked_cells', new Int32(), true),
  new Field('quality_index', new Float64(), true),
  new Field('consumption_flag', new Utf8(), true),
]);

/** The five sectors: output name, suffix of the machine names, word of the labels. */
const sectors = [
  {
    sector: 'agriculture',
    suffix: 'a',
    word: 'Agriculture',
    quality: 'Indique qualité Agriculture',
  },
  { sector: 'industry', suffix: 'i', word: 'Industrie', quality: 'Indice qualité Industrie' },
  { sector: 'tertiary', suffix: 't', word: 'Tertiaire', quality: 'Indice qualité Tertiaire' },
  {
    sector: 'residential',
    suffix: 'r',
    word: 'Résidentiel',
    quality: 'Indice qualité Résidentiel',
  },
  {
    sector: 'unknown',
    suffix: 'na',
    word: 'Secteur Inconnu',
    quality: 'Indice qualité Non Affecté',
  },
] as const;

const sectorSpecs: ColumnSpec[] = sectors.flatMap(({ suffix, word, quality }) => [
  { key: `conso_${suffix}`, names: [`conso${suffix}`], labels: [`Consommation ${word} (MWh)`] },
  { key: `points_${suffix}`, names: [`pdl${suffix}`], labels: [`Nombre de points ${word}`] },
  {
    key: `masked_${suffix}`,
    names: [`nombre_maille_secretisees_${suffix}`],
    labels: [`Nombre de mailles secretisées (${word.toLowerCase()})`],
  },
  {
    key: `quality_${suffix}`,
    names: [`indqualite${suffix}`],
    labels: [quality, quality.replace('Indique', 'Indice')],
  },
]);

const columnSpecs: ColumnSpec[] = [
  { key: 'operator', names: ['operateur'], labels: ['Opérateur'] },
  { key: 'year', names: ['annee'], labels: ['Année'] },
  { key: 'energy', names: ['filiere'], labels: ['Filière'] },
  { key: 'communeCode', names: ['code_commune'], labels: ['Code Commune'] },
  { key: 'communeName', names: ['libelle_commune'], labels: ['Libellé Commune'] },
  { key: 'epciCode', names: ['code_epci'], labels: ['Code EPCI'] },
  { key: 'departmentCode', names: ['code_departement'], labels: ['Code Département'] },
  { key: 'total', names: ['consototale'], labels: ['Consommation totale (MWh)'] },
  ...sectorSpecs,
];

const sentinels = ['secret', 'nd'];
// Sectors are published rounded to the hundredth of a MWh at most.
const toleranceMwh = 0.01;

export const oreCommuneConsumption: Connector<OreCommuneConsumptionParams> = {
  id: 'ore-commune-consumption',
  version: '1.2.0',
  domain: 'energy',
  description: 'Agence ORE electricity and gas consumption by commune and sector',
  periodicity: 'annual',
  params,
  schema,
  check: (context, parameters) =>
    checkUrl(context, odsExportUrl(parameters.baseUrl, parameters.dataset, 'csv', parameters)),
  discover: async () => singleStream('ore-commune-consumption', schema),
  read(context, parameters, request) {
    return withDatabase(async function* (connection) {
      const vintage = requireVintage(context.sourceId, request.vintage);
      const url = odsExportUrl(parameters.baseUrl, parameters.dataset, 'csv', parameters);
      const path = await downloadToWorkDir(context, url, 'ore-commune.csv');
      const csv = await openCsv(connection, { url, path }, { delimiter: ';' });
      const column = resolveColumns(csv.header, columnSpecs, { file: url, line: csv.headerLine });
      const text = (key: string) => quoteIdentifier(column[key]!);

      // Amounts and counts, which cannot be negative; the quality index is a score.
      const quantities: NumberColumn[] = [
        { column: column.total!, type: 'DOUBLE' },
        ...sectors.flatMap(({ suffix }): NumberColumn[] => [
          { column: column[`conso_${suffix}`]!, type: 'DOUBLE' },
          { column: column[`points_${suffix}`]!, type: 'INTEGER' },
          { column: column[`masked_${suffix}`]!, type: 'INTEGER' },
        ]),
      ];
      const numbers: NumberColumn[] = [
        ...quantities,
        ...sectors.map(
          ({ suffix }): NumberColumn => ({
            column: column[`quality_${suffix}`]!,
            type: 'DOUBLE',
          }),
        ),
      ];
      const energySql = `CASE WHEN strip_accents(lower(trim(${text('energy')}))) LIKE 'electricit%'
        THEN 'electricity' WHEN lower(trim(${text('energy')})) = 'gaz' THEN 'gas' END`;
      const inVintage = `CAST(trim(${text('year')}) AS INTEGER) = ${vintage}`;

      // One output row per sector, in the sectors' order after each record: the lists of a
      // select list unnest side by side.
      const perSector = (value: (suffix: string) => string) =>
        `unnest([${sectors.map(({ suffix }) => value(suffix)).join(', ')}])`;
      const sectorNumber = (key: string, type: NumberColumn['type']) =>
        perSector((suffix) => numberSql({ column: column[`${key}_${suffix}`]!, type }, sentinels));
      yield checkedCsvQuery(context, connection, csv, {
        select: selectList(schema, [
          text('operator'),
          `trim(${text('year')})`,
          energySql,
          ...['communeCode', 'communeName', 'epciCode', 'departmentCode'].map(text),
          `unnest([${sectors.map(({ sector }) => quoteLiteral(sector)).join(', ')}])`,
          sectorNumber('conso', 'DOUBLE'),
          sectorNumber('points', 'INTEGER'),
          sectorNumber('masked', 'INTEGER'),
          sectorNumber('quality', 'DOUBLE'),
          perSector((suffix) => flagSql(column[`conso_${suffix}`]!)),
        ]),
        checks: [
          ...numberChecks([{ column: column.year!, type: 'INTEGER' }], []),
          ...numberChecks(numbers, sentinels),
          {
            column: column.energy!,
            violationSql: `(${energySql}) IS NULL`,
            expected: 'the energy "Electricité" or "Gaz"',
          },
          ...notNegativeChecks(quantities, sentinels, inVintage),
          sectorsSumCheck(column, inVintage),
        ],
        where: inVintage,
        onRows(rows) {
          if (rows === 0) throw new ParseError(url, `expected rows of year ${vintage}, found none`);
          context.logger.info('read ORE consumption by commune', {
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

/**
 * The check that a commune's sectors add up to its total. Communes where a sector or the total
 * is masked are left out: their sum is not meant to match.
 */
function sectorsSumCheck(column: Record<string, string>, inVintage: string): ValueCheck {
  const sectorColumns = sectors.map(({ suffix }) => column[`conso_${suffix}`]!);
  const published = [...sectorColumns, column.total!]
    .map((name) => `NOT ${isSentinelSql(name, sentinels)}`)
    .join(' AND ');
  const sum = sectorColumns.map((name) => `CAST(${quoteIdentifier(name)} AS DOUBLE)`).join(' + ');
  const total = `CAST(${quoteIdentifier(column.total!)} AS DOUBLE)`;
  return {
    column: column.total!,
    violationSql: `${inVintage} AND ${published} AND abs(${sum} - ${total}) > ${toleranceMwh}`,
    expected: `the sectors to add up to the total within ${toleranceMwh} MWh`,
    problemSql: `'expected the sectors of commune ' || ${quoteIdentifier(column.communeCode!)}
      || ' to add up to its total within ${toleranceMwh} MWh, found '
      || CAST(${sum} AS VARCHAR) || ' MWh for a total of ' || CAST(${total} AS VARCHAR) || ' MWh'`,
  };
}
