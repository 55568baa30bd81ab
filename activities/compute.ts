import { absolutePartitionFile, readCurrentManifest, sha256OfFile } from '../lake/store.js';
import { LakeError } from '../lib/errors.js';
import type { SelectedPartition } from '../models/seeds.js';
import type { ComputeInventoryInput, InventorySummary } from '../workflows/types.js';
import { type ActivityDependencies, projectPaths } from './dependencies.js';
import { withFailureDecision } from './failures.js';
import { activityContext } from './heartbeat.js';
import { buildInventoryEdition } from './inventory-edition.js';

/** Builds the inventory edition of a reporting year from the partitions its cycle collected. */

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
    const summary = await buildInventoryEdition({
      project,
      editionsDir: paths.editions,
      reportingYear: input.reportingYear,
      partitions: await selectPartitions(input),
      failed: input.failed,
      skipped: input.skipped,
      connectors,
      logger,
      heartbeat: activityContext().heartbeat,
    });
    logger.info('inventory computed', {
      reportingYear: input.reportingYear,
      editionId: summary.editionId,
      totalTco2e: summary.totalTco2e,
      durationMs: Date.now() - started,
    });
    return summary;
  }

  return { computeInventory: withFailureDecision(computeInventory) };
}
