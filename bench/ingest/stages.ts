import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { writeRead } from '../../activities/collect-write.js';
import { selectedStream } from '../../connectors/contract.js';
import { sha256OfFile } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { createHttpClient } from '../../lib/http.js';
import type { Logger } from '../../lib/logger.js';
import { createRawTables, rawTableName } from '../../models/raw.js';
import { loadCurve } from '../connectors/load-curve.js';
import { benchConnectors, loadBenchProject } from '../support/projects.js';
import { monthlyEnergySql } from './model.js';

/**
 * The terreze ingest path taken apart, for the engineers who own each stage. Part one runs the
 * real connector and the collection's `writeRead`, timing the download and DuckDB's COPY by
 * the connector's heartbeats. Part two times the landing's checksum and the model over a
 * raw-table copy and over the partition in place.
 */

type Timings = Record<string, number>;

function timer(timings: Timings) {
  return async <Value>(name: string, work: () => Promise<Value> | Value): Promise<Value> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = (timings[name] ?? 0) + performance.now() - started;
    }
  };
}

async function connectorAndWriter(
  options: { project: string; work: string; sourceId: string; period: string; logger: Logger },
  timings: Timings,
): Promise<{ stagedFile: string; rows: number }> {
  const loaded = loadBenchProject(options.project);
  const source = loaded.project.sources.find((candidate) => candidate.id === options.sourceId)!;
  const workDir = await mkdtemp(join(options.work, 'read-'));
  const started = performance.now();
  const marks: Record<string, number> = {};
  const context = {
    sourceId: source.id,
    logger: options.logger,
    http: createHttpClient({ source: source.id, logger: options.logger }),
    workDir,
    signal: new AbortController().signal,
    quarantine: () => {},
    heartbeat(details?: unknown) {
      const key = Object.keys((details ?? {}) as object)[0] ?? 'beat';
      marks[key] ??= performance.now();
    },
  };
  const messages = loadCurve.read(context, loadCurve.params.parse(source.params), {
    period: options.period,
    vintage: 2023,
  });
  const stagedFile = join(options.work, 'staged.parquet');
  const written = await writeRead(messages, {
    stream: selectedStream(
      await loadCurve.discover(context, loadCurve.params.parse(source.params)),
    ),
    label: `source ${source.id} period ${options.period}`,
    path: stagedFile,
    heartbeat: context.heartbeat,
    onState: () => {},
  });
  const finished = performance.now();

  timings['download (HTTP to the work folder)'] = marks.downloaded! - started;
  timings['DuckDB COPY: read_csv, checks, Parquet write, sha256'] = marks.rows! - marks.downloaded!;
  timings['rejects and row check (after the write)'] = finished - marks.rows!;
  return { stagedFile, rows: written.rows };
}

async function modelStages(stagedFile: string, rows: number, work: string, timings: Timings) {
  const time = timer(timings);
  await time('checksum of the staged file (landing)', () => sha256OfFile(stagedFile));
  const database = await openDatabase(join(work, 'edition.duckdb'));
  try {
    const manifest = { runId: 'stages', rows } as never;
    await time('raw table: copy of the partition into the edition', () =>
      createRawTables(
        database.connection,
        benchConnectors,
        new Map([['load-curve', loadCurve.id]]),
        [
          {
            sourceId: 'load-curve',
            period: '2023',
            vintage: 2023,
            manifest,
            absoluteFile: stagedFile,
          },
        ],
      ),
    );
    await time('model over the raw table', () =>
      database.connection.run(
        `create table by_raw as ${monthlyEnergySql(rawTableName(loadCurve.id))}`,
      ),
    );
    await time('(alternative) model over the partition in place', () =>
      database.connection.run(
        `create table by_partition as ${monthlyEnergySql(`read_parquet(${quoteLiteral(stagedFile)})`)}`,
      ),
    );
  } finally {
    database.close();
  }
}

export async function profileStages(options: {
  project: string;
  work: string;
  sourceId: string;
  period: string;
  logger: Logger;
}) {
  await mkdir(options.work, { recursive: true });
  const stages: Timings = {};
  const { stagedFile, rows } = await connectorAndWriter(options, stages);
  await modelStages(stagedFile, rows, options.work, stages);
  return { stages, rows };
}
