import { Field, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import type { Connector } from '../../connectors/contract.js';
import { checkUrl, singleStream } from '../../connectors/support/checks.js';
import { resolveColumns } from '../../connectors/support/columns.js';
import { checkedCsvQuery, openCsv, selectList } from '../../connectors/support/csv-query.js';
import {
  flagSql,
  isSentinelSql,
  numberChecks,
  numberSql,
} from '../../connectors/support/csv-table.js';
import { withDatabase } from '../../connectors/support/database.js';
import { downloadToWorkDir } from '../../connectors/support/download.js';
import { urlParameter } from '../../connectors/support/params.js';
import { quoteIdentifier } from '../../lib/duckdb.js';
import { ParseError } from '../../lib/errors.js';

/**
 * Half-hourly load curves of delivery points (`id_prm;horodate;valeur_w`, see
 * `bench/generate/load-curve.ts`), one output row per site and half-hour. Written for the
 * benchmarks the way the shipped connectors are: DuckDB reads the file in place, every value
 * checked in the statement that writes the partition. The URL may hold `{period}`, for one
 * file per day.
 */

const params = z.object({ url: urlParameter });

export type LoadCurveParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('site_id', new Utf8(), true),
  // The contract's value conversion knows no timestamp type: the instant stays ISO 8601 text
  // with its offset, which sorts and groups by local day or month as it is.
  new Field('measured_at', new Utf8(), true),
  new Field('power_w', new Int32(), true),
  new Field('power_flag', new Utf8(), true),
]);

const columnSpecs = [
  { key: 'site', names: ['id_prm'] },
  { key: 'measuredAt', names: ['horodate'] },
  { key: 'power', names: ['valeur_w'] },
] as const;

const periodPattern = /^\d{4}(-\d{2}-\d{2})?$/;

export const loadCurve: Connector<LoadCurveParams> = {
  id: 'enedis-load-curve',
  version: '0.2.0',
  domain: 'energy',
  description: 'Half-hourly load curves of delivery points (benchmark connector)',
  periodicity: 'annual',
  params,
  schema,
  check: (context, { url }) => checkUrl(context, url.replaceAll('{period}', '2023')),
  discover: async () => singleStream('enedis-load-curve', schema),
  read(context, { url: template }, request) {
    return withDatabase(async function* (connection) {
      if (!periodPattern.test(request.period)) {
        throw new ParseError(
          template,
          `expected a period YYYY or YYYY-MM-DD, got ${request.period}`,
        );
      }
      const url = template.replaceAll('{period}', request.period);
      const path = await downloadToWorkDir(context, url, 'load-curve.csv');
      const csv = await openCsv(connection, { url, path }, { delimiter: ';' });
      const column = resolveColumns(csv.header, columnSpecs, { file: url, line: csv.headerLine });
      const text = (key: keyof typeof column) => quoteIdentifier(column[key]);
      const power = { column: column.power, type: 'INTEGER' } as const;

      yield checkedCsvQuery(context, connection, csv, {
        select: selectList(schema, [
          `trim(${text('site')})`,
          `trim(${text('measuredAt')})`,
          numberSql(power, []),
          flagSql(column.power),
        ]),
        checks: [
          ...numberChecks([power], []),
          {
            column: column.measuredAt,
            violationSql: `${isSentinelSql(column.measuredAt, [])}
              OR TRY_CAST(trim(${text('measuredAt')}) AS TIMESTAMPTZ) IS NULL`,
            expected: 'an ISO 8601 instant with its offset',
          },
        ],
        onRows(rows) {
          if (rows === 0) throw new ParseError(url, 'expected readings, found none');
          context.logger.info('read load curves', { source: context.sourceId, url, rows });
        },
      });
    });
  },
};
