import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffEditions, type EditionDiff } from '../../activities/edition-diff.js';
import { listEditions, readEditionManifest } from '../../activities/editions.js';
import { buildInventoryEdition } from '../../activities/inventory-edition.js';
import { editionDiffLines } from '../../cli/diff-lines.js';
import type { Project } from '../../config/project.js';
import { connectors } from '../../connectors/index.js';
import { openDatabase } from '../../lib/duckdb.js';
import { createLogger } from '../../lib/logger.js';
import type { SelectedPartition } from '../../models/seeds.js';
import { landRawRows, testProject } from './fixtures.js';

const logger = createLogger({ level: 'error' });

function build(
  project: Project,
  editionsDir: string,
  partitions: SelectedPartition[],
  year = 2023,
) {
  return buildInventoryEdition({
    project,
    editionsDir,
    reportingYear: year,
    partitions,
    failed: [],
    skipped: [],
    connectors,
    logger,
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The test project with the district-heating factor at another value, as a copied file would. */
function withHeatFactor(value: number): Project {
  return testProject({
    localFactors: testProject().inventory.localFactors.map((factor) =>
      factor.id === 'heat' ? { ...factor, value } : factor,
    ),
  });
}

const rounded = (value: number | null) => (value === null ? null : Math.round(value * 1e9) / 1e9);

describe('inventory editions', () => {
  it('gives the same inputs the same edition, built once', async () => {
    const editionsDir = mkdtempSync(join(tmpdir(), 'terreze-editions-'));
    const partitions = await landRawRows(testProject());
    const first = await build(testProject(), editionsDir, partitions);
    const manifest = readFileSync(join(first.editionDir, 'edition.json'), 'utf8');
    const second = await build(testProject(), editionsDir, partitions);

    expect(second.editionId).toBe(first.editionId);
    expect(readFileSync(join(first.editionDir, 'edition.json'), 'utf8')).toBe(manifest);
    expect((await listEditions(editionsDir, 2023)).map((item) => item.manifest.editionId)).toEqual([
      first.editionId,
    ]);
    expect(existsSync(join(first.editionDir, 'diff.json'))).toBe(false);
  });

  it('pins the version of every factor it applied in its manifest', async () => {
    const editionsDir = mkdtempSync(join(tmpdir(), 'terreze-editions-'));
    const summary = await build(testProject(), editionsDir, await landRawRows(testProject()));
    const manifest = (await readEditionManifest(summary.editionDir))!;

    // The inventory's, the recovery's and the levers' factors: eight of them.
    expect(manifest.factors.map((factor) => [factor.factorRef, factor.kgco2ePerUnit])).toEqual([
      ['base-carbone:34682', 87],
      ['base-carbone:42513', 0.052],
      ['local:composting', 191.5],
      ['local:diesel', 3.17],
      ['local:gas', 0.215],
      ['local:heat', 0.112],
      ['local:putrescible-incineration', 0.045],
      ['local:recycling-test', 100],
    ]);
    for (const factor of manifest.factors) expect(factor.version).toMatch(/^[0-9a-f]{12}$/);
    expect(manifest.previousEditionId).toBeNull();
    expect(manifest.baseline).toEqual({
      kind: 'declared',
      tco2e: 200,
      source: 'hand-written test figure',
      editionId: null,
    });
  });

  it('makes a changed factor a new edition with a diff, never a rewrite of the past one', async () => {
    /*
     * Heat at 0.2 instead of 0.112 kgCO2e/kWh: the estimated heat rows are 17300 R 100 MWh and
     * 17200 R 50 MWh (the tertiary row is secret), 150,000 kWh × 0.088 = +13.2 t, all in I.1.2:
     * 68.8 → 82 t; sector I 195.3 → 208.5 t; total 198.418231 → 211.618231 t, +6.652614497 %
     * (python3). Rows: 11.2 → 20 t (+8.8) and 5.6 → 10 t (+4.4).
     */
    const editionsDir = mkdtempSync(join(tmpdir(), 'terreze-editions-'));
    const partitions = await landRawRows(testProject());
    const first = await build(testProject(), editionsDir, partitions);
    const before = {
      manifest: sha256(join(first.editionDir, 'edition.json')),
      database: sha256(first.databaseFile),
    };
    const second = await build(withHeatFactor(0.2), editionsDir, partitions);

    expect(second.editionId).not.toBe(first.editionId);
    expect(rounded(second.totalTco2e)).toBe(211.618231);
    expect(sha256(join(first.editionDir, 'edition.json'))).toBe(before.manifest);
    expect(sha256(first.databaseFile)).toBe(before.database);
    const database = await openDatabase(first.databaseFile, { access_mode: 'READ_ONLY' });
    const [past] = (
      await database.connection.runAndReadAll('select total_tco2e from inventory_summary')
    ).getRowObjectsJS();
    database.close();
    expect(rounded(Number(past?.total_tco2e))).toBe(198.418231);

    const manifest = (await readEditionManifest(second.editionDir))!;
    expect(manifest.previousEditionId).toBe(first.editionId);
    const diff = JSON.parse(
      readFileSync(join(second.editionDir, 'diff.json'), 'utf8'),
    ) as EditionDiff;
    expect(diff.previousEditionId).toBe(first.editionId);
    expect(diff.editionId).toBe(second.editionId);
    expect(diff.inputs).toEqual([]);
    expect(
      diff.factors.map((factor) => [
        factor.factorRef,
        factor.change,
        factor.previous?.kgco2ePerUnit,
        factor.current?.kgco2ePerUnit,
      ]),
    ).toEqual([['local:heat', 'changed', 0.112, 0.2]]);
    expect(rounded(diff.total.changeTco2e)).toBe(13.2);
    expect(rounded(diff.total.changePercent)).toBe(6.652614497);
    expect(
      diff.sectors.map((item) => [
        item.sector,
        rounded(item.previousTco2e),
        rounded(item.currentTco2e),
        rounded(item.changeTco2e),
      ]),
    ).toEqual([['I', 195.3, 208.5, 13.2]]);
    expect(
      diff.subsectors.map((item) => [
        item.gpcRef,
        rounded(item.previousTco2e),
        rounded(item.changeTco2e),
      ]),
    ).toEqual([['I.1.2', 68.8, 13.2]]);
    expect(
      diff.rows?.map((row) => [
        row.detailKey,
        rounded(row.previousTco2e),
        rounded(row.currentTco2e),
        rounded(row.changeTco2e),
      ]),
    ).toEqual([
      ['1701C|172000101|heat|R', 5.6, 10, 4.4],
      ['1701C|173000101|heat|R', 11.2, 20, 8.8],
    ]);
  });

  it('prints the diff as lines an operator reads in a terminal', async () => {
    const editionsDir = mkdtempSync(join(tmpdir(), 'terreze-editions-'));
    const partitions = await landRawRows(testProject());
    const first = await build(testProject(), editionsDir, partitions);
    const second = await build(withHeatFactor(0.2), editionsDir, partitions);
    const [previous, current] = await listEditions(editionsDir, 2023);
    const diff = await diffEditions(previous!, current!);

    expect(editionDiffLines(diff)).toEqual([
      `Edition ${second.editionId} against ${first.editionId} (reporting year 2023)`,
      '  factor local:heat changed: 0.112 kgCO2e/kWh → 0.2 kgCO2e/kWh',
      '  total 198.418 tCO2e → 211.618 tCO2e (+13.200 tCO2e)',
      '  sector I: +13.200 tCO2e',
      '  sub-sector I.1.2: +13.200 tCO2e',
      '  2 activity row(s) changed',
      '    heat heat-network 1701C|172000101|heat|R (I.1.2): 5.600 tCO2e → 10.000 tCO2e',
      '    heat heat-network 1701C|173000101|heat|R (I.1.2): 11.200 tCO2e → 20.000 tCO2e',
    ]);
  });

  it("starts the trajectory from the reference year's own edition when there is one", async () => {
    const editionsDir = mkdtempSync(join(tmpdir(), 'terreze-editions-'));
    const project = testProject({ referenceYear: 2020, baseline: { from: 'edition' } });
    const partitions = await landRawRows(project);
    const reference = await build(project, editionsDir, partitions, 2020);
    const current = await build(project, editionsDir, partitions, 2023);
    const database = await openDatabase(current.databaseFile, { access_mode: 'READ_ONLY' });
    const [baseline] = (
      await database.connection.runAndReadAll(
        'select kind, round(baseline_tco2e, 9) as tco2e, baseline_source, baseline_edition_id, same_models from baseline',
      )
    ).getRowObjectsJS();
    database.close();

    // The same fixture rows computed for 2020 give the same total, 198.418231 t.
    expect(baseline).toEqual({
      kind: 'edition',
      tco2e: 198.418231,
      baseline_source: `inventory edition ${reference.editionId} of 2020`,
      baseline_edition_id: reference.editionId,
      same_models: true,
    });
    expect((await readEditionManifest(current.editionDir))?.baseline?.editionId).toBe(
      reference.editionId,
    );
  });
});
