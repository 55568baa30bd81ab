import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from '../lib/duckdb.js';
import { ReportError } from '../lib/errors.js';
import { defaultModelsDir, orderModels } from '../models/runner.js';
import { queryReads } from './engine/sql-tables.js';
import type { SourcePartition } from './engine/types.js';

/**
 * Which lake partitions feed each table of an inventory edition. A raw table holds the rows of
 * the partitions it was copied from (its `source_id`, `period` and `run_id` columns); a model
 * holds what the tables its SQL reads hold; the catalog table `partitions` describes every
 * partition of the edition. Project declarations (territory, sources, factors chosen,
 * targets) come from the project file and feed no partition.
 */

export interface EditionLineage {
  /** The partitions behind `tables`, once each, in source, period and run order. */
  sourcesOf(tables: readonly string[]): SourcePartition[];
  /** Adds a table that the report's connection creates, fed by what `readsFrom` holds. */
  define(table: string, readsFrom: readonly string[]): void;
}

const catalogTables = new Set(['partitions']);

/** Reads the lineage of the edition `connection` is on, through the models of `modelsDir`. */
export async function readEditionLineage(
  connection: DuckDBConnection,
  modelsDir = defaultModelsDir,
): Promise<EditionLineage> {
  const existing = new Set(
    (
      await connection.runAndReadAll(
        `select table_name from information_schema.tables
         where table_catalog = current_database() and table_schema = 'main'`,
      )
    )
      .getRowObjectsJS()
      .map((row) => String(row.table_name)),
  );

  const partitions = await editionPartitions(connection, existing);
  const direct = new Map<string, SourcePartition[]>();
  for (const table of existing) {
    if (catalogTables.has(table)) direct.set(table, partitions);
    if (table.startsWith('raw_')) direct.set(table, await rawPartitions(connection, table));
  }

  // TODO(reports): the model graph is read from the models of this code version; an edition
  // built by other models with the same table names would be traced through these ones.
  const reads = new Map<string, string[]>();
  for (const model of orderModels(connection, modelsDir)) {
    if (!existing.has(model.name)) continue;
    // A model built in TypeScript declares what it reads; a SQL model's query says it.
    if (model.sql === undefined) {
      reads.set(model.name, model.dependsOn);
      continue;
    }
    const read = await queryReads(connection, model.sql);
    if (read === undefined) {
      throw new ReportError(model.file, 'cannot list the tables this model reads for provenance');
    }
    reads.set(model.name, read.tables.map(unqualified));
  }

  const resolved = new Map<string, SourcePartition[]>();
  const resolve = (table: string, path: readonly string[]): SourcePartition[] => {
    const known = resolved.get(table);
    if (known !== undefined) return known;
    if (path.includes(table)) return [];
    const own = direct.get(table) ?? [];
    const upstream = (reads.get(table) ?? []).flatMap((name) => resolve(name, [...path, table]));
    const result = ordered([...own, ...upstream]);
    resolved.set(table, result);
    return result;
  };

  return {
    sourcesOf: (tables) => ordered(tables.flatMap((table) => resolve(unqualified(table), []))),
    define(table, readsFrom) {
      reads.set(table, readsFrom.map(unqualified));
      resolved.clear();
    },
  };
}

function unqualified(table: string): string {
  return table.split('.').at(-1)!.toLowerCase();
}

function ordered(partitions: readonly SourcePartition[]): SourcePartition[] {
  const byKey = new Map(partitions.map((item) => [`${item.sourceId} ${item.period}`, item]));
  return [...byKey.values()].sort(
    (a, b) => a.sourceId.localeCompare(b.sourceId) || a.period.localeCompare(b.period),
  );
}

async function editionPartitions(
  connection: DuckDBConnection,
  existing: ReadonlySet<string>,
): Promise<SourcePartition[]> {
  if (!existing.has('partitions')) return [];
  const rows = (
    await connection.runAndReadAll(
      'select source_id, period, run_id, sha256 from partitions order by source_id, period',
    )
  ).getRowObjectsJS();
  return rows.map((row) => ({
    sourceId: String(row.source_id),
    period: String(row.period),
    runId: String(row.run_id),
    sha256: String(row.sha256),
  }));
}

/** The partitions a raw table's rows were copied from, with their checksums. */
async function rawPartitions(
  connection: DuckDBConnection,
  table: string,
): Promise<SourcePartition[]> {
  const rows = (
    await connection.runAndReadAll(
      `select distinct r.source_id, r.period, r.run_id, p.sha256
       from ${quoteIdentifier(table)} as r
       left join partitions as p
         on p.source_id = r.source_id and p.period = r.period and p.run_id = r.run_id
       order by r.source_id, r.period`,
    )
  ).getRowObjectsJS();
  return rows.map((row) => ({
    sourceId: String(row.source_id),
    period: String(row.period),
    runId: String(row.run_id),
    sha256: row.sha256 === null ? '' : String(row.sha256),
  }));
}
