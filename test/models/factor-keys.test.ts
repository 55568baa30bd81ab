import { describe, expect, it } from 'vitest';
import { ModelError } from '../../lib/errors.js';
import { testInventory } from './fixture-inventory.js';
import { testProject } from './fixtures.js';
import { inventoryOf, queryInventory } from './run-models.js';

describe('factors the project selects', () => {
  it('keeps an activity without a declared factor visible: NE, with its reason', async () => {
    const { electricity: _left, ...factors } = testInventory.factors;
    const rows = await queryInventory(
      `select source_id, gpc_ref, quantity, unit, tco2e, emission_notation_key as key,
         emission_notation_reason as reason
       from emissions where activity_key = 'electricity' order by source_id`,
      testProject({ factors }),
    );

    // The fixture's Enedis row of the territory (1000 MWh) and the ORE tertiary row (200 MWh).
    expect(rows).toEqual([
      {
        source_id: 'electricity',
        gpc_ref: 'I.1.2',
        quantity: 1000,
        unit: 'MWh',
        tco2e: null,
        key: 'NE',
        reason: 'no factor selected for electricity',
      },
      {
        source_id: 'ore',
        gpc_ref: 'I.2.2',
        quantity: 200,
        unit: 'MWh',
        tco2e: null,
        key: 'NE',
        reason: 'no factor selected for electricity',
      },
    ]);
  });

  it('names the project key, the id and where ids come from for a factor not in the registry', async () => {
    const project = testProject();
    project.inventory.factors.electricity = 'base-carbone:99999999';
    const run = inventoryOf(project);

    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(
      'check selected_factors_exist found 1 failing row(s):\n  inventory.factors.electricity: ' +
        'factor base-carbone:99999999 is not in the registry; a base-carbone:<id> is the ' +
        `"Identifiant de l'élément" of an element row in the Base Carbone export the cycle ` +
        'collected (factors)',
    );
  });

  it('names the avoided-factor key and the registries for a factor of an unknown registry', async () => {
    const project = testProject();
    project.inventory.avoidedFactors['material-recovery'] = 'ademe-api:7';
    const run = inventoryOf(project);

    await expect(run).rejects.toThrow(
      'check selected_factors_exist found 1 failing row(s):\n  ' +
        'inventory.avoidedFactors.material-recovery: factor ademe-api:7 is not in the registry; ' +
        'the registries are base-carbone and local (one stg_factors_<registry>.sql each)',
    );
  });
});
