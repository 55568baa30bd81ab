import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { AnyConnector } from '../connectors/contract.js';
import { openDatabase, quoteIdentifier } from '../lib/duckdb.js';
import { createRawTables, rawTableName } from './raw.js';
import {
  buildModel,
  defaultModelsDir,
  defineMacros,
  type OrderedModel,
  orderModels,
} from './runner.js';
import { type SelectedPartition, writeSeeds } from './seeds.js';

/**
 * Which GPC sub-sectors a source the cycle could not collect (failed, or skipped for want of
 * a vintage) would have fed, so that the figures of those sub-sectors say they are incomplete.
 *
 * The rule: when the source landed a partition before (another period, or an earlier run of
 * this one), its connector's staging models run on that partition alone, in a scratch
 * database, and the GPC references its rows take there are the sub-sectors it feeds. When it
 * never landed anything, `missing_source_subsectors.sql` falls back on the source's domain:
 * every sub-sector of GPC sector I (energy), II (transport) or III (waste); a reference or
 * territory source feeds none.
 */

export interface MissingSource {
  sourceId: string;
  state: 'failed' | 'skipped';
  reason: string;
}

export interface MissingSourceCoverage extends MissingSource {
  /** The earlier partition its staging models ran on; absent when it never landed one. */
  footprint?: { period: string; runId: string; sha256: string } | undefined;
  /** The GPC references its rows take; null when it never landed a partition. */
  stagedGpcRefs: string[] | null;
}

export interface CoverageOptions {
  project: Project;
  reportingYear: number;
  connectors: ReadonlyMap<string, AnyConnector>;
  modelsDir?: string;
}

/** The models needed to build `targets`, in the runner's order. */
function withDependencies(ordered: readonly OrderedModel[], targets: readonly string[]) {
  const byName = new Map(ordered.map((model) => [model.name, model]));
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name) || !byName.has(name)) return;
    needed.add(name);
    for (const dependency of byName.get(name)!.dependsOn) visit(dependency);
  };
  for (const target of targets) visit(target);
  return ordered.filter((model) => needed.has(model.name));
}

async function hasColumn(connection: DuckDBConnection, table: string, column: string) {
  const found = await connection.runAndReadAll(
    'select 1 from information_schema.columns where table_name = $1 and column_name = $2',
    [table, column],
  );
  return found.getRows().length > 0;
}

/** The GPC references the rows of `partition` take through its connector's staging models. */
export async function stagedGpcRefs(
  options: CoverageOptions,
  partition: SelectedPartition,
): Promise<string[]> {
  const modelsDir = options.modelsDir ?? defaultModelsDir;
  const source = options.project.sources.find((item) => item.id === partition.sourceId);
  if (source === undefined) return [];

  const database = await openDatabase();
  try {
    const { connection } = database;
    await writeSeeds(connection, {
      project: options.project,
      reportingYear: options.reportingYear,
      partitions: [partition],
    });
    const connectorOfSource = new Map(
      options.project.sources.map((item) => [item.id, item.connector]),
    );
    await createRawTables(connection, options.connectors, connectorOfSource, [partition]);
    await defineMacros(connection, modelsDir);

    // The staging models are those reading the connector's raw table directly.
    const raw = rawTableName(source.connector);
    const ordered = orderModels(connection, modelsDir);
    const staging = ordered.filter(
      (model) =>
        model.sql !== undefined && connection.getTableNames(model.sql, false).includes(raw),
    );
    for (const model of withDependencies(
      ordered,
      staging.map((item) => item.name),
    )) {
      await buildModel(connection, model);
    }

    const refs = new Set<string>();
    for (const model of staging) {
      // A registry's staging model (factors) has no GPC reference: it feeds no sub-sector.
      if (!(await hasColumn(connection, model.name, 'gpc_ref'))) continue;
      const rows = await connection.runAndReadAll(
        `select distinct gpc_ref from ${quoteIdentifier(model.name)}
         where source_id = $1 and gpc_ref is not null order by gpc_ref`,
        [partition.sourceId],
      );
      for (const [gpcRef] of rows.getRows()) refs.add(String(gpcRef));
    }
    return [...refs].sort();
  } finally {
    database.close();
  }
}

/**
 * The coverage of each missing source: staged from `footprints[sourceId]` (its latest earlier
 * partition) when there is one, else left to the domain rule of the models.
 */
export async function missingSourceCoverage(
  options: CoverageOptions,
  missing: readonly MissingSource[],
  footprints: ReadonlyMap<string, SelectedPartition>,
): Promise<MissingSourceCoverage[]> {
  const coverage: MissingSourceCoverage[] = [];
  for (const item of [...missing].sort((a, b) => a.sourceId.localeCompare(b.sourceId))) {
    const footprint = footprints.get(item.sourceId);
    coverage.push({
      sourceId: item.sourceId,
      state: item.state,
      reason: item.reason,
      footprint: footprint && {
        period: footprint.period,
        runId: footprint.manifest.runId,
        sha256: footprint.manifest.sha256,
      },
      stagedGpcRefs: footprint ? await stagedGpcRefs(options, footprint) : null,
    });
  }
  return coverage;
}
