import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EditionManifest } from '../activities/editions.js';
import { quoteIdentifier, quoteLiteral } from '../lib/duckdb.js';
import { errorMessage, ReportError } from '../lib/errors.js';
import { descriptiveTables, maskedTablePrefix } from './audiences.js';
import { changeTables, createChangeTables, type PreviousEdition } from './changes.js';
import type { TableAccess } from './engine/index.js';
import { type EditionLineage, readEditionLineage } from './lineage.js';

/**
 * The connection a report renders on: the inventory edition attached read-only as the default
 * catalog, plus temporary tables the caller knows and the edition's database does not (the
 * edition's dates and exclusions, the comparison with the last issued edition). Once built,
 * the connection reaches no file: `read_parquet` and the like are refused.
 */

export interface ReportDatabaseOptions {
  databaseFile: string;
  edition: EditionManifest;
  /** Sources retrieved longer than this before the edition are reported as stale. */
  retrievalMaxAgeDays: number;
  previous: PreviousEdition | undefined;
  /**
   * The audience sees masked figures: each secrecy-applied table `public_x` stands in for
   * `x`, and the report may read nothing else that measures.
   */
  masked: boolean;
}

export interface ReportDatabase {
  connection: DuckDBConnection;
  lineage: EditionLineage;
  /** The tables the audience may read; undefined when it reads every table. */
  tableAccess: TableAccess | undefined;
  close(): void;
}

/** The latest retrieval among the edition's inputs: the data are as of then. */
export function dataCutoff(edition: EditionManifest): string | null {
  const times = edition.inputs.map((input) => input.retrievedAt).sort();
  return times.at(-1) ?? null;
}

/** Opens the report connection on `options.databaseFile`. */
export async function openReportDatabase(options: ReportDatabaseOptions): Promise<ReportDatabase> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };

  try {
    try {
      await connection.run(`attach ${quoteLiteral(options.databaseFile)} as inventory (read_only)`);
    } catch (error) {
      throw new ReportError(
        options.databaseFile,
        `cannot open the inventory edition: ${errorMessage(error)}`,
      );
    }
    await connection.run('use inventory');
    await createEditionTables(connection, options);
    const maskedTables = options.masked ? await shadowWithMaskedTables(connection) : [];
    await createChangeTables(connection, options.previous, { masked: options.masked });

    const lineage = await readEditionLineage(connection);
    for (const [table, readsFrom] of Object.entries(changeTables)) lineage.define(table, readsFrom);
    // A masked table stands in for the table of its name, and is made of the same partitions.

    // Day counts and dates read the same on every machine.
    await connection.run("set TimeZone = 'UTC'");
    // Cells read what is attached; no file, no extension download, no other database.
    await connection.run('set enable_external_access = false');
    await connection.run('set lock_configuration = true');
    const tableAccess: TableAccess | undefined = options.masked
      ? {
          allowed: new Set([
            ...descriptiveTables,
            ...Object.keys(changeTables),
            ...maskedTables,
            ...maskedTables.map((table) => `${maskedTablePrefix}${table}`),
          ]),
          audience: 'an audience that sees masked figures',
        }
      : undefined;
    return { connection, lineage, tableAccess, close };
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * Puts each secrecy-applied table in place of the table it masks, as a temporary view that
 * unqualified names find first; returns the names it stands in for.
 */
async function shadowWithMaskedTables(connection: DuckDBConnection): Promise<string[]> {
  const masked = (
    await connection.runAndReadAll(
      `select table_name from information_schema.tables
       where table_catalog = current_database() and table_schema = 'main'
         and starts_with(table_name, $1) order by table_name`,
      [maskedTablePrefix],
    )
  )
    .getRowObjectsJS()
    .map((row) => String(row.table_name));
  const shadowed = masked.map((table) => table.slice(maskedTablePrefix.length));
  for (const [index, table] of shadowed.entries()) {
    await connection.run(
      `create temp view ${quoteIdentifier(table)} as select * from inventory.main.${quoteIdentifier(masked[index]!)}`,
    );
  }
  return shadowed;
}

async function createEditionTables(
  connection: DuckDBConnection,
  options: ReportDatabaseOptions,
): Promise<void> {
  const { edition } = options;
  await connection.run(
    `create temp table report_edition (edition_id varchar, reporting_year integer,
       created_at timestamptz, cutoff_at timestamptz, code_version varchar,
       retrieval_max_age_days integer)`,
  );
  await connection.run(
    'insert into report_edition values ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6)',
    [
      edition.editionId,
      edition.reportingYear,
      edition.createdAt,
      dataCutoff(edition),
      edition.codeVersion,
      options.retrievalMaxAgeDays,
    ],
  );

  await connection.run(
    'create temp table edition_exclusions (source_id varchar, state varchar, reason varchar)',
  );
  const exclusions = [
    ...edition.failedSources.map((source) => [source.sourceId, 'failed', source.message]),
    ...edition.skippedSources.map((source) => [source.sourceId, 'skipped', source.reason]),
  ];
  for (const row of exclusions) {
    await connection.run('insert into edition_exclusions values ($1, $2, $3)', row);
  }
}
