import { describe, expect, it } from 'vitest';
import { testProject } from './fixtures.js';
import { inventoryOf } from './run-models.js';

/*
 * The fixture's 2023 total is 198.418231 t (see inventory.test.ts). Targets: −30 % in 2030 and
 * net zero in 2040 against the reference year.
 */
const summaryColumns = `reference_year, reporting_year, round(baseline_tco2e, 9) as baseline,
  baseline_source, round(change_since_reference_percent, 9) as change_percent,
  round(reporting_year_path_tco2e, 9) as path, round(reporting_year_gap_tco2e, 9) as gap,
  next_target_year, round(next_target_tco2e, 9) as next_target,
  round(reduction_needed_for_next_target_tco2e, 9) as reduction_needed, budget_end_year,
  round(carbon_budget_tco2e, 9) as budget, round(budget_used_tco2e, 9) as used,
  round(budget_used_share, 9) as used_share, baseline_same_coverage`;

describe('trajectory against the targets', () => {
  it('draws the straight path from a declared reference figure and uses the budget', async () => {
    /*
     * Declared 2020 figure: 200 t. Path: 200 × (1 − 0.30 × (y − 2020) / 10) until 2030 (140 t),
     * then 140 × (1 − (y − 2030) / 10) until 2040 (0 t). 2023: 200 × 0.91 = 182 t, gap
     * 198.418231 − 182 = 16.418231 t. Budget: 200 × (11 − 0.03 × 55) = 1,870 t for 2020–2030
     * plus 140 × (10 − 5.5) = 630 t for 2031–2040, 2,500 t. Used: 2020–2023, four years on a
     * straight line from 200 to 198.418231: 2 × 398.418231 = 796.836462 t, 31.87345848 %.
     */
    const { query, close } = await inventoryOf();
    const [summary] = await query(`select ${summaryColumns} from trajectory_summary`);
    const path = await query(
      `select year, round(path_tco2e, 9) as path, round(inventory_tco2e, 9) as inventory,
         round(gap_tco2e, 9) as gap, milestone
       from trajectory where year in (2020, 2023, 2025, 2030, 2035, 2040) order by year`,
    );
    const [count] = await query('select count(*)::integer as years from trajectory');
    close();

    expect(summary).toEqual({
      reference_year: 2020,
      reporting_year: 2023,
      baseline: 200,
      baseline_source: 'hand-written test figure',
      change_percent: -0.7908845,
      path: 182,
      gap: 16.418231,
      next_target_year: 2030,
      next_target: 140,
      reduction_needed: 58.418231,
      budget_end_year: 2040,
      budget: 2500,
      used: 796.836462,
      used_share: 0.318734585,
      baseline_same_coverage: null,
    });
    expect(path).toEqual([
      { year: 2020, path: 200, inventory: 200, gap: 0, milestone: 'reference year' },
      { year: 2023, path: 182, inventory: 198.418231, gap: 16.418231, milestone: null },
      { year: 2025, path: 170, inventory: null, gap: null, milestone: null },
      { year: 2030, path: 140, inventory: null, gap: null, milestone: '30.0 % reduction' },
      { year: 2035, path: 70, inventory: null, gap: null, milestone: null },
      { year: 2040, path: 0, inventory: null, gap: null, milestone: 'net zero' },
    ]);
    expect(count).toEqual({ years: 21 });
  });

  it('takes the edition itself as baseline when the reporting year is the reference year', async () => {
    /*
     * B = 198.418231 t in 2023. Budget: B × Σ_{k=0..7} (1 − 0.3 k / 7) = 6.8 B for 2023–2030,
     * plus 0.7 B × Σ_{j=1..10} (1 − j / 10) = 3.15 B for 2031–2040: 9.95 B = 1,974.26139845 t.
     * Used: the reporting year alone, B; share 1 / 9.95 = 0.100502513.
     */
    const project = testProject({
      referenceYear: 2023,
      baseline: { from: 'edition', note: 'no earlier edition' },
    });
    const { query, close } = await inventoryOf(project);
    const [summary] = await query(`select ${summaryColumns} from trajectory_summary`);
    const [baseline] = await query('select kind, note from baseline');
    close();

    expect(summary).toEqual({
      reference_year: 2023,
      reporting_year: 2023,
      baseline: 198.418231,
      baseline_source: 'this edition: the reporting year is the reference year',
      change_percent: 0,
      path: 198.418231,
      gap: 0,
      next_target_year: 2030,
      next_target: 138.8927617,
      reduction_needed: 59.5254693,
      budget_end_year: 2040,
      budget: 1974.26139845,
      used: 198.418231,
      used_share: 0.100502513,
      baseline_same_coverage: true,
    });
    expect(baseline).toEqual({ kind: 'edition', note: 'no earlier edition' });
  });

  it('says when the baseline edition covers other sub-sectors than this one', async () => {
    const project = testProject({ baseline: { from: 'edition' } });
    const { query, close } = await inventoryOf(project, {
      baseline: {
        kind: 'edition',
        tco2e: 250,
        source: 'inventory edition 2020-abc of 2020',
        editionId: '2020-abc',
        sameModels: true,
        estimatedSubsectors: 'I.1.2, III.1.1',
        complete: true,
        missingSources: null,
        note: null,
      },
    });
    const [row] = await query(
      `select baseline_tco2e, baseline_source, baseline_edition_id, same_coverage,
         baseline_estimated_subsectors, estimated_subsectors from baseline`,
    );
    close();

    expect(row).toEqual({
      baseline_tco2e: 250,
      baseline_source: 'inventory edition 2020-abc of 2020',
      baseline_edition_id: '2020-abc',
      same_coverage: false,
      baseline_estimated_subsectors: 'I.1.2, III.1.1',
      estimated_subsectors: 'I.1.1, I.1.2, I.2.2, II.1.1, III.1.1, III.2.1, III.3.1',
    });
  });

  it('leaves the path empty, not zero, when no edition of the reference year exists', async () => {
    const project = testProject({ baseline: { from: 'edition' } });
    const { query, close } = await inventoryOf(project, {
      baseline: {
        kind: 'edition-missing',
        tco2e: null,
        source: 'no inventory edition of 2020 yet: run the 2020 cycle first',
        editionId: null,
        sameModels: null,
        estimatedSubsectors: null,
        complete: null,
        missingSources: null,
        note: null,
      },
    });
    const [summary] = await query(
      'select baseline_tco2e, baseline_source, carbon_budget_tco2e, budget_used_share from trajectory_summary',
    );
    close();

    expect(summary).toEqual({
      baseline_tco2e: null,
      baseline_source: 'no inventory edition of 2020 yet: run the 2020 cycle first',
      carbon_budget_tco2e: null,
      budget_used_share: null,
    });
  });
});
