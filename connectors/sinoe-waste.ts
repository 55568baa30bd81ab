import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { quoteIdentifier, quoteLiteral } from '../lib/duckdb.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { resolveColumns } from './support/columns.js';
import { checkedCsvQuery, openCsv, selectList } from './support/csv-query.js';
import { flagSql, notNegativeChecks, numberChecks, numberSql } from './support/csv-table.js';
import { withDatabase } from './support/database.js';
import { downloadToWorkDir } from './support/download.js';
import { requireVintage, urlParameter } from './support/params.js';

/**
 * ADEME SINOE: tonnes collected in recycling centres by waste type and treatment, by
 * département (UTF-8 with BOM, `,`, quoted strings, decimal point).
 */

const params = z.strictObject({
  url: urlParameter,
  /** Keep one département (`17`, `2A`, `971`); all of them when absent. */
  department: z.string().min(1).optional(),
});

export type SinoeWasteParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('year', new Int32(), true),
  new Field('region_code', new Utf8(), true),
  new Field('department_code', new Utf8(), true),
  new Field('department_name', new Utf8(), true),
  new Field('waste_code', new Utf8(), true),
  new Field('waste_label', new Utf8(), true),
  new Field('treatment_code', new Utf8(), true),
  new Field('treatment_label', new Utf8(), true),
  new Field('tonnes', new Float64(), true),
  new Field('tonnes_flag', new Utf8(), true),
]);

const columnSpecs = [
  { key: 'year', names: ['ANNEE'] },
  { key: 'regionCode', names: ['C_REGION'] },
  { key: 'departmentCode', names: ['C_DEPT'] },
  { key: 'departmentName', names: ['N_DEPT'] },
  { key: 'wasteCode', names: ['C_TYP_REG_DECHET'] },
  { key: 'wasteLabel', names: ['L_TYP_REG_DECHET'] },
  { key: 'treatmentCode', names: ['C_TYP_REG_SERVICE'] },
  { key: 'treatmentLabel', names: ['L_TYP_REG_SERVICE'] },
  { key: 'tonnes', names: ['TONNAGE_DECH'] },
] as const;

const sentinels = ['secret', 'nd'];

export const sinoeWaste: Connector<SinoeWasteParams> = {
  id: 'sinoe-waste',
  version: '1.2.0',
  domain: 'waste',
  description: 'ADEME SINOE tonnes collected in recycling centres by waste type and treatment',
  periodicity: 'annual',
  params,
  schema,
  check: (context, { url }) => checkUrl(context, url),
  discover: async () => singleStream('sinoe-waste', schema),
  read(context, { url, department }, request) {
    return withDatabase(async function* (connection) {
      const vintage = requireVintage(context.sourceId, request.vintage);
      const path = await downloadToWorkDir(context, url, 'sinoe.csv');
      const csv = await openCsv(connection, { url, path }, { delimiter: ',' });
      const column = resolveColumns(csv.header, columnSpecs, { file: url, line: csv.headerLine });
      const text = (key: keyof typeof column) => quoteIdentifier(column[key]);
      const tonnes = { column: column.tonnes, type: 'DOUBLE' } as const;
      const departmentFilter =
        department === undefined
          ? ''
          : `AND trim(${text('departmentCode')}) = ${quoteLiteral(department)}`;
      const landed = `CAST(trim(${text('year')}) AS INTEGER) = ${vintage} ${departmentFilter}`;

      yield checkedCsvQuery(context, connection, csv, {
        select: selectList(schema, [
          `trim(${text('year')})`,
          ...(['regionCode', 'departmentCode', 'departmentName', 'wasteCode'] as const).map(text),
          ...(['wasteLabel', 'treatmentCode', 'treatmentLabel'] as const).map(text),
          numberSql(tonnes, sentinels),
          flagSql(column.tonnes),
        ]),
        checks: [
          ...numberChecks([{ column: column.year, type: 'INTEGER' }, tonnes], sentinels),
          ...notNegativeChecks([tonnes], sentinels, landed),
        ],
        where: landed,
        onRows(rows) {
          if (rows === 0) {
            const where = department === undefined ? '' : ` for département ${department}`;
            throw new ParseError(url, `expected rows of year ${vintage}${where}, found none`);
          }
          context.logger.info('read SINOE tonnages', {
            source: context.sourceId,
            vintage,
            department,
            rows,
          });
        },
      });
    });
  },
};
