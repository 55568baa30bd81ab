import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { AnyConnector } from '../connectors/contract.js';
import { writeParquetFile } from '../lake/parquet.js';
import { commitPartition, readCurrentManifest, stagingPath } from '../lake/store.js';
import { openDatabase, quoteLiteral } from '../lib/duckdb.js';
import { ConfigError } from '../lib/errors.js';
import { createHttpClient } from '../lib/http.js';
import type { PartitionSummary, StagedPartition } from '../workflows/types.js';
import { type ActivityDependencies, projectPaths } from './dependencies.js';
import { EmptyCollectionError, SchemaError, withFailureDecision } from './failures.js';
import { activityContext } from './heartbeat.js';

/** Collection activities: fetch a source into a staged file, validate it, land it. */

function describeSchema(schema: Schema): string {
  return schema.fields.map((field) => `${field.name}:${String(field.type)}`).join(', ');
}

/** Passes batches through, failing on the first whose schema is not the declared one. */
async function* conforming(
  batches: AsyncIterable<RecordBatch>,
  connector: AnyConnector,
  sourceId: string,
): AsyncGenerator<RecordBatch> {
  const expected = describeSchema(connector.schema);
  for await (const batch of batches) {
    const actual = describeSchema(batch.schema);
    if (actual !== expected) {
      throw new SchemaError(
        `connector ${connector.id} for source ${sourceId} yielded columns (${actual}), ` +
          `its declared schema is (${expected})`,
        { sourceId, connector: connector.id },
      );
    }
    yield batch;
  }
}

export function createCollectActivities(dependencies: ActivityDependencies) {
  const { loaded, connectors, logger } = dependencies;
  const paths = projectPaths(dependencies);

  function sourceAndConnector(sourceId: string) {
    const index = loaded.project.sources.findIndex((source) => source.id === sourceId);
    const source = loaded.project.sources[index];
    if (source === undefined) {
      throw new ConfigError(loaded.file, [
        { path: 'sources', expected: `a source with id "${sourceId}"` },
      ]);
    }
    const connector = connectors.get(source.connector)!;
    return { source, connector };
  }

  async function fetchSource(
    input: Omit<
      StagedPartition,
      'stagingFile' | 'sha256' | 'rows' | 'bytes' | 'connector' | 'retrievedAt' | 'resources'
    >,
  ): Promise<StagedPartition> {
    const { source, connector } = sourceAndConnector(input.sourceId);
    const { heartbeat, signal } = activityContext();
    const log = logger.child({ source: source.id, period: input.period, runId: input.runId });
    const started = Date.now();

    await mkdir(paths.scratch, { recursive: true });
    const workDir = await mkdtemp(join(paths.scratch, `${source.id}-`));
    const http = createHttpClient({ source: source.id, logger: log, signal });
    const stagingFile = await stagingPath(paths.lake);
    const retrievedAt = new Date().toISOString();
    try {
      const batches = connector.read(
        { sourceId: source.id, logger: log, http, workDir, heartbeat, signal },
        source.params,
        { period: input.period, vintage: input.vintage },
      );
      const written = await writeParquetFile(
        stagingFile,
        connector.schema,
        conforming(batches, connector, source.id),
        (rows) => heartbeat({ rows }),
      );
      log.info('source fetched', { rows: written.rows, durationMs: Date.now() - started });
      return {
        ...input,
        stagingFile,
        sha256: written.sha256,
        rows: written.rows,
        bytes: written.bytes,
        connector: { id: connector.id, version: connector.version },
        retrievedAt,
        resources: http.resources,
      };
    } catch (error) {
      await rm(stagingFile, { force: true });
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  async function validatePartition(staged: StagedPartition): Promise<void> {
    const { connector } = sourceAndConnector(staged.sourceId);
    if (staged.rows === 0) {
      throw new EmptyCollectionError(
        `source ${staged.sourceId} produced no row for period ${staged.period}; nothing landed`,
        { sourceId: staged.sourceId, period: staged.period },
      );
    }

    const database = await openDatabase();
    try {
      const file = quoteLiteral(staged.stagingFile);
      const count = await database.connection.runAndReadAll(
        `select count(*) from read_parquet(${file})`,
      );
      const rows = Number(count.getRows()[0]?.[0]);
      const described = await database.connection.runAndReadAll(
        `select column_name from (describe select * from read_parquet(${file}))`,
      );
      const columns = described.getRows().map((row) => String(row[0]));
      const declared = connector.schema.fields.map((field) => field.name);
      if (rows !== staged.rows || columns.join(',') !== declared.join(',')) {
        throw new SchemaError(
          `staged partition of ${staged.sourceId} ${staged.period} has ${rows} rows and columns ` +
            `(${columns.join(', ')}); expected ${staged.rows} rows and (${declared.join(', ')})`,
          { sourceId: staged.sourceId, period: staged.period },
        );
      }
    } finally {
      database.close();
    }
  }

  async function landPartition(staged: StagedPartition): Promise<PartitionSummary> {
    const { source } = sourceAndConnector(staged.sourceId);
    const previous = await readCurrentManifest(paths.lake, staged.sourceId, staged.period);
    if (previous?.runId === staged.runId && previous.sha256 === staged.sha256) {
      // A retry of a landing that already succeeded: the partition is in place.
      return {
        sourceId: staged.sourceId,
        period: staged.period,
        runId: staged.runId,
        rows: previous.rows,
        sha256: previous.sha256,
        file: previous.file,
        replaced: 'identical',
      };
    }

    const manifest = await commitPartition(
      paths.lake,
      { path: staged.stagingFile, sha256: staged.sha256 },
      {
        source: staged.sourceId,
        period: staged.period,
        runId: staged.runId,
        workflowId: staged.workflowId,
        connector: staged.connector,
        rows: staged.rows,
        bytes: staged.bytes,
        sha256: staged.sha256,
        schema: sourceAndConnector(staged.sourceId).connector.schema.fields.map((field) => ({
          name: field.name,
          type: String(field.type),
          nullable: field.nullable,
        })),
        retrievedAt: staged.retrievedAt,
        resources: staged.resources,
        producer: source.producer,
        licence: source.licence,
        access: source.access,
        standIn: source.standIn,
      },
    );
    const replaced =
      previous === undefined
        ? 'new'
        : previous.sha256 === manifest.sha256
          ? 'identical'
          : 'changed';
    logger.info('partition landed', {
      source: staged.sourceId,
      period: staged.period,
      rows: manifest.rows,
      sha256: manifest.sha256,
      replaced,
    });
    return {
      sourceId: staged.sourceId,
      period: staged.period,
      runId: staged.runId,
      rows: manifest.rows,
      sha256: manifest.sha256,
      file: manifest.file,
      replaced,
    };
  }

  return {
    fetchSource: withFailureDecision(fetchSource),
    validatePartition: withFailureDecision(validatePartition),
    landPartition: withFailureDecision(landPartition),
  };
}

export type CollectActivities = ReturnType<typeof createCollectActivities>;
