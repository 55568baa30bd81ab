import { describe, expect, it } from 'vitest';
import type { Project } from '../../config/project.js';
import { ModelError } from '../../lib/errors.js';
import { ore, rawRows, testProject } from './fixtures.js';
import { inventoryOf } from './run-models.js';

/** The test project with its transit feed declared as standing in for another network's. */
function withStandInTransit(): Project {
  const project = testProject();
  return {
    ...project,
    sources: project.sources.map((source) =>
      source.id === 'transit'
        ? { ...source, standIn: { for: 'the territory bus network', reason: 'test feed' } }
        : source,
    ),
  };
}

describe('what the totals leave out, and say so', () => {
  it('keeps a stand-in feed out of every total and reports its figure as illustrative', async () => {
    /*
     * The bus rows (2 days × 10 vehicle-km × 0.465 L/km × 3.17 kgCO2e/L = 0.029481 t) are
     * illustrative: II.1.1 is NE and the total is 198.418231 − 0.029481 = 198.38875 t, per
     * inhabitant 0.19838875 t. The electric-bus lever's share: 112.932 / 198.38875 =
     * 0.569245988 (python3); its sub-sector has no inventory figure to compare with.
     */
    const { query, close } = await inventoryOf(withStandInTransit());
    const [subsector] = await query(
      `select tco2e, notation_key, notation_reason, round(illustrative_tco2e, 9) as illustrative,
         stand_in from inventory_gpc where gpc_ref = 'II.1.1'`,
    );
    const [sector] = await query(
      `select tco2e, notation_key, round(illustrative_tco2e, 9) as illustrative
       from inventory_sector where sector = 'II'`,
    );
    const [summary] = await query(
      `select round(total_tco2e, 9) as total, round(tco2e_per_inhabitant, 12) as per_inhabitant,
         transportation_tco2e, round(illustrative_tco2e, 9) as illustrative from inventory_summary`,
    );
    const [published] = await query(
      'select round(total_tco2e, 9) as total, round(illustrative_tco2e, 9) as illustrative from public_inventory_summary',
    );
    const illustrative = await query(
      `select source_id, stand_in_for, gpc_ref, activity_key, quantity, unit,
         round(illustrative_tco2e, 9) as illustrative, factor_refs from illustrative_emissions`,
    );
    const [lever] = await query(
      `select round(savings_share_of_total, 9) as share, inventory_subsector_tco2e,
         inventory_subsector_notation_key, baseline_exceeds_inventory, inventory_caution,
         inventory_caution_reason
       from levers where lever_id = 'electric-buses'`,
    );
    const [trajectory] = await query(
      'select round(reporting_year_gap_tco2e, 9) as gap from trajectory_summary',
    );
    close();

    expect(subsector).toEqual({
      tco2e: null,
      notation_key: 'NE',
      notation_reason: 'stand-in data only (illustrative)',
      illustrative: 0.029481,
      stand_in: true,
    });
    expect(sector).toEqual({ tco2e: null, notation_key: 'NE', illustrative: 0.029481 });
    expect(summary).toEqual({
      total: 198.38875,
      per_inhabitant: 0.19838875,
      transportation_tco2e: null,
      illustrative: 0.029481,
    });
    expect(published).toEqual({ total: 198.38875, illustrative: 0.029481 });
    expect(illustrative).toEqual([
      {
        source_id: 'transit',
        stand_in_for: 'the territory bus network',
        gpc_ref: 'II.1.1',
        activity_key: 'transit-bus-diesel',
        quantity: 20,
        unit: 'vehicle-km',
        illustrative: 0.029481,
        factor_refs: 'local:diesel',
      },
    ]);
    // II.1.1 has no estimate: the lever's 112.932 t saved are no share of the total.
    expect(lever).toEqual({
      share: null,
      inventory_subsector_tco2e: null,
      inventory_subsector_notation_key: 'NE',
      baseline_exceeds_inventory: null,
      inventory_caution: 'subsector-not-estimated',
      inventory_caution_reason:
        "sub-sector II.1.1 has no estimate in the inventory (NE): the lever's emissions are in " +
        'no total',
    });
    // 198.38875 − 182 (the path in 2023, trajectory.test.ts) = 16.38875 t.
    expect(trajectory).toEqual({ gap: 16.38875 });
  });

  it("keeps the territory's own source over a stand-in of a later data year", async () => {
    const project = testProject();
    project.sources = project.sources.map((source) =>
      source.id === 'electricity'
        ? { ...source, standIn: { for: 'the territory electricity', reason: 'test' } }
        : source,
    );
    const rows = structuredClone(rawRows);
    rows.ore!.rows.push({ ...ore('17200', 'electricity', 'residential', 30, 12), year: 2022 });
    const { query, close } = await inventoryOf(project, { rows });
    const found = await query(
      `select source_id, data_year, emission_notation_key as key, tco2e, illustrative_tco2e
       from emissions where activity_key = 'electricity' and gpc_ref = 'I.1.2' order by source_id`,
    );
    close();

    // ORE's 2022 row is the territory's own: 30 MWh × 0.052 = 1.56 t; the 2023 stand-in is IE.
    expect(found).toEqual([
      {
        source_id: 'electricity',
        data_year: 2023n,
        key: 'IE',
        tco2e: null,
        illustrative_tco2e: null,
      },
      { source_id: 'ore', data_year: 2022n, key: null, tco2e: 1.56, illustrative_tco2e: null },
    ]);
  });

  it('lists every row without a figure, with its quantity, and recycling as a memo item', async () => {
    /*
     * Fixture rows without a figure (inventory.test.ts): the cold row of 17300, 10 MWh from 10
     * delivery points (no factor); the secret heat row of 17300 and the secret tertiary gas row
     * (2 delivery points); incinerated hazardous waste 5 t × 0.25 = 1.25 t (no factor); recycled
     * materials 50 t × 0.25 = 12.5 t, a memo item outside GPC III.
     */
    const { query, close } = await inventoryOf();
    const outside = await query(
      `select source_id, gpc_ref, activity_key, category, notation_key, rows, quantity, unit,
         delivery_points from not_in_totals`,
    );
    const memo = await query(
      `select source_id, data_year, waste_stream, quantity, unit, mass_basis, quality, note
       from memo_material_recovery`,
    );
    close();

    expect(outside).toEqual([
      row('heat', 'I.2.2', 'cooling-network', 'not estimated', 'NE', 10, 'MWh', 10),
      row('heat', 'I.2.2', 'heat-network', 'confidential', 'C', null, 'MWh', null),
      row('ore', 'I.2.1', 'natural-gas', 'confidential', 'C', null, 'MWh PCS', 2),
      row('waste', 'III.3.1', 'waste-incineration-hazardous', 'not estimated', 'NE', 1.25, 't'),
      row('waste', null, 'waste-material-recovery', 'memo item', null, 12.5, 't'),
    ]);
    expect(memo).toEqual([
      {
        source_id: 'waste',
        data_year: 2017n,
        waste_stream: 'recyclables',
        quantity: 12.5,
        unit: 't',
        mass_basis: 'wet',
        quality: 'downscaled',
        note:
          "not a GPC III emission source; recycling's process emissions belong to the sector " +
          'that recycles, not estimated here',
      },
    ]);
  });

  it('publishes an outside quantity to a masked audience only from three delivery points', async () => {
    const rows = structuredClone(rawRows);
    const cold = rows.heat!.rows.find((item) => item.energy === 'cold')!;
    cold.delivery_points = 2;
    const { query, close } = await inventoryOf(testProject(), { rows });
    const published = await query(
      `select activity_key, quantity, masked from public_not_in_totals
       where source_id in ('heat', 'waste') order by activity_key`,
    );
    close();

    // Two delivery points are under the count rule's three; tonnages have no delivery points.
    expect(published).toEqual([
      { activity_key: 'cooling-network', quantity: null, masked: true },
      { activity_key: 'heat-network', quantity: null, masked: false },
      { activity_key: 'waste-incineration-hazardous', quantity: 1.25, masked: false },
      { activity_key: 'waste-material-recovery', quantity: 12.5, masked: false },
    ]);
  });

  it('stops the run on a negative quantity, naming the source, period, activity and value', async () => {
    const rows = structuredClone(rawRows);
    rows.waste!.rows.push({ ...rows.waste!.rows[0]!, waste_code: '02E', tonnes: -40 });
    const run = inventoryOf(testProject(), { rows });

    // −40 t in the département × 0.25 = −10 t of rubble landfilled.
    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(
      'source waste, period 2017: activity waste-landfill-inert (17|02E|02D) has a negative ' +
        'quantity, -10.0 t; a negative tonnage or consumption never becomes negative emissions',
    );
  });
});

function row(
  sourceId: string,
  gpcRef: string | null,
  activityKey: string,
  category: string,
  notationKey: string | null,
  quantity: number | null,
  unit: string,
  deliveryPoints: number | null = null,
) {
  return {
    source_id: sourceId,
    gpc_ref: gpcRef,
    activity_key: activityKey,
    category,
    notation_key: notationKey,
    rows: 1n,
    quantity,
    unit,
    delivery_points: deliveryPoints === null ? null : BigInt(deliveryPoints),
  };
}
