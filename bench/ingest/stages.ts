import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { JSDuckDBValueConverter } from '@duckdb/node-api';
import { type DataType, type RecordBatch, Table, Type, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { isStateMessage, type ReadMessage } from '../../connectors/contract.js';
import { loadCsvTable } from '../../connectors/support/csv-table.js';
import { writeParquetFile } from '../../lake/parquet.js';
import { sha256OfFile } from '../../lake/store.js';
import { batchFromColumns } from '../../lib/arrow.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { createHttpClient } from '../../lib/http.js';
import type { Logger } from '../../lib/logger.js';
import { createRawTables, rawTableName } from '../../models/raw.js';
import { loadCurve } from '../connectors/load-curve.js';
import { benchConnectors, loadBenchProject } from '../support/projects.js';
import { monthlyEnergySql } from './model.js';

/**
 * The terreze ingest path taken apart, for the engineers who own each stage. Part one runs the
 * real connector and `writeParquetFile`, timing the connector's phases by its heartbeats and
 * the time spent inside its iterator. Part two replays the connector's result stream with a
 * timer around each step of `streamBatches` (lib/duckdb.ts) and of the Parquet writer's
 * conversion (lake/parquet.ts), which are not exported one by one. Part three times the
 * landing's checksum and the model over a raw-table copy and over the partition in place.
 */

// Mirrors toArrowValue of lib/duckdb.ts, so that its cost can be timed alone.
function toArrowValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
      return Number(value);
    case Type.Utf8:
      return String(value);
    default:
      return value;
  }
}

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
  }) as AsyncIterable<ReadMessage>;

  let insideConnectorMs = 0;
  async function* timedBatches(): AsyncGenerator<RecordBatch> {
    const iterator = messages[Symbol.asyncIterator]();
    for (;;) {
      const before = performance.now();
      const next = await iterator.next();
      insideConnectorMs += performance.now() - before;
      if (next.done) return;
      if (!isStateMessage(next.value)) yield next.value;
    }
  }
  const stagedFile = join(options.work, 'staged.parquet');
  const written = await writeParquetFile(stagedFile, loadCurve.schema, timedBatches());
  const finished = performance.now();

  timings['download (HTTP to the work folder)'] = marks.downloaded! - started;
  timings['DuckDB read_csv into an all-text table'] = marks.loaded! - marks.downloaded!;
  timings['value checks and row count (SQL)'] = marks.rows! - marks.loaded! - 0;
  timings['result stream to Arrow (inside the connector)'] =
    insideConnectorMs - (marks.rows! - started);
  timings['IPC copy + parquet-wasm encode + file write'] = finished - started - insideConnectorMs;
  return { stagedFile, rows: written.rows };
}

async function replayStream(path: string, timings: Timings): Promise<void> {
  const time = timer(timings);
  const database = await openDatabase();
  try {
    await loadCsvTable(
      database.connection,
      { url: path, path, table: 'readings' },
      { delimiter: ';' },
    );
    const sql = `SELECT trim(id_prm), trim(horodate),
        CASE WHEN valeur_w IS NULL OR trim(valeur_w) = '' THEN NULL
          ELSE CAST(trim(valeur_w) AS INTEGER) END,
        CASE WHEN valeur_w IS NULL OR trim(valeur_w) = '' THEN 'empty' END
      FROM readings ORDER BY rowid`;
    const result = await time('  DuckDB query start', () => database.connection.stream(sql));
    const types = loadCurve.schema.fields.map((field) => field.type as DataType);
    let pending: unknown[][] = types.map(() => []);
    let pendingRows = 0;
    const flush = async () => {
      const batch = await time('  Arrow vectors (vectorFromArray)', () =>
        batchFromColumns(loadCurve.schema, pending),
      );
      pending = types.map(() => []);
      pendingRows = 0;
      const ipc = await time('  Arrow → IPC bytes (tableToIPC)', () =>
        tableToIPC(new Table([batch]), 'stream'),
      );
      const wasm = await time('  IPC → parquet-wasm table', () => parquet.Table.fromIPCStream(ipc));
      wasm.free();
    };
    for (;;) {
      const chunk = await time('  DuckDB fetchChunk', () => result.fetchChunk());
      if (chunk === null || chunk.rowCount === 0) break;
      const columns = await time('  DuckDB → JS values (convertColumns)', () =>
        chunk.convertColumns(JSDuckDBValueConverter),
      );
      await time('  JS values → Arrow values (toArrowValue, push)', () => {
        columns.forEach((values, index) => {
          const target = pending[index]!;
          for (const value of values) target.push(toArrowValue(value, types[index]!));
        });
      });
      pendingRows += chunk.rowCount;
      if (pendingRows >= 65_536) await flush();
    }
    if (pendingRows > 0) await flush();
  } finally {
    database.close();
  }
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
  const replay: Timings = {};
  const downloaded = join(options.work, 'replay.csv');
  const source = loadBenchProject(options.project).project.sources[0]!;
  await createHttpClient({ source: source.id, logger: options.logger }).download(
    String((source.params as { url: string }).url),
    options.work,
    'replay.csv',
  );
  await replayStream(downloaded, replay);
  await modelStages(stagedFile, rows, options.work, stages);
  return { stages, replay, rows };
}
