import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import { codeVersion } from '../lib/version.js';
import type { SelectedPartition } from '../models/seeds.js';
import type { InventorySummary, SectorTotal } from '../workflows/types.js';

/**
 * An inventory edition: the DuckDB file built from exactly one set of inputs, with a manifest
 * of those inputs. Its id is derived from the inputs, so the same inputs give the same edition
 * and any changed input (a restated partition, another factor) gives a new one.
 */

export interface EditionManifest {
  editionId: string;
  reportingYear: number;
  createdAt: string;
  codeVersion: string;
  inputs: {
    sourceId: string;
    period: string;
    vintage: number | undefined;
    sha256: string;
    rows: number;
    runId: string;
    retrievedAt: string;
    urls: string[];
  }[];
  factors: {
    factorRef: string;
    name: string;
    kgco2ePerUnit: number;
    unit: string;
    year: number | null;
  }[];
  failedSources: { sourceId: string; message: string }[];
  skippedSources: { sourceId: string; reason: string }[];
}

export function editionIdFor(
  project: Project,
  reportingYear: number,
  partitions: readonly SelectedPartition[],
  modelsFingerprint: string,
  exclusions: unknown,
): string {
  const fingerprint = {
    reportingYear,
    codeVersion,
    modelsFingerprint,
    territory: project.territory,
    inventory: project.inventory,
    sources: project.sources.map(
      ({ id, connector, access, standIn, producer, licence, title }) => ({
        id,
        connector,
        access,
        standIn,
        producer,
        licence,
        title,
      }),
    ),
    partitions: partitions.map(({ sourceId, period, manifest }) => [
      sourceId,
      period,
      manifest.sha256,
    ]),
    exclusions,
  };
  const digest = createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex');
  return `${reportingYear}-${digest.slice(0, 12)}`;
}

export async function readEditionManifest(
  editionDir: string,
): Promise<EditionManifest | undefined> {
  const file = join(editionDir, 'edition.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as EditionManifest;
}

/**
 * Builds an edition folder through a temporary sibling and one rename, so that a crash mid-way
 * leaves no half-built edition behind and two concurrent builds agree on the result.
 */
export async function buildEditionAtomically(
  editionDir: string,
  build: (temporaryDir: string) => Promise<void>,
): Promise<void> {
  if (existsSync(join(editionDir, 'edition.json'))) return;
  const temporaryDir = `${editionDir}.tmp-${randomUUID()}`;
  await mkdir(temporaryDir, { recursive: true });
  try {
    await build(temporaryDir);
    await rm(editionDir, { recursive: true, force: true });
    await rename(temporaryDir, editionDir);
  } catch (error) {
    await rm(temporaryDir, { recursive: true, force: true });
    throw error;
  }
}

export async function writeEditionManifest(directory: string, manifest: EditionManifest) {
  await writeFile(join(directory, 'edition.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** The headline figures an edition's database holds, for the CLI and the workflow result. */
export async function summariseEdition(
  connection: DuckDBConnection,
  base: Pick<InventorySummary, 'reportingYear' | 'editionId' | 'editionDir' | 'databaseFile'>,
): Promise<InventorySummary> {
  const summary =
    (await connection.runAndReadAll('select * from inventory_summary')).getRowObjectsJS()[0] ?? {};
  const sectors = (
    await connection.runAndReadAll(
      'select sector, sector_name, tco2e, subsectors_with_notation_key from inventory_sector order by sector',
    )
  ).getRowObjectsJS();
  return {
    ...base,
    totalTco2e: numberOrNull(summary.total_tco2e),
    tco2ePerInhabitant: numberOrNull(summary.tco2e_per_inhabitant),
    sectors: sectors.map(
      (row): SectorTotal => ({
        sector: String(row.sector),
        sectorName: String(row.sector_name),
        tco2e: numberOrNull(row.tco2e),
        subsectorsWithNotationKey:
          row.subsectors_with_notation_key === null
            ? null
            : String(row.subsectors_with_notation_key),
      }),
    ),
  };
}

export async function usedFactors(
  connection: DuckDBConnection,
): Promise<EditionManifest['factors']> {
  const rows = (
    await connection.runAndReadAll(
      `select distinct factor_ref, factor_name, factor_kgco2e_per_unit, factor_unit, factor_year
       from emissions where factor_ref is not null and factor_name is not null order by factor_ref`,
    )
  ).getRowObjectsJS();
  return rows.map((row) => ({
    factorRef: String(row.factor_ref),
    name: String(row.factor_name),
    kgco2ePerUnit: Number(row.factor_kgco2e_per_unit),
    unit: String(row.factor_unit),
    year: numberOrNull(row.factor_year),
  }));
}
