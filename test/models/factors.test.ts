import { describe, expect, it } from 'vitest';
import { ModelError } from '../../lib/errors.js';
import { type RawRows, rawRows, testProject } from './fixtures.js';
import { inventoryOf, queryInventory } from './run-models.js';

/** The test project with a second registry source on the Base Carbone connector. */
function withSecondRegistry(value: number) {
  const project = testProject();
  const factors = project.sources.find((source) => source.id === 'factors')!;
  project.sources.push({ ...factors, id: 'factors-api', title: 'Base Carbone API' });
  const element = rawRows.factors!.rows.find((row) => row.factor_id === '42513')!;
  const rows: RawRows = {
    ...rawRows,
    'factors-api': { period: 'current', rows: [{ ...element, total_kgco2e: value }] },
  };
  return { project, rows };
}

describe('emission-factor registry', () => {
  it('keeps Base Carbone element totals with their per-gas breakdown, never the posts', async () => {
    const rows = await queryInventory(
      `select factor_ref, registry, value_kgco2e, unit, activity_unit, co2_fossil_kgco2e,
         ch4_fossil_kgco2e, ch4_biogenic_kgco2e, n2o_kgco2e, validity_year, status
       from factors where registry = 'base-carbone' order by factor_ref`,
    );

    // The fixture's element rows; 14087 carries the export's gas columns (3.18 + 0.05 + 0 +
    // 0.0145 = 3.2445 kgCO2e/L beside its rounded total 3.25).
    expect(rows).toEqual([
      {
        factor_ref: 'base-carbone:14087',
        registry: 'base-carbone',
        value_kgco2e: 3.25,
        unit: 'kgCO2e/litre',
        activity_unit: 'L',
        co2_fossil_kgco2e: 3.18,
        ch4_fossil_kgco2e: 0.05,
        ch4_biogenic_kgco2e: 0,
        n2o_kgco2e: 0.0145,
        validity_year: 2022,
        status: 'Valide générique',
      },
      {
        factor_ref: 'base-carbone:34682',
        registry: 'base-carbone',
        value_kgco2e: 87,
        unit: 'kgCO2e/tonne de déchets',
        activity_unit: 't',
        co2_fossil_kgco2e: null,
        ch4_fossil_kgco2e: null,
        ch4_biogenic_kgco2e: null,
        n2o_kgco2e: null,
        validity_year: 2022,
        status: 'Valide générique',
      },
      {
        factor_ref: 'base-carbone:42513',
        registry: 'base-carbone',
        value_kgco2e: 0.052,
        unit: 'kgCO2e/kWh',
        activity_unit: 'kWh',
        co2_fossil_kgco2e: null,
        ch4_fossil_kgco2e: null,
        ch4_biogenic_kgco2e: null,
        n2o_kgco2e: null,
        validity_year: 2022,
        status: 'Valide générique',
      },
    ]);
  });

  it('weights factors declared per gas by the GWP set and keeps their source', async () => {
    const rows = await queryInventory(
      `select factor_ref, value_kgco2e, unit, activity_unit, co2_kg, ch4_kg, n2o_kg,
         mass_basis, validity_year, factor_source, status
       from factors where factor_ref in ('local:composting', 'local:gas') order by factor_ref`,
    );

    // The wet-weight defaults: 4 kg CH4 × 28 + 0.3 kg N2O × 265 = 112 + 79.5 = 191.5 kgCO2e per
    // tonne, declared on a wet basis.
    expect(rows).toEqual([
      {
        factor_ref: 'local:composting',
        value_kgco2e: 191.5,
        unit: 'kgCO2e/t',
        activity_unit: 't',
        co2_kg: 0,
        ch4_kg: 4,
        n2o_kg: 0.3,
        mass_basis: 'wet',
        validity_year: 2006,
        factor_source: 'IPCC 2006, vol. 5 ch. 4, Table 4.1, wet-weight defaults',
        status: 'declared',
      },
      {
        factor_ref: 'local:gas',
        value_kgco2e: 0.215,
        unit: 'kgCO2e/kWh PCS',
        activity_unit: 'kWh PCS',
        co2_kg: null,
        ch4_kg: null,
        n2o_kg: null,
        mass_basis: null,
        validity_year: 2022,
        factor_source: 'Base Empreinte',
        status: 'declared',
      },
    ]);
  });

  it('pins each factor to a version that follows its value and its registry partition', async () => {
    const first = await inventoryOf();
    const [pinned] = await first.query(
      `select f.factor_version, f.registry_sha256 = p.sha256 as same_partition
       from factors as f join partitions as p on p.source_id = 'factors'
       where f.factor_ref = 'base-carbone:42513'`,
    );
    const [heat] = await first.query(
      `select factor_version from factors where factor_ref = 'local:heat'`,
    );
    first.close();
    const project = testProject({
      localFactors: testProject().inventory.localFactors.map((factor) =>
        factor.id === 'heat' ? { ...factor, value: 0.2 } : factor,
      ),
    });
    const second = await inventoryOf(project);
    const [changed] = await second.query(
      `select factor_version from factors where factor_ref = 'local:heat'`,
    );
    second.close();

    expect(pinned).toMatchObject({ same_partition: true });
    expect(String(pinned?.factor_version)).toMatch(/^[0-9a-f]{12}$/);
    expect(changed?.factor_version).not.toBe(heat?.factor_version);
  });

  it('keeps one row when two registry sources give the same version of a factor', async () => {
    const { project, rows } = withSecondRegistry(0.052);
    const found = await queryInventory(
      `select factor_ref, registry_source_id, value_kgco2e from factors
       where factor_ref = 'base-carbone:42513'`,
      project,
      rows,
    );

    expect(found).toEqual([
      { factor_ref: 'base-carbone:42513', registry_source_id: 'factors', value_kgco2e: 0.052 },
    ]);
  });

  it('stops the run when two registry sources disagree on a factor', async () => {
    const { project, rows } = withSecondRegistry(0.06);
    const run = inventoryOf(project, { rows });

    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(
      /factors_unique found 1 failing row.*"factor_ref":"base-carbone:42513","versions":"2"/s,
    );
  });
});
