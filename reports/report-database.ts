import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EditionManifest } from '../activities/editions.js';
import { quoteLiteral } from '../lib/duckdb.js';
import { errorMessage, ReportError } from '../lib/errors.js';
import { changeTables, createChangeTables, type PreviousEdition } from './changes.js';
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
}

export interface ReportDatabase {
  connection: DuckDBConnection;
  lineage: EditionLineage;
  /** Tables the caller created beside the edition's, for the audience's rule. */
  reportTables: string[];
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
    await createChangeTables(connection, options.previous);

    const lineage = await readEditionLineage(connection);
    for (const [table, readsFrom] of Object.entries(changeTables)) lineage.define(table, readsFrom);

    // Day counts and dates read the same on every machine.
    await connection.run("set TimeZone = 'UTC'");
    // Cells read what is attached; no file, no extension download, no other database.
    await connection.run('set enable_external_access = false');
    await connection.run('set lock_configuration = true');
    return {
      connection,
      lineage,
      reportTables: ['report_edition', 'edition_exclusions', ...Object.keys(changeTables)],
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
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
