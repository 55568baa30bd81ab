import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { commitPartition, sha256OfFile, stagingPath } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { createHttpClient } from '../../lib/http.js';
import type { Logger } from '../../lib/logger.js';
import { loadCurve } from '../connectors/load-curve.js';
import { loadBenchProject } from '../support/projects.js';
import { monthlyEnergySql } from './model.js';

/**
 * The prototype of the COPY ingest path, kept beside the pipeline as a floor for it: DuckDB
 * writes the partition from the downloaded file (`COPY … TO … (FORMAT parquet)`), the value
 * checks riding in the same pass as `error()` calls, without the collection activities (no
 * schema or row check of the staged file, no quarantine), and the model reads the partition in
 * place instead of a copy in the edition database.
 */

const csvRead = (path: string) =>
  `read_csv(${quoteLiteral(path)}, delim = ';', quote = '"', escape = '"', header = true,
    all_varchar = true, strict_mode = true, null_padding = false)`;

// The same conversions and checks as the connector's SQL, failing the statement on a bad value.
const selectSql = (path: string) => `select trim(id_prm) as site_id,
    case when try_cast(trim(horodate) as timestamptz) is null
      then error('horodate: expected an ISO 8601 instant, found ' || coalesce(horodate, 'nothing'))
      else trim(horodate) end as measured_at,
    case when valeur_w is null or trim(valeur_w) = '' then null
      when try_cast(trim(valeur_w) as integer) is null
      then error('valeur_w: expected an integer, found ' || valeur_w)
      else cast(trim(valeur_w) as integer) end as power_w,
    case when valeur_w is null or trim(valeur_w) = '' then 'empty' end as power_flag
  from ${csvRead(path)}`;

export async function landWithCopy(options: {
  project: string;
  work: string;
  sourceId: string;
  period: string;
  logger: Logger;
}) {
  const loaded = loadBenchProject(options.project);
  const source = loaded.project.sources.find((candidate) => candidate.id === options.sourceId)!;
  const lakeDir = join(options.work, loaded.project.project, 'lake');
  const scratch = join(options.work, 'scratch');
  await mkdir(scratch, { recursive: true });
  const workDir = await mkdtemp(join(scratch, 'copy-'));
  const stages: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    stages[name] = now - mark;
    mark = now;
  };

  const http = createHttpClient({ source: source.id, logger: options.logger });
  const { path, resource } = await http.download(
    String((source.params as { url: string }).url),
    workDir,
    'load-curve.csv',
  );
  lap('download');

  const staged = await stagingPath(lakeDir);
  const database = await openDatabase();
  let rows: number;
  try {
    const copied = await database.connection.runAndReadAll(
      `copy (${selectSql(path)}) to ${quoteLiteral(staged)}
        (format parquet, compression zstd, row_group_size 1000000)`,
    );
    rows = Number(copied.getRows()[0]?.[0] ?? 0);
  } finally {
    database.close();
  }
  lap('duckdbCopyToParquet');

  const sha256 = await sha256OfFile(staged);
  const manifest = await commitPartition(
    lakeDir,
    { path: staged, sha256 },
    {
      source: source.id,
      period: options.period,
      runId: randomUUID(),
      workflowId: undefined,
      connector: { id: loadCurve.id, version: loadCurve.version },
      rows,
      bytes: resource.bytes,
      sha256,
      schema: loadCurve.schema.fields.map((field) => ({
        name: field.name,
        type: String(field.type),
        nullable: field.nullable,
      })),
      retrievedAt: new Date().toISOString(),
      resources: http.resources,
      producer: source.producer,
      licence: source.licence,
      access: source.access,
      standIn: undefined,
    },
  );
  await rm(workDir, { recursive: true, force: true });
  lap('hashAndCommit');

  const edition = await openDatabase(join(options.work, 'edition.duckdb'));
  let modelRows: number;
  try {
    const partition = `read_parquet(${quoteLiteral(join(lakeDir, manifest.file))})`;
    await edition.connection.run(
      `create table load_curve_monthly as ${monthlyEnergySql(partition)}`,
    );
    const count = await edition.connection.runAndReadAll('select count(*) from load_curve_monthly');
    modelRows = Number(count.getRows()[0]![0]);
  } finally {
    edition.close();
  }
  lap('modelOverPartition');
  return { stages, rows, modelRows, sha256 };
}
