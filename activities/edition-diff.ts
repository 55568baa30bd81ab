import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDatabase, quoteLiteral } from '../lib/duckdb.js';
import type { EditionManifest } from './editions.js';

/**
 * What changed between two inventory editions of the same reporting year: the factors and
 * inputs they pinned, and the tCO2e of the total, the sectors, the sub-sectors and every
 * activity row. A new edition never rewrites a past one; this diff says how they differ.
 */

export interface FigureChange {
  previousTco2e: number | null;
  currentTco2e: number | null;
  changeTco2e: number | null;
  changePercent: number | null;
}

export interface EditionDiff {
  reportingYear: number;
  editionId: string;
  previousEditionId: string;
  factors: {
    factorRef: string;
    change: 'added' | 'removed' | 'changed';
    previous: EditionManifest['factors'][number] | null;
    current: EditionManifest['factors'][number] | null;
  }[];
  inputs: {
    sourceId: string;
    change: 'added' | 'removed' | 'changed';
    previousSha256: string | null;
    currentSha256: string | null;
  }[];
  total: FigureChange;
  sectors: (FigureChange & { sector: string })[];
  subsectors: (FigureChange & {
    gpcRef: string;
    previousNotationKey: string | null;
    currentNotationKey: string | null;
  })[];
  /** Activity rows whose tCO2e, factor or notation key changed; null when not comparable. */
  rows:
    | (FigureChange & {
        sourceId: string;
        activityKey: string;
        detailKey: string;
        gpcRef: string | null;
        previousFactorRef: string | null;
        currentFactorRef: string | null;
        previousNotationKey: string | null;
        currentNotationKey: string | null;
      })[]
    | null;
}

const toleranceTco2e = 1e-9;

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function change(previous: unknown, current: unknown): FigureChange {
  const before = numberOrNull(previous);
  const after = numberOrNull(current);
  const delta = before === null || after === null ? null : after - before;
  return {
    previousTco2e: before,
    currentTco2e: after,
    changeTco2e: delta,
    changePercent:
      delta === null || before === 0 || before === null ? null : (delta / before) * 100,
  };
}

const differs = (item: FigureChange) =>
  (item.previousTco2e === null) !== (item.currentTco2e === null) ||
  Math.abs(item.changeTco2e ?? 0) > toleranceTco2e;

function keyedChanges<T extends { key: string }>(
  previous: readonly T[],
  current: readonly T[],
  same: (before: T, after: T) => boolean,
) {
  const before = new Map(previous.map((item) => [item.key, item]));
  const after = new Map(current.map((item) => [item.key, item]));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.flatMap((key) => {
    const left = before.get(key);
    const right = after.get(key);
    if (left && right && same(left, right)) return [];
    const kind: 'added' | 'removed' | 'changed' = !left ? 'added' : !right ? 'removed' : 'changed';
    return [{ key, change: kind, previous: left ?? null, current: right ?? null }];
  });
}

async function rows(connection: DuckDBConnection, sql: string) {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS();
}

async function hasColumn(
  connection: DuckDBConnection,
  catalog: string,
  table: string,
  column: string,
) {
  const found = await rows(
    connection,
    `select 1 from information_schema.columns where table_catalog = ${quoteLiteral(catalog)}
       and table_name = ${quoteLiteral(table)} and column_name = ${quoteLiteral(column)}`,
  );
  return found.length > 0;
}

async function figureChanges(connection: DuckDBConnection) {
  const [total] = await rows(
    connection,
    `select (select total_tco2e from previous_edition.inventory_summary) as previous,
       (select total_tco2e from current_edition.inventory_summary) as current`,
  );
  const sectors = await rows(
    connection,
    `select coalesce(c.sector, p.sector) as sector, p.tco2e as previous, c.tco2e as current
     from previous_edition.inventory_sector as p
     full join current_edition.inventory_sector as c on c.sector = p.sector
     order by 1`,
  );
  const subsectors = await rows(
    connection,
    `select coalesce(c.gpc_ref, p.gpc_ref) as gpc_ref, p.tco2e as previous, c.tco2e as current,
       p.notation_key as previous_key, c.notation_key as current_key
     from previous_edition.inventory_gpc as p
     full join current_edition.inventory_gpc as c on c.gpc_ref = p.gpc_ref
     order by 1`,
  );
  return {
    total: change(total?.previous, total?.current),
    sectors: sectors
      .map((row) => ({ sector: String(row.sector), ...change(row.previous, row.current) }))
      .filter(differs),
    subsectors: subsectors
      .map((row) => ({
        gpcRef: String(row.gpc_ref),
        ...change(row.previous, row.current),
        previousNotationKey: (row.previous_key as string | null) ?? null,
        currentNotationKey: (row.current_key as string | null) ?? null,
      }))
      .filter((row) => differs(row) || row.previousNotationKey !== row.currentNotationKey),
  };
}

async function rowChanges(connection: DuckDBConnection): Promise<EditionDiff['rows']> {
  const comparable =
    (await hasColumn(connection, 'previous_edition', 'emissions', 'detail_key')) &&
    (await hasColumn(connection, 'current_edition', 'emissions', 'detail_key'));
  if (!comparable) return null;
  const found = await rows(
    connection,
    `select coalesce(c.source_id, p.source_id) as source_id,
       coalesce(c.activity_key, p.activity_key) as activity_key,
       coalesce(c.detail_key, p.detail_key) as detail_key,
       coalesce(c.gpc_ref, p.gpc_ref) as gpc_ref,
       p.tco2e as previous, c.tco2e as current,
       p.factor_ref as previous_factor, c.factor_ref as current_factor,
       p.emission_notation_key as previous_key, c.emission_notation_key as current_key
     from previous_edition.emissions as p
     full join current_edition.emissions as c
       on c.source_id = p.source_id and c.activity_key = p.activity_key
       and c.detail_key = p.detail_key
     order by 1, 2, 3`,
  );
  return found
    .map((row) => ({
      sourceId: String(row.source_id),
      activityKey: String(row.activity_key),
      detailKey: String(row.detail_key),
      gpcRef: (row.gpc_ref as string | null) ?? null,
      ...change(row.previous, row.current),
      previousFactorRef: (row.previous_factor as string | null) ?? null,
      currentFactorRef: (row.current_factor as string | null) ?? null,
      previousNotationKey: (row.previous_key as string | null) ?? null,
      currentNotationKey: (row.current_key as string | null) ?? null,
    }))
    .filter(
      (row) =>
        differs(row) ||
        row.previousFactorRef !== row.currentFactorRef ||
        row.previousNotationKey !== row.currentNotationKey,
    );
}

/** Compares two editions' folders (manifest and database), both opened read-only. */
export async function diffEditions(
  previous: { editionDir: string; manifest: EditionManifest },
  current: { editionDir: string; manifest: EditionManifest },
): Promise<EditionDiff> {
  const database = await openDatabase();
  try {
    const { connection } = database;
    for (const [name, edition] of [
      ['previous_edition', previous],
      ['current_edition', current],
    ] as const) {
      const file = join(edition.editionDir, 'inventory.duckdb');
      await connection.run(`attach ${quoteLiteral(file)} as ${name} (read_only)`);
    }

    const figures = await figureChanges(connection);
    const factorChanges = keyedChanges(
      previous.manifest.factors.map((factor) => ({ key: factor.factorRef, ...factor })),
      current.manifest.factors.map((factor) => ({ key: factor.factorRef, ...factor })),
      (before, after) =>
        before.kgco2ePerUnit === after.kgco2ePerUnit &&
        before.unit === after.unit &&
        (before.version ?? null) === (after.version ?? null),
    );
    const inputChanges = keyedChanges(
      previous.manifest.inputs.map((input) => ({ key: input.sourceId, ...input })),
      current.manifest.inputs.map((input) => ({ key: input.sourceId, ...input })),
      (before, after) => before.sha256 === after.sha256 && before.period === after.period,
    );
    const strip = <T extends { key: string }>(item: T | null) => {
      if (item === null) return null;
      const { key: _key, ...rest } = item;
      return rest;
    };
    return {
      reportingYear: current.manifest.reportingYear,
      editionId: current.manifest.editionId,
      previousEditionId: previous.manifest.editionId,
      factors: factorChanges.map((item) => ({
        factorRef: item.key,
        change: item.change,
        previous: strip(item.previous),
        current: strip(item.current),
      })),
      inputs: inputChanges.map((item) => ({
        sourceId: item.key,
        change: item.change,
        previousSha256: item.previous?.sha256 ?? null,
        currentSha256: item.current?.sha256 ?? null,
      })),
      ...figures,
      rows: await rowChanges(connection),
    };
  } finally {
    database.close();
  }
}

/** The `diff.json` an edition wrote against its predecessor; undefined when it has none. */
export async function readEditionDiff(editionDir: string): Promise<EditionDiff | undefined> {
  const file = join(editionDir, 'diff.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as EditionDiff;
}

/** Writes `diff.json` into an edition's folder. */
export async function writeEditionDiff(editionDir: string, diff: EditionDiff): Promise<string> {
  const file = join(editionDir, 'diff.json');
  await writeFile(file, `${JSON.stringify(diff, null, 2)}\n`);
  return file;
}
