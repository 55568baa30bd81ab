import type { DuckDBConnection } from '@duckdb/node-api';
import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { quoteIdentifier } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { type ColumnSpec, resolveColumns } from './support/columns.js';
import {
  assertNotNegative,
  assertNoViolation,
  assertNumbers,
  type CsvTable,
  flagSql,
  isSentinelSql,
  loadCsvTable,
  type NumberColumn,
  numberSql,
} from './support/csv-table.js';
import { countRows, streamWithHeartbeat, withDatabase } from './support/database.js';
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
  version: '1.1.0',
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
      const table = await loadCsvTable(connection, { url, path, table: 'ore' }, { delimiter: ';' });
      const column = resolveColumns(table.header, columnSpecs, {
        file: url,
        line: table.headerLine,
      });
      const text = (key: string) => quoteIdentifier(column[key]!);
      context.heartbeat({ loaded: url });

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
      await assertNumbers(connection, table, [{ column: column.year!, type: 'INTEGER' }], []);
      await assertNumbers(connection, table, numbers, sentinels);
      const energySql = `CASE WHEN strip_accents(lower(trim(${text('energy')}))) LIKE 'electricit%'
        THEN 'electricity' WHEN lower(trim(${text('energy')})) = 'gaz' THEN 'gas' END`;
      await assertNoViolation(connection, table, {
        column: column.energy!,
        violationSql: `(${energySql}) IS NULL`,
        expected: 'the energy "Electricité" or "Gaz"',
      });

      const inVintage = `CAST(trim(${text('year')}) AS INTEGER) = ${vintage}`;
      await assertNotNegative(connection, table, quantities, sentinels, inVintage);
      await checkSectorsSum(connection, table, column, inVintage);

      const consumption = (suffix: string) => ({
        column: column[`conso_${suffix}`]!,
        type: 'DOUBLE' as const,
      });
      const parts = sectors.map(
        ({ sector, suffix }, order) => `SELECT rowid AS record, ${order} AS sector_order,
          ${text('operator')} AS operator, CAST(trim(${text('year')}) AS INTEGER) AS year,
          ${energySql} AS energy, ${text('communeCode')} AS commune_code,
          ${text('communeName')} AS commune_name, ${text('epciCode')} AS epci_code,
          ${text('departmentCode')} AS department_code, '${sector}' AS sector,
          ${numberSql(consumption(suffix), sentinels)} AS consumption_mwh,
          ${numberSql({ column: column[`points_${suffix}`]!, type: 'INTEGER' }, sentinels)} AS delivery_points,
          ${numberSql({ column: column[`masked_${suffix}`]!, type: 'INTEGER' }, sentinels)} AS masked_cells,
          ${numberSql({ column: column[`quality_${suffix}`]!, type: 'DOUBLE' }, sentinels)} AS quality_index,
          ${flagSql(column[`conso_${suffix}`]!)} AS consumption_flag
        FROM ore WHERE ${inVintage}`,
      );
      const sql = `SELECT operator, year, energy, commune_code, commune_name, epci_code,
          department_code, sector, consumption_mwh, delivery_points, masked_cells, quality_index,
          consumption_flag
        FROM (${parts.join(' UNION ALL ')}) ORDER BY record, sector_order`;

      const rows = await countRows(connection, sql);
      if (rows === 0) throw new ParseError(url, `expected rows of year ${vintage}, found none`);
      context.logger.info('read ORE consumption by commune', {
        source: context.sourceId,
        url,
        vintage,
        rows,
      });
      yield* streamWithHeartbeat(context, connection, sql, schema);
    });
  },
};

/**
 * Fails on the first commune whose sectors do not add up to its total. Communes where a sector
 * or the total is masked are left out: their sum is not meant to match.
 */
async function checkSectorsSum(
  connection: DuckDBConnection,
  table: CsvTable,
  column: Record<string, string>,
  inVintage: string,
): Promise<void> {
  const sectorColumns = sectors.map(({ suffix }) => column[`conso_${suffix}`]!);
  const published = [...sectorColumns, column.total!]
    .map((name) => `NOT ${isSentinelSql(name, sentinels)}`)
    .join(' AND ');
  const sum = sectorColumns.map((name) => `CAST(${quoteIdentifier(name)} AS DOUBLE)`).join(' + ');
  const total = `CAST(${quoteIdentifier(column.total!)} AS DOUBLE)`;
  const result = await connection.runAndReadAll(
    `SELECT rowid, ${quoteIdentifier(column.communeCode!)}, ${sum}, ${total} FROM ore
     WHERE ${inVintage} AND ${published} AND abs(${sum} - ${total}) > ${toleranceMwh}
     ORDER BY rowid LIMIT 1`,
  );
  const row = result.getRows()[0];
  if (row === undefined) return;
  throw new ParseError(
    table.url,
    `expected the sectors of commune ${String(row[1])} to add up to its total within ` +
      `${toleranceMwh} MWh, found ${String(row[2])} MWh for a total of ${String(row[3])} MWh`,
    { line: await table.lineOf(Number(row[0])), field: column.total! },
  );
}
