import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type EditionManifest, readEditionManifest } from '../activities/editions.js';
import { NotFoundError } from '../temporal/errors.js';

/** The inventory editions a project has computed, as the report commands find them. */

export interface FoundEdition {
  edition: EditionManifest;
  editionDir: string;
  databaseFile: string;
}

/**
 * The latest edition (by computation time) of `year`, or of the latest year that has one when
 * `year` is not given.
 */
export async function latestEdition(editionsDir: string, year?: number): Promise<FoundEdition> {
  const years = existsSync(editionsDir)
    ? (await readdir(editionsDir)).filter((name) => /^\d{4}$/.test(name)).map(Number)
    : [];
  const chosenYear = year ?? Math.max(...years);
  if (!years.includes(chosenYear)) {
    const known = years.sort().join(', ') || 'none';
    throw new NotFoundError(
      `no inventory edition of ${year ?? 'any year'} in ${editionsDir} (years: ${known}); run the cycle of that year first`,
      { editionsDir, year },
    );
  }

  const yearDir = join(editionsDir, String(chosenYear));
  const found: FoundEdition[] = [];
  for (const name of (await readdir(yearDir)).sort()) {
    const editionDir = join(yearDir, name);
    const edition = await readEditionManifest(editionDir).catch(() => undefined);
    if (edition === undefined) continue;
    found.push({ edition, editionDir, databaseFile: join(editionDir, 'inventory.duckdb') });
  }
  const latest = found
    .sort((a, b) => a.edition.createdAt.localeCompare(b.edition.createdAt))
    .at(-1);
  if (latest === undefined) {
    throw new NotFoundError(`no complete inventory edition of ${chosenYear} in ${yearDir}`, {
      editionsDir,
      year: chosenYear,
    });
  }
  return latest;
}
