import type { Audience, TableAccess } from './engine/index.js';
import type { ReportDatabase } from './report-database.js';

/**
 * Which tables each audience may read. A public edition reads only tables to which the
 * statistical-secrecy rule has been applied, and tables that describe the edition rather than
 * measure anything; committees read the inventory as it is.
 */

/** Tables that describe the edition (sources, partitions, dates, reference lists). */
const descriptiveTables = [
  'cycle',
  'territory',
  'targets',
  'gwp',
  'gpc_reference',
  'sources',
  'partitions',
  'report_edition',
  'edition_exclusions',
  'changes_since',
  'changes_partitions',
];

/** The rule for `audience` on `database`; undefined when the audience reads every table. */
export async function tableAccessFor(
  audience: Audience,
  database: ReportDatabase,
): Promise<TableAccess | undefined> {
  if (audience !== 'public') return undefined;
  const existing = (
    await database.connection.runAndReadAll(
      `select table_name from information_schema.tables
       where table_catalog = current_database() and table_schema = 'main'`,
    )
  )
    .getRowObjectsJS()
    .map((row) => String(row.table_name));
  const secrecyApplied = existing.filter((table) => table.startsWith('public_'));
  return {
    allowed: new Set([...descriptiveTables, ...secrecyApplied]),
    audience: 'a public edition',
  };
}
