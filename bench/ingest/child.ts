import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCollectActivities } from '../../activities/collect.js';
import { loadSettings } from '../../config/settings.js';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import { openDatabase } from '../../lib/duckdb.js';
import { createLogger } from '../../lib/logger.js';
import { createRawTables, rawTableName } from '../../models/raw.js';
import { loadCurve } from '../connectors/load-curve.js';
import { ownMaxRssKb } from '../support/measure.js';
import { benchConnectors, loadBenchProject } from '../support/projects.js';
import { landWithCopy } from './copy-path.js';
import { bareReadSql, monthlyEnergySql } from './model.js';
import { profileStages } from './stages.js';

/**
 * One ingest candidate in a process of its own, so that its peak memory is its own. Prints one
 * JSON line: the duration of each stage and of the whole, and the rows it produced.
 *
 *   terreze  the collection activities (fetch → validate → land), then the raw table and model
 *   duckdb   DuckDB alone: read_csv of the local file and the same model SQL
 *   copy     the proposal: DuckDB reads the download and writes the partition with COPY
 *   stages   the terreze path taken apart, each stage timed on its own
 */

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    project: { type: 'string' },
    file: { type: 'string' },
    work: { type: 'string' },
  },
});
const mode = values.mode!;
const work = values.work!;
await mkdir(work, { recursive: true });
const logger = createLogger({ level: 'warn', format: 'pretty', metadata: { mode } });
const sourceId = 'load-curve';
const period = '2023';

async function modelOverRawTable(lakeDir: string): Promise<number> {
  const manifest = (await readCurrentManifest(lakeDir, sourceId, period))!;
  const database = await openDatabase(join(work, 'edition.duckdb'));
  try {
    await createRawTables(
      database.connection,
      benchConnectors,
      new Map([[sourceId, loadCurve.id]]),
      [
        {
          sourceId,
          period,
          vintage: 2023,
          manifest,
          absoluteFile: absolutePartitionFile(lakeDir, manifest),
        },
      ],
    );
    await database.connection.run(
      `create table load_curve_monthly as ${monthlyEnergySql(rawTableName(loadCurve.id))}`,
    );
    const count = await database.connection.runAndReadAll(
      'select count(*) from load_curve_monthly',
    );
    return Number(count.getRows()[0]![0]);
  } finally {
    database.close();
  }
}

async function runTerreze() {
  const settings = loadSettings({ ...process.env, TERREZE_HOME: work });
  const loaded = loadBenchProject(values.project!);
  const activities = createCollectActivities({
    settings,
    loaded,
    connectors: benchConnectors,
    logger,
  });
  const lakeDir = join(work, loaded.project.project, 'lake');
  const stages: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    stages[name] = now - mark;
    mark = now;
  };

  const staged = await activities.fetchSource({
    sourceId,
    period,
    vintage: 2023,
    runId: randomUUID(),
    workflowId: undefined,
  });
  lap('fetchSource');
  await activities.validatePartition(staged);
  lap('validatePartition');
  await activities.landPartition(staged);
  lap('landPartition');
  const modelRows = await modelOverRawTable(lakeDir);
  lap('rawTableAndModel');
  return { stages, rows: staged.rows, modelRows, parquetBytes: staged.bytes };
}

async function runBare() {
  const started = performance.now();
  const database = await openDatabase(join(work, 'edition.duckdb'));
  try {
    await database.connection.run(
      `create table load_curve_monthly as ${monthlyEnergySql(bareReadSql(values.file!))}`,
    );
    const count = await database.connection.runAndReadAll(
      'select count(*) from load_curve_monthly',
    );
    const modelRows = Number(count.getRows()[0]![0]);
    return { stages: { readCsvAndModel: performance.now() - started }, modelRows };
  } finally {
    database.close();
  }
}

const started = performance.now();
const outcome =
  mode === 'terreze'
    ? await runTerreze()
    : mode === 'duckdb'
      ? await runBare()
      : mode === 'copy'
        ? await landWithCopy({ project: values.project!, work, sourceId, period, logger })
        : await profileStages({ project: values.project!, work, sourceId, period, logger });
const durationMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ mode, durationMs, ...outcome, maxRssKb: ownMaxRssKb() })}\n`,
);
