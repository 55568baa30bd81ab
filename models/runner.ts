import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { AnyConnector } from '../connectors/contract.js';
import { quoteIdentifier } from '../lib/duckdb.js';
import { errorMessage, ModelError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { type ComputedModel, computedModels } from './computed.js';
import type { MissingSourceCoverage } from './coverage.js';
import { createRawTables } from './raw.js';
import { type SelectedPartition, writeSeeds } from './seeds.js';
import type { BaselineInput } from './seeds-method.js';

/**
 * Runs the SQL models: each `models/<table>.sql` is one SELECT that produces the table of its
 * name. Dependencies are read from the tables each query names, so the order follows the SQL.
 * Models computed in TypeScript (`computed.ts`) take their place in the same order; macros in
 * `models/macros/` are defined first. Then every `models/checks/<check>.sql` runs; any row it
 * returns is a failure.
 */

export const defaultModelsDir = fileURLToPath(new URL('.', import.meta.url));

export interface SqlModel {
  name: string;
  file: string;
  sql: string;
  dependsOn: string[];
}

export type OrderedModel = SqlModel | (ComputedModel & { sql?: undefined });

export interface ModelRunOptions {
  connection: DuckDBConnection;
  project: Project;
  reportingYear: number;
  partitions: readonly SelectedPartition[];
  connectors: ReadonlyMap<string, AnyConnector>;
  logger: Logger;
  modelsDir?: string;
  /** The reference year's total when it comes from another edition; the declaration if absent. */
  baseline?: BaselineInput;
  /** Sources the cycle could not collect, with the sub-sectors they feed (`coverage.ts`). */
  missingSources?: readonly MissingSourceCoverage[];
}

export interface ModelRunSummary {
  models: { name: string; rows: number; durationMs: number }[];
}

function readSqlFiles(directory: string): { name: string; file: string; sql: string }[] {
  return readdirSync(directory)
    .filter((entry) => entry.endsWith('.sql'))
    .sort()
    .map((entry) => {
      const file = join(directory, entry);
      return { name: basename(entry, '.sql'), file, sql: readFileSync(file, 'utf8') };
    });
}

/** Orders models so that each runs after the models it reads; a cycle is an error. */
export function orderModels(
  connection: DuckDBConnection,
  directory: string,
  computed: readonly ComputedModel[] = computedModels,
): OrderedModel[] {
  const files = readSqlFiles(directory);
  const names = new Set([...files, ...computed].map((file) => file.name));
  const models = new Map<string, OrderedModel>();
  for (const model of computed) {
    models.set(model.name, {
      ...model,
      dependsOn: model.dependsOn.filter((name) => names.has(name)),
    });
  }
  for (const file of files) {
    let tables: readonly string[];
    try {
      tables = connection.getTableNames(file.sql, false);
    } catch (error) {
      throw new ModelError(file.file, `does not parse: ${errorMessage(error)}`);
    }
    const dependsOn = tables.filter((table) => names.has(table) && table !== file.name);
    models.set(file.name, { ...file, dependsOn });
  }

  const ordered: OrderedModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (model: OrderedModel, path: string[]) => {
    if (state.get(model.name) === 'done') return;
    if (state.get(model.name) === 'visiting') {
      throw new ModelError(
        model.file,
        `depends on itself through ${[...path, model.name].join(' → ')}`,
      );
    }
    state.set(model.name, 'visiting');
    for (const dependency of model.dependsOn) visit(models.get(dependency)!, [...path, model.name]);
    state.set(model.name, 'done');
    ordered.push(model);
  };
  for (const model of models.values()) visit(model, []);
  return ordered;
}

export async function runModels(options: ModelRunOptions): Promise<ModelRunSummary> {
  const { connection, logger } = options;
  const modelsDir = options.modelsDir ?? defaultModelsDir;

  await writeSeeds(connection, {
    project: options.project,
    reportingYear: options.reportingYear,
    partitions: options.partitions,
    baseline: options.baseline,
    missingSources: options.missingSources,
  });
  const connectorOfSource = new Map(
    options.project.sources.map((source) => [source.id, source.connector]),
  );
  await createRawTables(connection, options.connectors, connectorOfSource, options.partitions);
  await defineMacros(connection, modelsDir);

  const summary: ModelRunSummary = { models: [] };
  for (const model of orderModels(connection, modelsDir)) {
    const started = Date.now();
    await buildModel(connection, model);
    const count = await connection.runAndReadAll(
      `select count(*) from ${quoteIdentifier(model.name)}`,
    );
    const rows = Number(count.getRows()[0]?.[0] ?? 0);
    summary.models.push({ name: model.name, rows, durationMs: Date.now() - started });
    logger.debug('model built', { model: model.name, rows, durationMs: Date.now() - started });
  }

  await runChecks(connection, join(modelsDir, 'checks'));
  return summary;
}

/** Defines the macros the models call (`models/macros/*.sql`), before any model runs. */
export async function defineMacros(connection: DuckDBConnection, modelsDir: string) {
  const macrosDir = join(modelsDir, 'macros');
  for (const macro of existsSync(macrosDir) ? readSqlFiles(macrosDir) : []) {
    try {
      await connection.run(macro.sql);
    } catch (error) {
      throw new ModelError(macro.file, errorMessage(error), { cause: error });
    }
  }
}

/** Creates the table of one model, SQL or TypeScript; a failure names the model's file. */
export async function buildModel(connection: DuckDBConnection, model: OrderedModel) {
  try {
    if (model.sql === undefined) await model.build(connection);
    else {
      await connection.run(
        `create or replace table ${quoteIdentifier(model.name)} as ${model.sql}`,
      );
    }
  } catch (error) {
    throw new ModelError(model.file, errorMessage(error), { cause: error });
  }
}

async function runChecks(connection: DuckDBConnection, directory: string): Promise<void> {
  let checks: { name: string; file: string; sql: string }[];
  try {
    checks = readSqlFiles(directory);
  } catch {
    return;
  }
  for (const check of checks) {
    const result = await connection.runAndReadAll(check.sql);
    const failures = result.getRowObjectsJson();
    if (failures.length > 0) {
      // A check that words its own failure (one `problem` column) is read as written.
      const shown = failures
        .slice(0, 5)
        .map((row) => {
          const keys = Object.keys(row);
          return keys.length === 1 && keys[0] === 'problem'
            ? String(row.problem)
            : JSON.stringify(row);
        })
        .join('\n  ');
      throw new ModelError(
        check.file,
        `check ${check.name} found ${failures.length} failing row(s):\n  ${shown}`,
      );
    }
  }
}
