import type { PartitionManifest } from '../lake/manifest.js';
import {
  absolutePartitionFile,
  listCurrentManifests,
  readCurrentManifest,
  sha256OfFile,
} from '../lake/store.js';
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

  async function checkedPartition(
    sourceId: string,
    period: string,
    manifest: PartitionManifest,
  ): Promise<SelectedPartition> {
    const absoluteFile = absolutePartitionFile(paths.lake, manifest);
    if ((await sha256OfFile(absoluteFile)) !== manifest.sha256) {
      throw new LakeError(`partition ${manifest.file} does not match its manifest checksum`, {
        sourceId,
        period,
      });
    }
    const source = project.sources.find((candidate) => candidate.id === sourceId);
    const vintage = period === 'current' ? undefined : Number(period);
    return { sourceId, period, vintage: source ? vintage : undefined, manifest, absoluteFile };
  }

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
      selected.push(await checkedPartition(sourceId, period, manifest));
    }
    return selected.sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  }

  /**
   * For each source the cycle could not collect, the partition it landed last time, if any:
   * the period closest before the reporting year, else `current`, else the earliest after.
   */
  async function findFootprints(input: ComputeInventoryInput) {
    const footprints = new Map<string, SelectedPartition>();
    const missing = [...input.failed, ...input.skipped].map((item) => item.sourceId);
    const landed = missing.length > 0 ? await listCurrentManifests(paths.lake) : [];
    const rank = (period: string) => {
      if (period === 'current') return 0;
      const year = Number(period);
      return year <= input.reportingYear ? 10_000 - (input.reportingYear - year) : -year;
    };
    for (const sourceId of missing) {
      const [latest] = landed
        .filter((manifest) => manifest.source === sourceId)
        .sort((a, b) => rank(b.period) - rank(a.period));
      if (latest === undefined) continue;
      footprints.set(sourceId, await checkedPartition(sourceId, latest.period, latest));
    }
    return footprints;
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
      footprints: await findFootprints(input),
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
