import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createComputeActivities } from '../../activities/compute.js';
import { type ActivityDependencies, projectPaths } from '../../activities/dependencies.js';
import { readEditionManifest } from '../../activities/editions.js';
import { loadSettings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { openDatabase } from '../../lib/duckdb.js';
import { createLogger } from '../../lib/logger.js';
import { landRawRows, rawRows, testProject } from './fixtures.js';

/*
 * The cycle of the fixture territory when two sources fail under `onSourceFailure: continue`:
 * - `electricity` failed, but landed a partition before: its staging model run on that
 *   partition gives its rows the reference I.1.2 (the other EPCI's row is outside), so I.1.2
 *   is computed from the heat rows alone, 17300 R 100 MWh and 17200 R 50 MWh × 0.112 kgCO2e/kWh
 *   = 16.8 t, and flagged incomplete;
 * - `waste` failed and never landed anything: its domain (waste) makes every GPC III
 *   sub-sector incomplete; none has a row left, so each is NE with the reason.
 * Sector I: 116.1 + 16.8 + 10.4 = 143.3 t; II 0.029481 t; III NE; total 143.329481 t
 * (figures of inventory.test.ts, python3).
 */
async function computeWithFailures(project = testProject(), reportingYears = [2023]) {
  const homeDir = mkdtempSync(join(tmpdir(), 'terreze-completeness-'));
  const dependencies: ActivityDependencies = {
    settings: loadSettings({ ...process.env, TERREZE_HOME: homeDir }),
    loaded: { file: join(homeDir, 'terreze.yaml'), directory: homeDir, project },
    connectors,
    logger: createLogger({ level: 'error' }),
  };
  const { lake } = projectPaths(dependencies);
  // Every source but the waste one has landed before, the electricity one included.
  const landed = { ...project, sources: project.sources.filter((item) => item.id !== 'waste') };
  await landRawRows(landed, rawRows, lake);

  const { computeInventory } = createComputeActivities(dependencies);
  const collected = ['ore', 'heat', 'transit', 'factors'].map((sourceId) => ({
    sourceId,
    period: rawRows[sourceId]!.period,
  }));
  const failed = [
    { sourceId: 'electricity', message: 'GET …/records answered 503 after 5 attempts' },
    { sourceId: 'waste', message: 'GET …/sinoe.csv answered 404' },
  ];
  const summaries = [];
  for (const reportingYear of reportingYears) {
    summaries.push(await computeInventory({ reportingYear, collected, failed, skipped: [] }));
  }
  return summaries.at(-1)!;
}

describe('figures fed by a source the cycle could not collect', () => {
  it('flags the sub-sectors, sectors and total a failed source feeds as incomplete', async () => {
    const summary = await computeWithFailures();
    const database = await openDatabase(summary.databaseFile, { access_mode: 'READ_ONLY' });
    const query = async (sql: string) =>
      (await database.connection.runAndReadAll(sql)).getRowObjectsJS();
    const gpc = await query(
      `select gpc_ref, round(tco2e, 9) as tco2e, notation_key, notation_reason, complete,
         missing_sources, incomplete_reason
       from inventory_gpc where gpc_ref in ('I.1.1', 'I.1.2', 'III.1.1', 'III.4.2')
       order by gpc_ref`,
    );
    const sectors = await query(
      `select sector, round(tco2e, 9) as tco2e, notation_key, complete, missing_sources,
         incomplete_subsectors from inventory_sector order by sector`,
    );
    const [total] = await query(
      'select round(total_tco2e, 9) as total, complete, missing_sources from inventory_summary',
    );
    const [published] = await query(
      `select complete, missing_sources from public_inventory_gpc where gpc_ref = 'I.1.2'`,
    );
    const rules = await query(
      `select source_id, count(*)::integer as subsectors, any_value(rule) as rule
       from missing_source_subsectors group by all order by source_id`,
    );
    database.close();

    const waste = 'missing from this edition: waste (failed)';
    expect(gpc).toEqual([
      {
        gpc_ref: 'I.1.1',
        tco2e: 116.1,
        notation_key: null,
        notation_reason: null,
        complete: true,
        missing_sources: null,
        incomplete_reason: null,
      },
      {
        gpc_ref: 'I.1.2',
        tco2e: 16.8,
        notation_key: null,
        notation_reason: null,
        complete: false,
        missing_sources: 'electricity',
        incomplete_reason: 'missing from this edition: electricity (failed)',
      },
      {
        gpc_ref: 'III.1.1',
        tco2e: null,
        notation_key: 'NE',
        notation_reason: waste,
        complete: false,
        missing_sources: 'waste',
        incomplete_reason: waste,
      },
      {
        gpc_ref: 'III.4.2',
        tco2e: null,
        notation_key: 'NE',
        notation_reason: waste,
        complete: false,
        missing_sources: 'waste',
        incomplete_reason: waste,
      },
    ]);
    expect(sectors).toEqual([
      {
        sector: 'I',
        tco2e: 143.3,
        notation_key: null,
        complete: false,
        missing_sources: 'electricity',
        incomplete_subsectors: 'I.1.2',
      },
      {
        sector: 'II',
        tco2e: 0.029481,
        notation_key: null,
        complete: true,
        missing_sources: null,
        incomplete_subsectors: null,
      },
      {
        sector: 'III',
        tco2e: null,
        notation_key: 'NE',
        complete: false,
        missing_sources: 'waste',
        incomplete_subsectors:
          'III.1.1, III.1.2, III.2.1, III.2.2, III.3.1, III.3.2, III.4.1, III.4.2',
      },
    ]);
    expect(total).toEqual({
      total: 143.329481,
      complete: false,
      missing_sources: 'electricity, waste',
    });
    expect(published).toEqual({ complete: false, missing_sources: 'electricity' });
    expect(rules).toEqual([
      {
        source_id: 'electricity',
        subsectors: 1,
        rule: 'sub-sectors its rows of period 2023 (run run-electricity) take through its staging model',
      },
      {
        source_id: 'waste',
        subsectors: 8,
        rule: 'no partition landed: every sub-sector of its domain (waste)',
      },
    ]);
    expect((await readEditionManifest(summary.editionDir))?.failedSources).toEqual([
      { sourceId: 'electricity', message: 'GET …/records answered 503 after 5 attempts' },
      { sourceId: 'waste', message: 'GET …/sinoe.csv answered 404' },
    ]);
  }, 60_000);

  it('says the targets rest on an incomplete baseline when the reference edition lacks sources', async () => {
    /*
     * Reference year 2023, read from the edition: this edition itself in 2023, then that
     * edition from the 2024 cycle. Its total 143.329481 t lacks electricity and waste, so the
     * 2030 target (−30 %) is 0.7 × 143.329481 = 100.3306367 t, lower than a complete one.
     */
    const project = testProject({ referenceYear: 2023, baseline: { from: 'edition' } });
    const columns = `reporting_year, round(baseline_tco2e, 9) as baseline, baseline_complete,
      baseline_missing_sources, round(next_target_tco2e, 9) as next_target`;
    const read = async (file: string) => {
      const database = await openDatabase(file, { access_mode: 'READ_ONLY' });
      const [row] = (
        await database.connection.runAndReadAll(`select ${columns} from trajectory_summary`)
      ).getRowObjectsJS();
      const reference = (
        await database.connection.runAndReadAll(
          `select year, inventory_complete, baseline_complete from trajectory
           where is_reference_year or is_reporting_year order by year`,
        )
      ).getRowObjectsJS();
      database.close();
      return { row, reference };
    };

    const first = await read((await computeWithFailures(project)).databaseFile);
    const next = await read((await computeWithFailures(project, [2023, 2024])).databaseFile);

    const incomplete = {
      baseline: 143.329481,
      baseline_complete: false,
      baseline_missing_sources: 'electricity, waste',
      next_target: 100.3306367,
    };
    expect(first.row).toEqual({ reporting_year: 2023, ...incomplete });
    expect(first.reference).toEqual([
      { year: 2023, inventory_complete: false, baseline_complete: false },
    ]);
    expect(next.row).toEqual({ reporting_year: 2024, ...incomplete });
  }, 60_000);
});
