import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { absolutePartitionFile, readCurrentManifest, sha256OfFile } from '../lake/store.js';
import { openDatabase } from '../lib/duckdb.js';
import { LakeError } from '../lib/errors.js';
import { codeVersion } from '../lib/version.js';
import { defaultModelsDir, runModels } from '../models/runner.js';
import type { SelectedPartition } from '../models/seeds.js';
import type { ComputeInventoryInput, InventorySummary } from '../workflows/types.js';
import { type ActivityDependencies, projectPaths } from './dependencies.js';
import {
  buildEditionAtomically,
  editionIdFor,
  summariseEdition,
  usedFactors,
  writeEditionManifest,
} from './editions.js';
import { withFailureDecision } from './failures.js';
import { activityContext } from './heartbeat.js';

/** Builds the inventory edition of a reporting year from the partitions its cycle collected. */

function modelsFingerprint(directory: string): string {
  const hash = createHash('sha256');
  for (const folder of [directory, join(directory, 'checks')]) {
    for (const entry of readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .sort()) {
      hash.update(entry).update(readFileSync(join(folder, entry)));
    }
  }
  return hash.digest('hex');
}

export function createComputeActivities(dependencies: ActivityDependencies) {
  const { loaded, connectors, logger } = dependencies;
  const { project } = loaded;
  const paths = projectPaths(dependencies);

  async function selectPartitions(input: ComputeInventoryInput): Promise<SelectedPartition[]> {
    const selected: SelectedPartition[] = [];
    for (const { sourceId, period } of input.collected) {
      const manifest = await readCurrentManifest(paths.lake, sourceId, period);
      if (manifest === undefined) {
        throw new LakeError(`source ${sourceId} has no landed partition for period ${period}`, {
          sourceId,
          period,
        });
      }
      const absoluteFile = absolutePartitionFile(paths.lake, manifest);
      if ((await sha256OfFile(absoluteFile)) !== manifest.sha256) {
        throw new LakeError(`partition ${manifest.file} does not match its manifest checksum`, {
          sourceId,
          period,
        });
      }
      const source = project.sources.find((candidate) => candidate.id === sourceId);
      const vintage = period === 'current' ? undefined : Number(period);
      selected.push({
        sourceId,
        period,
        vintage: source ? vintage : undefined,
        manifest,
        absoluteFile,
      });
    }
    return selected.sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  }

  async function computeInventory(input: ComputeInventoryInput): Promise<InventorySummary> {
    const started = Date.now();
    const partitions = await selectPartitions(input);
    const exclusions = { failed: input.failed, skipped: input.skipped };
    const editionId = editionIdFor(
      project,
      input.reportingYear,
      partitions,
      modelsFingerprint(defaultModelsDir),
      exclusions,
    );
    const editionDir = join(paths.editions, String(input.reportingYear), editionId);
    const databaseFile = join(editionDir, 'inventory.duckdb');

    await buildEditionAtomically(editionDir, async (temporaryDir) => {
      const database = await openDatabase(join(temporaryDir, 'inventory.duckdb'));
      try {
        const models = await runModels({
          connection: database.connection,
          project,
          reportingYear: input.reportingYear,
          partitions,
          connectors,
          logger,
        });
        activityContext().heartbeat({ models: models.models.length });
        await writeEditionManifest(temporaryDir, {
          editionId,
          reportingYear: input.reportingYear,
          createdAt: new Date().toISOString(),
          codeVersion,
          inputs: partitions.map(({ sourceId, period, vintage, manifest }) => ({
            sourceId,
            period,
            vintage,
            sha256: manifest.sha256,
            rows: manifest.rows,
            runId: manifest.runId,
            retrievedAt: manifest.retrievedAt,
            urls: manifest.resources.map((resource) => resource.url),
          })),
          factors: await usedFactors(database.connection),
          failedSources: input.failed,
          skippedSources: input.skipped,
        });
      } finally {
        database.close();
      }
    });

    const database = await openDatabase(databaseFile, { access_mode: 'READ_ONLY' });
    try {
      const summary = await summariseEdition(database.connection, {
        reportingYear: input.reportingYear,
        editionId,
        editionDir,
        databaseFile,
      });
      logger.info('inventory computed', {
        reportingYear: input.reportingYear,
        editionId,
        totalTco2e: summary.totalTco2e,
        durationMs: Date.now() - started,
      });
      return summary;
    } finally {
      database.close();
    }
  }

  return { computeInventory: withFailureDecision(computeInventory) };
}
