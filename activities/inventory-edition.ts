import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../config/project.js';
import type { AnyConnector } from '../connectors/contract.js';
import { openDatabase } from '../lib/duckdb.js';
import type { Logger } from '../lib/logger.js';
import { codeVersion } from '../lib/version.js';
import { missingSourceCoverage } from '../models/coverage.js';
import { defaultModelsDir, runModels } from '../models/runner.js';
import type { SelectedPartition } from '../models/seeds.js';
import type { InventorySummary } from '../workflows/types.js';
import { diffEditions, writeEditionDiff } from './edition-diff.js';
import {
  buildEditionAtomically,
  editionIdFor,
  findBaseline,
  listEditions,
  readEditionManifest,
  summariseEdition,
  usedFactors,
  writeEditionManifest,
} from './editions.js';

/**
 * Builds the inventory edition of a reporting year from selected partitions, outside any
 * Temporal worker: the compute activity calls it, and so can a test or a script.
 */

const unitsFile = fileURLToPath(new URL('../lib/units.ts', import.meta.url));

/** Hash of all that turns inputs into figures: SQL models, checks, macros, TypeScript models. */
export function modelsFingerprint(directory = defaultModelsDir): string {
  const hash = createHash('sha256');
  const folders = [directory, join(directory, 'checks'), join(directory, 'macros')];
  for (const folder of folders.filter((item) => existsSync(item))) {
    for (const entry of readdirSync(folder)
      .filter((name) => name.endsWith('.sql') || name.endsWith('.ts'))
      .sort()) {
      hash.update(entry).update(readFileSync(join(folder, entry)));
    }
  }
  hash.update('lib/units.ts').update(readFileSync(unitsFile));
  return hash.digest('hex');
}

export interface BuildInventoryEditionOptions {
  project: Project;
  editionsDir: string;
  reportingYear: number;
  partitions: readonly SelectedPartition[];
  failed: { sourceId: string; message: string }[];
  skipped: { sourceId: string; reason: string }[];
  /**
   * The latest partition each failed or skipped source landed before, if any: its staging
   * models say which sub-sectors it feeds (`models/coverage.ts`).
   */
  footprints?: ReadonlyMap<string, SelectedPartition>;
  connectors: ReadonlyMap<string, AnyConnector>;
  logger: Logger;
  heartbeat?(details: unknown): void;
}

/**
 * Builds the edition of these inputs unless it exists. A new edition of a reporting year that
 * already has one records the latest as its predecessor and writes the diff against it.
 */
export async function buildInventoryEdition(
  options: BuildInventoryEditionOptions,
): Promise<InventorySummary> {
  const { project, reportingYear, partitions, logger } = options;
  const fingerprint = modelsFingerprint();
  const baseline = await findBaseline(project, options.editionsDir, reportingYear, fingerprint);
  if (baseline.kind === 'edition-missing') {
    logger.warn('trajectory baseline not found; its figures are left empty', {
      reportingYear,
      referenceYear: project.inventory.referenceYear,
      reason: baseline.source,
    });
  }
  const missingSources = await missingSourceCoverage(
    { project, reportingYear, connectors: options.connectors },
    [
      ...options.failed.map((item) => ({
        sourceId: item.sourceId,
        state: 'failed' as const,
        reason: item.message,
      })),
      ...options.skipped.map((item) => ({
        sourceId: item.sourceId,
        state: 'skipped' as const,
        reason: item.reason,
      })),
    ],
    options.footprints ?? new Map(),
  );
  const editionId = editionIdFor(project, reportingYear, partitions, fingerprint, {
    failed: options.failed,
    skipped: options.skipped,
    baselineEditionId: baseline.editionId,
    missingSources,
  });
  const editionDir = join(options.editionsDir, String(reportingYear), editionId);
  const databaseFile = join(editionDir, 'inventory.duckdb');
  const previous = (await listEditions(options.editionsDir, reportingYear))
    .filter((item) => item.manifest.editionId !== editionId)
    .at(-1);

  await buildEditionAtomically(editionDir, async (temporaryDir) => {
    const database = await openDatabase(join(temporaryDir, 'inventory.duckdb'));
    try {
      const models = await runModels({
        connection: database.connection,
        project,
        reportingYear,
        partitions,
        connectors: options.connectors,
        logger,
        baseline,
        missingSources,
      });
      options.heartbeat?.({ models: models.models.length });
      await writeEditionManifest(temporaryDir, {
        editionId,
        reportingYear,
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
        failedSources: options.failed,
        skippedSources: options.skipped,
        modelsFingerprint: fingerprint,
        previousEditionId: previous?.manifest.editionId ?? null,
        baseline: {
          kind: baseline.kind,
          tco2e: baseline.tco2e,
          source: baseline.source,
          editionId: baseline.editionId,
        },
      });
    } finally {
      database.close();
    }

    if (previous) {
      const manifest = (await readEditionManifest(temporaryDir))!;
      const diff = await diffEditions(previous, { editionDir: temporaryDir, manifest });
      await writeEditionDiff(temporaryDir, diff);
      logger.info('edition differs from the previous one of its year', {
        reportingYear,
        editionId,
        previousEditionId: previous.manifest.editionId,
        changedFactors: diff.factors.length,
        changeTco2e: diff.total.changeTco2e,
      });
    }
  });

  const database = await openDatabase(databaseFile, { access_mode: 'READ_ONLY' });
  try {
    return await summariseEdition(database.connection, {
      reportingYear,
      editionId,
      editionDir,
      databaseFile,
    });
  } finally {
    database.close();
  }
}
