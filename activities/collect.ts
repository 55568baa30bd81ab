import { rm } from 'node:fs/promises';
import { collectionPolicy } from '../config/operations.js';
import { type BadRow, type ConnectorContext, selectedStream } from '../connectors/contract.js';
import {
  compareFields,
  currentFields,
  describeDrift,
  describeFields,
  plannedSchemaVersion,
  readSourceSchemas,
  recordSchemaVersion,
} from '../lake/schemas.js';
import { readSourceState, saveSourceState } from '../lake/state.js';
import {
  absolutePartitionFile,
  commitPartition,
  readCurrentManifest,
  stagingPath,
} from '../lake/store.js';
import { ConfigError } from '../lib/errors.js';
import { createHttpClient } from '../lib/http.js';
import { heartbeatIntervalMs } from '../temporal/activity-interceptors.js';
import type { PartitionSummary, StagedPartition } from '../workflows/types.js';
import {
  checkBadRowShare,
  mergeOnPrimaryKey,
  SchemaDriftError,
  stageQuarantine,
} from './collect-staging.js';
import { checkStagedFile, writeRead } from './collect-write.js';
import { type ActivityDependencies, projectPaths } from './dependencies.js';
import { EmptyCollectionError, withFailureDecision } from './failures.js';
import { activityContext } from './heartbeat.js';
import { createScratchFolder, sweepScratchFolders } from './scratch.js';

/**
 * Collection activities: fetch a source into a staged file, validate it, land it, and only
 * then record its schema version and save the state (cursors) its read yielded.
 */

type FetchInput = Omit<
  StagedPartition,
  'stagingFile' | 'sha256' | 'rows' | 'bytes' | 'connector' | 'retrievedAt' | 'resources'
>;

/** Lake steps a test may replace, to fail one on purpose between two others. */
export interface CollectOverrides {
  commitPartition?: typeof commitPartition;
}

export function createCollectActivities(
  dependencies: ActivityDependencies,
  overrides: CollectOverrides = {},
) {
  const { loaded, connectors, logger } = dependencies;
  const commit = overrides.commitPartition ?? commitPartition;
  const paths = projectPaths(dependencies);
  const { heartbeatTimeoutMs } = collectionPolicy(loaded.project.operations);
  // A live fetch touches its scratch folder this often, as often as its interceptor heartbeats.
  const touchIntervalMs = heartbeatIntervalMs(heartbeatTimeoutMs) ?? 10_000;

  function sourceAndConnector(sourceId: string) {
    const source = loaded.project.sources.find((candidate) => candidate.id === sourceId);
    if (source === undefined) {
      throw new ConfigError(loaded.file, [
        { path: 'sources', expected: `a source with id "${sourceId}"` },
      ]);
    }
    const connector = connectors.get(source.connector)!;
    return { source, connector };
  }

  async function fetchSource(input: FetchInput): Promise<StagedPartition> {
    const { source, connector } = sourceAndConnector(input.sourceId);
    const { heartbeat, signal } = activityContext();
    const log = logger.child({ source: source.id, period: input.period, runId: input.runId });
    const label = `source ${source.id} period ${input.period}`;
    const started = Date.now();
    const saved = await readSourceState(paths.lake, source.id);
    const request = { period: input.period, vintage: input.vintage, state: saved?.state };

    // What fetches of killed workers left behind; a live fetch's folder is never older.
    await sweepScratchFolders(paths.scratch, { staleAfterMs: 2 * heartbeatTimeoutMs, logger: log });
    const scratch = await createScratchFolder(paths.scratch, source.id);
    const workDir = scratch.path;
    const keepFresh = setInterval(() => void scratch.touch(), touchIntervalMs);
    const limits = source.http ?? {};
    const http = createHttpClient({
      source: source.id,
      logger: log,
      signal,
      timeoutMs: limits.timeoutMs,
      retryLimit: limits.retryLimit,
      maxRetryAfterMs: limits.maxRetryAfterMs,
      requestsPerSecond: limits.requestsPerSecond,
      deadlineMs: limits.collectionTimeoutMs,
      backoffBaseMs: limits.backoffBaseMs,
      backoffLimitMs: limits.backoffLimitMs,
    });
    const badRows: BadRow[] = [];
    const context: ConnectorContext = {
      sourceId: source.id,
      logger: log,
      http,
      workDir,
      heartbeat,
      signal,
      quarantine: (badRow) => badRows.push(badRow),
    };
    const retrievedAt = new Date().toISOString();
    const staged: string[] = [];

    try {
      const stream = selectedStream(await connector.discover(context, source.params, request));
      let state: Record<string, unknown> | undefined;
      const firstFile = await stagingPath(paths.lake);
      staged.push(firstFile);
      let written = await writeRead(connector.read(context, source.params, request), {
        stream,
        label,
        path: firstFile,
        heartbeat,
        signal,
        onState: (next) => {
          state = next;
        },
      });
      checkBadRowShare(label, badRows, written.rows, source.maxBadRowShare ?? 0.01);

      if ((stream.primaryKey ?? []).length > 0) {
        // Only an incremental read is partial: a full read replaces the partition instead.
        const incremental = stream.cursorField !== undefined && request.state !== undefined;
        const previous = incremental
          ? await readCurrentManifest(paths.lake, source.id, input.period)
          : undefined;
        const previousFile = previous && absolutePartitionFile(paths.lake, previous);
        const merged = await mergeOnPrimaryKey(paths.lake, stream, firstFile, previousFile);
        staged.push(merged.path);
        if (merged.duplicates > 0) {
          log.warn('rows read twice merged on the primary key', {
            duplicates: merged.duplicates,
            primaryKey: stream.primaryKey,
          });
        }
        written = merged;
      }

      const fields = describeFields(stream.schema);
      const stored = currentFields(await readSourceSchemas(paths.lake, source.id));
      const drift = stored === undefined ? undefined : compareFields(stored, fields);
      if (drift !== undefined && (source.schemaPolicy ?? 'fail') === 'fail') {
        throw new SchemaDriftError(
          `${label}: the provider's columns changed (${describeDrift(drift)}); nothing landed. ` +
            'Fix the source parameters, or set schemaPolicy: evolve to land them as a new schema version',
          { sourceId: source.id, drift },
        );
      }
      if (drift !== undefined) {
        log.warn('schema drift: landing a new schema version', { drift: describeDrift(drift) });
      }

      const quarantine = await stageQuarantine(paths.lake, badRows);
      if (quarantine !== undefined) staged.push(quarantine.stagingFile);
      log.info('source fetched', {
        rows: written.rows,
        quarantinedRows: badRows.length,
        durationMs: Date.now() - started,
      });
      return {
        ...input,
        stagingFile: written.path,
        sha256: written.sha256,
        rows: written.rows,
        bytes: written.bytes,
        connector: { id: connector.id, version: connector.version },
        retrievedAt,
        resources: http.resources,
        quarantine,
        schema: fields,
        state,
      };
    } catch (error) {
      await Promise.all(staged.map((file) => rm(file, { force: true })));
      throw error;
    } finally {
      clearInterval(keepFresh);
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

    await checkStagedFile(staged, staged.schema ?? describeFields(connector.schema));
  }

  /** Records the schema version and saves the state: only ever after the partition landed. */
  async function afterLanding(staged: StagedPartition, file: string): Promise<void> {
    const { connector } = sourceAndConnector(staged.sourceId);
    await recordSchemaVersion(paths.lake, staged.sourceId, {
      fields: staged.schema ?? describeFields(connector.schema),
      connector: staged.connector,
      since: { period: staged.period, runId: staged.runId, retrievedAt: staged.retrievedAt },
    });
    if (staged.state === undefined) return;
    await saveSourceState(paths.lake, {
      source: staged.sourceId,
      period: staged.period,
      runId: staged.runId,
      file,
      savedAt: new Date().toISOString(),
      state: staged.state,
    });
  }

  async function landPartition(staged: StagedPartition): Promise<PartitionSummary> {
    const { source, connector } = sourceAndConnector(staged.sourceId);
    const summary = (
      manifest: { rows: number; sha256: string; file: string; quarantine?: { file: string } },
      replaced: PartitionSummary['replaced'],
    ): PartitionSummary => ({
      sourceId: staged.sourceId,
      period: staged.period,
      runId: staged.runId,
      rows: manifest.rows,
      sha256: manifest.sha256,
      file: manifest.file,
      replaced,
      quarantinedRows: staged.quarantine?.rows ?? 0,
      ...(manifest.quarantine ? { quarantineFile: manifest.quarantine.file } : {}),
    });
    const previous = await readCurrentManifest(paths.lake, staged.sourceId, staged.period);
    if (previous?.runId === staged.runId && previous.sha256 === staged.sha256) {
      // A retry of a landing that already succeeded: finish what may not have been done.
      await afterLanding(staged, previous.file);
      return summary(previous, 'identical');
    }

    const fields = staged.schema ?? describeFields(connector.schema);
    const schemaVersion = plannedSchemaVersion(
      await readSourceSchemas(paths.lake, staged.sourceId),
      fields,
    );
    const quarantine = staged.quarantine && {
      path: staged.quarantine.stagingFile,
      sha256: staged.quarantine.sha256,
      rows: staged.quarantine.rows,
    };
    const manifest = await commit(
      paths.lake,
      { path: staged.stagingFile, sha256: staged.sha256, quarantine },
      {
        source: staged.sourceId,
        period: staged.period,
        runId: staged.runId,
        workflowId: staged.workflowId,
        connector: staged.connector,
        rows: staged.rows,
        bytes: staged.bytes,
        sha256: staged.sha256,
        schema: fields,
        schemaVersion,
        retrievedAt: staged.retrievedAt,
        resources: staged.resources,
        producer: source.producer,
        licence: source.licence,
        access: source.access,
        standIn: source.standIn,
      },
    );
    await afterLanding(staged, manifest.file);

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
      quarantinedRows: staged.quarantine?.rows ?? 0,
      replaced,
    });
    return summary(manifest, replaced);
  }

  return {
    fetchSource: withFailureDecision(fetchSource),
    validatePartition: withFailureDecision(validatePartition),
    landPartition: withFailureDecision(landPartition),
  };
}

export type CollectActivities = ReturnType<typeof createCollectActivities>;
