import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import { openDatabase } from '../lib/duckdb.js';
import { codeVersion } from '../lib/version.js';
import type { SelectedPartition } from '../models/seeds.js';
import { type BaselineInput, declaredBaseline } from '../models/seeds-method.js';
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
  /** Every factor the edition applied (inventory, recovery, levers), pinned by its version. */
  factors: {
    factorRef: string;
    name: string;
    kgco2ePerUnit: number;
    unit: string;
    year: number | null;
    version?: string;
    registry?: string;
    source?: string;
    status?: string | null;
    registrySha256?: string | null;
  }[];
  failedSources: { sourceId: string; message: string }[];
  skippedSources: { sourceId: string; reason: string }[];
  /** Hash of the SQL and TypeScript models that built the edition. */
  modelsFingerprint?: string;
  /** The edition of the same reporting year this one follows; its diff is in `diff.json`. */
  previousEditionId?: string | null;
  /** Where the trajectory's reference-year total came from. */
  baseline?: {
    kind: string;
    tco2e: number | null;
    source: string;
    editionId: string | null;
  };
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

/** The complete editions of a reporting year (those with a manifest), oldest first. */
export async function listEditions(
  editionsDir: string,
  reportingYear: number,
): Promise<{ editionDir: string; manifest: EditionManifest }[]> {
  const yearDir = join(editionsDir, String(reportingYear));
  if (!existsSync(yearDir)) return [];
  const found: { editionDir: string; manifest: EditionManifest }[] = [];
  for (const entry of (await readdir(yearDir)).sort()) {
    // A folder still being built carries a `.tmp-` suffix and no final manifest yet.
    if (entry.includes('.tmp-')) continue;
    const manifest = await readEditionManifest(join(yearDir, entry));
    if (manifest) found.push({ editionDir: join(yearDir, entry), manifest });
  }
  return found.sort(
    (a, b) =>
      a.manifest.createdAt.localeCompare(b.manifest.createdAt) ||
      a.manifest.editionId.localeCompare(b.manifest.editionId),
  );
}

/** The reporting years that have an edition folder, in order. */
export async function editionYears(editionsDir: string): Promise<number[]> {
  if (!existsSync(editionsDir)) return [];
  return (await readdir(editionsDir))
    .filter((name) => /^\d{4}$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** The complete edition of that id, whatever its year; undefined when there is none. */
export async function findEdition(
  editionsDir: string,
  editionId: string,
): Promise<{ editionDir: string; manifest: EditionManifest } | undefined> {
  for (const year of await editionYears(editionsDir)) {
    const found = (await listEditions(editionsDir, year)).find(
      (item) => item.manifest.editionId === editionId,
    );
    if (found) return found;
  }
  return undefined;
}

/**
 * The reference year's total for the trajectory: the project's declared figure, this very
 * edition when the reporting year is the reference year, or else the latest edition of the
 * reference year — preferring one built by the same models — read from its database.
 */
export async function findBaseline(
  project: Project,
  editionsDir: string,
  reportingYear: number,
  modelsFingerprint: string,
): Promise<BaselineInput> {
  const declared = declaredBaseline(project);
  const { referenceYear } = project.inventory;
  if (declared.kind === 'declared' || referenceYear === reportingYear) return declared;

  const editions = await listEditions(editionsDir, referenceYear);
  const sameModels = editions.filter(
    (item) => item.manifest.modelsFingerprint === modelsFingerprint,
  );
  const chosen = sameModels.at(-1) ?? editions.at(-1);
  if (chosen === undefined) {
    return {
      ...declared,
      kind: 'edition-missing',
      source: `no inventory edition of ${referenceYear} yet: run the ${referenceYear} cycle first`,
    };
  }

  const database = await openDatabase(join(chosen.editionDir, 'inventory.duckdb'), {
    access_mode: 'READ_ONLY',
  });
  try {
    const [row] = (
      await database.connection.runAndReadAll(
        `select (select total_tco2e from inventory_summary) as total,
           (select string_agg(gpc_ref, ', ' order by gpc_ref) filter (where tco2e is not null)
            from inventory_gpc) as estimated`,
      )
    ).getRowObjectsJS();
    // `select *`: an edition built before completeness was recorded has no such column, and
    // its completeness is then unknown rather than an error.
    const [summary] = (
      await database.connection.runAndReadAll('select * from inventory_summary')
    ).getRowObjectsJS();
    const complete = summary?.complete;
    const missing = summary?.missing_sources;
    const same = sameModels.length > 0;
    return {
      ...declared,
      kind: 'edition',
      tco2e: numberOrNull(row?.total),
      source:
        `inventory edition ${chosen.manifest.editionId} of ${referenceYear}` +
        (same ? '' : ', built by other models than this edition'),
      editionId: chosen.manifest.editionId,
      sameModels: same,
      estimatedSubsectors: row?.estimated === null ? null : String(row?.estimated),
      complete: typeof complete === 'boolean' ? complete : null,
      missingSources: typeof missing === 'string' ? missing : null,
    };
  } finally {
    database.close();
  }
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
      `with keyed as (
         select sector, notation_key, string_agg(gpc_ref, ', ' order by gpc_ref) as refs
         from inventory_gpc where notation_key is not null group by all
       ),
       keys as (
         select sector, string_agg(notation_key || ': ' || refs, '; ' order by notation_key)
           as notation_keys
         from keyed group by sector
       )
       select s.sector, s.sector_name, s.tco2e, s.subsectors_with_notation_key, k.notation_keys,
         s.illustrative_tco2e, s.complete, s.missing_sources
       from inventory_sector as s left join keys as k on k.sector = s.sector
       order by s.sector`,
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
        notationKeys: row.notation_keys === null ? null : String(row.notation_keys),
        illustrativeTco2e: numberOrNull(row.illustrative_tco2e),
        complete: row.complete !== false,
        missingSources: row.missing_sources === null ? null : String(row.missing_sources),
      }),
    ),
  };
}

/** The factors an edition's models applied, each with the version that pins its value. */
export async function usedFactors(
  connection: DuckDBConnection,
): Promise<EditionManifest['factors']> {
  const rows = (
    await connection.runAndReadAll(
      `select distinct f.factor_ref, f.factor_name, f.value_kgco2e, f.unit, f.validity_year,
         f.factor_version, f.registry, f.factor_source, f.status, f.registry_sha256
       from factor_application as a join factors as f on f.factor_ref = a.factor_ref
       order by f.factor_ref`,
    )
  ).getRowObjectsJS();
  return rows.map((row) => ({
    factorRef: String(row.factor_ref),
    name: String(row.factor_name),
    kgco2ePerUnit: Number(row.value_kgco2e),
    unit: String(row.unit),
    year: numberOrNull(row.validity_year),
    version: String(row.factor_version),
    registry: String(row.registry),
    source: String(row.factor_source),
    status: row.status === null ? null : String(row.status),
    registrySha256: row.registry_sha256 === null ? null : String(row.registry_sha256),
  }));
}
