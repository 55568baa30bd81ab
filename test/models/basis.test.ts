import { describe, expect, it } from 'vitest';
import { ModelError } from '../../lib/errors.js';
import { testInventory } from './fixture-inventory.js';
import { testProject } from './fixtures.js';
import { inventoryOf, queryInventory } from './run-models.js';

/** The fixture's local factors with the composting one changed as `change` says. */
function compostingFactor(change: Record<string, unknown>) {
  return testInventory.localFactors.map((factor) =>
    factor.id === 'composting' ? { ...factor, ...change } : factor,
  );
}

describe('the wet or dry basis of factors per mass', () => {
  it('applies a wet-weight factor to wet tonnages and says so on the row', async () => {
    const rows = await queryInventory(
      `select activity_key, mass_basis, factor_ref, factor_basis, round(tco2e, 9) as tco2e
       from emissions where activity_key = 'waste-composting-green'`,
    );

    // 10 t × 0.25 (as collected) × (4 × 28 + 0.3 × 265) kg/t = 0.47875 t.
    expect(rows).toEqual([
      {
        activity_key: 'waste-composting-green',
        mass_basis: 'wet',
        factor_ref: 'local:composting',
        factor_basis: 'wet',
        tco2e: 0.47875,
      },
    ]);
  });

  it('stops the run when a dry-weight factor meets wet tonnages', async () => {
    // The IPCC dry-weight defaults, 10 g CH4 and 0.6 g N2O per kg, on the fixture's wet tonnes.
    const project = testProject({
      localFactors: compostingFactor({ gases: { CH4: 10, N2O: 0.6 }, basis: 'dry' }),
    });
    const run = inventoryOf(project);

    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(
      /factor_basis_matches found 2 failing row\(s\):\n {2}\{"used_by":"inventory","source_id":"waste","activity_key":"waste-composting-green","quantity_basis":"wet","factor_ref":"local:composting","factor_basis":"dry","rows":"1"\}\n {2}\{"used_by":"lever composting",/,
    );
  });

  it('pins the declared basis in the version of the factor', async () => {
    const withBasis = await queryInventory(
      `select factor_version from factors where factor_ref = 'local:composting'`,
    );
    const without = await queryInventory(
      `select factor_version from factors where factor_ref = 'local:composting'`,
      testProject({ localFactors: compostingFactor({ basis: undefined }) }),
    );

    // The basis is part of what the version pins, so declaring one is a change of factor.
    expect(withBasis[0]?.factor_version).not.toBe(without[0]?.factor_version);
  });

  it('refuses a basis on a factor that is not per a mass', () => {
    const localFactors = testInventory.localFactors.map((factor) =>
      factor.id === 'heat' ? { ...factor, basis: 'wet' } : factor,
    );

    expect(() => testProject({ localFactors })).toThrow(
      /a basis only on a factor per mass \(t, kg\); kgCO2e\/kWh is not/,
    );
  });
});
