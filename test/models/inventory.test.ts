import { describe, expect, it } from 'vitest';
import { ModelError } from '../../lib/errors.js';
import { ore, rawRows, testProject } from './fixtures.js';
import { inventoryOf, queryInventory } from './run-models.js';

/*
 * Hand computation for the fixture rows (share of the département: 1,000 / 4,000 = 0.25):
 *   I.1.1  ORE gas, residential: 17300 500 MWh PCS and 17200 40 MWh PCS, × 1,000 kWh/MWh
 *          × 0.215 kgCO2e/kWh PCS = 107.5 t + 8.6 t = 116.1 t; commune 01053 is outside.
 *   I.1.2  electricity 1,000 MWh × 1,000 × 0.052 = 52 t; heat 17300 R 100 MWh and 17200 R
 *          50 MWh × 1,000 × 0.112 = 11.2 t + 5.6 t; total 68.8 t.
 *   I.2.1  ORE gas, tertiary, 17300: `secret` only: confidential (C), no figure.
 *   I.2.2  ORE electricity, tertiary, 17300: 200 MWh × 1,000 × 0.052 = 10.4 t; the heat row is
 *          `secret` (C, left out) and the cold row has no factor (NE).
 *   II.1.1 bus, 2 days of 2017 × 10 vehicle-km × 0.465 L/km × 3.17 kgCO2e/L = 0.029481 t (the
 *          2016 day is outside the data year).
 *   III.1.1 landfilled bulky waste 100 t × 0.25 × 87 kg/t = 2.175 t (département 79 outside).
 *   III.2.1 composted green waste 10 t × 0.25 (wet, as collected) × the IPCC wet-weight
 *          defaults (4 × 28 + 0.3 × 265) = 191.5 kg/t = 0.47875 t.
 *   III.3.1 bulky waste incinerated with energy recovery 20 t × 0.25 × 87 kg/t = 0.435 t;
 *          incinerated hazardous waste 5 t × 0.25 has no factor chosen: NE.
 *   Material recovery 50 t × 0.25 = 12.5 t is a memo item outside GPC III (no key, no figure).
 * Sectors: I 116.1 + 68.8 + 10.4 = 195.3; II 0.029481; III 2.175 + 0.47875 + 0.435 = 3.08875;
 * total 198.418231 (python3).
 */
describe('SQL models on a hand-computed case', () => {
  it('computes the GPC BASIC table with notation keys where nothing is estimated', async () => {
    const rows = await queryInventory(
      `select gpc_ref, round(tco2e, 9) as tco2e, notation_key, notation_reason from inventory_gpc
       where gpc_ref in ('I.1.1','I.1.2','I.2.1','I.2.2','II.1.1','II.2.2','III.1.1','III.2.1',
         'III.3.1','III.4.1') order by gpc_ref`,
    );

    expect(rows).toEqual([
      { gpc_ref: 'I.1.1', tco2e: 116.1, notation_key: null, notation_reason: null },
      { gpc_ref: 'I.1.2', tco2e: 68.8, notation_key: null, notation_reason: null },
      { gpc_ref: 'I.2.1', tco2e: null, notation_key: 'C', notation_reason: 'provider secret' },
      { gpc_ref: 'I.2.2', tco2e: 10.4, notation_key: null, notation_reason: null },
      { gpc_ref: 'II.1.1', tco2e: 0.029481, notation_key: null, notation_reason: null },
      {
        gpc_ref: 'II.2.2',
        tco2e: null,
        notation_key: 'NE',
        notation_reason: 'no source covers this sub-sector',
      },
      { gpc_ref: 'III.1.1', tco2e: 2.175, notation_key: null, notation_reason: null },
      { gpc_ref: 'III.2.1', tco2e: 0.47875, notation_key: null, notation_reason: null },
      { gpc_ref: 'III.3.1', tco2e: 0.435, notation_key: null, notation_reason: null },
      {
        gpc_ref: 'III.4.1',
        tco2e: null,
        notation_key: 'NE',
        notation_reason: 'no source covers this sub-sector',
      },
    ]);
  });

  it('keeps notation keys on activity rows and never turns a masked value into zero', async () => {
    const rows = await queryInventory(
      `select activity_key, round(quantity, 6) as quantity, unit, tco2e,
         emission_notation_key as key, emission_notation_reason as reason
       from emissions where tco2e is null order by activity_key, quantity nulls first`,
    );

    expect(rows).toEqual([
      {
        activity_key: 'cooling-network',
        quantity: 10,
        unit: 'MWh',
        tco2e: null,
        key: 'NE',
        reason: 'no factor selected for cooling-network',
      },
      {
        activity_key: 'heat-network',
        quantity: null,
        unit: 'MWh',
        tco2e: null,
        key: 'C',
        reason: 'provider secret',
      },
      {
        activity_key: 'natural-gas',
        quantity: null,
        unit: 'MWh PCS',
        tco2e: null,
        key: 'C',
        reason: 'provider secret',
      },
      {
        activity_key: 'waste-incineration-hazardous',
        quantity: 1.25,
        unit: 't',
        tco2e: null,
        key: 'NE',
        reason: 'no factor selected for waste-incineration-hazardous',
      },
      {
        activity_key: 'waste-material-recovery',
        quantity: 12.5,
        unit: 't',
        tco2e: null,
        key: null,
        reason:
          "memo item: material recovery is not a GPC III emission source; recycling's process " +
          'emissions belong to the sector that recycles, not estimated here',
      },
    ]);
  });

  it('meets each factor through the declared conversion of the activity unit', async () => {
    const rows = await queryInventory(
      `select distinct activity_key, unit, factor_ref, factor_activity_unit, conversion_multiplier,
         conversion_path
       from emissions where tco2e is not null order by activity_key`,
    );

    expect(rows).toEqual([
      {
        activity_key: 'electricity',
        unit: 'MWh',
        factor_ref: 'base-carbone:42513',
        factor_activity_unit: 'kWh',
        conversion_multiplier: 1000,
        conversion_path: 'MWh → kWh ×1000',
      },
      {
        activity_key: 'heat-network',
        unit: 'MWh',
        factor_ref: 'local:heat',
        factor_activity_unit: 'kWh',
        conversion_multiplier: 1000,
        conversion_path: 'MWh → kWh ×1000',
      },
      {
        activity_key: 'natural-gas',
        unit: 'MWh PCS',
        factor_ref: 'local:gas',
        factor_activity_unit: 'kWh PCS',
        conversion_multiplier: 1000,
        conversion_path: 'MWh PCS → kWh PCS ×1000',
      },
      {
        activity_key: 'transit-bus-diesel',
        unit: 'vehicle-km',
        factor_ref: 'local:diesel',
        factor_activity_unit: 'L',
        conversion_multiplier: 0.465,
        conversion_path: 'vehicle-km → L ×0.465',
      },
      {
        activity_key: 'waste-composting-green',
        unit: 't',
        factor_ref: 'local:composting',
        factor_activity_unit: 't',
        conversion_multiplier: 1,
        conversion_path: 't (same unit)',
      },
      {
        activity_key: 'waste-incineration-non-hazardous',
        unit: 't',
        factor_ref: 'base-carbone:34682',
        factor_activity_unit: 't',
        conversion_multiplier: 1,
        conversion_path: 't (same unit)',
      },
      {
        activity_key: 'waste-landfill-non-hazardous',
        unit: 't',
        factor_ref: 'base-carbone:34682',
        factor_activity_unit: 't',
        conversion_multiplier: 1,
        conversion_path: 't (same unit)',
      },
    ]);
  });

  it('totals sectors, PCAET sectors, communes and the summary', async () => {
    const { query, close } = await inventoryOf();
    const sectors = await query(
      'select sector, round(tco2e, 9) as tco2e, estimated_subsectors from inventory_sector order by sector',
    );
    const pcaet = await query(
      `select pcaet_sector, pcaet_label, round(tco2e, 9) as tco2e, notation_key
       from inventory_pcaet order by pcaet_order`,
    );
    const communes = await query(
      'select row_key, commune_code, round(tco2e, 9) as tco2e, confidential_rows from inventory_commune',
    );
    const summary = await query(
      'select round(total_tco2e, 9) as total, round(tco2e_per_inhabitant, 12) as per_inhabitant from inventory_summary',
    );
    close();

    expect(sectors).toEqual([
      { sector: 'I', tco2e: 195.3, estimated_subsectors: 3n },
      { sector: 'II', tco2e: 0.029481, estimated_subsectors: 1n },
      { sector: 'III', tco2e: 3.08875, estimated_subsectors: 3n },
    ]);
    expect(pcaet).toEqual([
      { pcaet_sector: 'residential', pcaet_label: 'Résidentiel', tco2e: 184.9, notation_key: null },
      { pcaet_sector: 'tertiary', pcaet_label: 'Tertiaire', tco2e: 10.4, notation_key: null },
      {
        pcaet_sector: 'road-transport',
        pcaet_label: 'Transport routier',
        tco2e: 0.029481,
        notation_key: null,
      },
      {
        pcaet_sector: 'other-transport',
        pcaet_label: 'Autres transports',
        tco2e: null,
        notation_key: 'NE',
      },
      { pcaet_sector: 'agriculture', pcaet_label: 'Agriculture', tco2e: null, notation_key: 'NE' },
      { pcaet_sector: 'waste', pcaet_label: 'Déchets', tco2e: 3.08875, notation_key: null },
      {
        pcaet_sector: 'industry',
        pcaet_label: 'Industrie hors branche énergie',
        tco2e: null,
        notation_key: 'NE',
      },
      {
        pcaet_sector: 'energy-branch',
        pcaet_label: 'Branche énergie',
        tco2e: null,
        notation_key: 'NE',
      },
      {
        pcaet_sector: 'unspecified',
        pcaet_label: 'Non affecté à un secteur',
        tco2e: null,
        notation_key: 'NE',
      },
    ]);
    expect(communes).toEqual([
      { row_key: '17200', commune_code: '17200', tco2e: 14.2, confidential_rows: 0n }, // 8.6 + 5.6
      { row_key: '17300', commune_code: '17300', tco2e: 129.1, confidential_rows: 2n }, // 107.5 + 11.2 + 10.4
      // 52 + 0.029481 + 2.175 + 0.47875 + 0.435
      { row_key: 'epci', commune_code: null, tco2e: 55.118231, confidential_rows: 0n },
    ]);
    expect(summary).toEqual([{ total: 198.418231, per_inhabitant: 0.198418231 }]);
  });

  it('normalises carriers, waste streams and PCAET labels on every activity row', async () => {
    const rows = await queryInventory(
      `select distinct source_id, activity_key, energy_carrier, waste_stream, waste_treatment,
         transport_mode, pcaet_sector, pcaet_label, quality
       from activity where source_id in ('ore', 'transit') or activity_key = 'waste-composting-green'
       order by source_id, activity_key, pcaet_sector`,
    );

    expect(rows).toEqual([
      {
        source_id: 'ore',
        activity_key: 'electricity',
        energy_carrier: 'electricity',
        waste_stream: null,
        waste_treatment: null,
        transport_mode: null,
        pcaet_sector: 'tertiary',
        pcaet_label: 'Tertiaire',
        quality: 'measured',
      },
      {
        source_id: 'ore',
        activity_key: 'natural-gas',
        energy_carrier: 'natural-gas',
        waste_stream: null,
        waste_treatment: null,
        transport_mode: null,
        pcaet_sector: 'residential',
        pcaet_label: 'Résidentiel',
        quality: 'measured',
      },
      {
        source_id: 'ore',
        activity_key: 'natural-gas',
        energy_carrier: 'natural-gas',
        waste_stream: null,
        waste_treatment: null,
        transport_mode: null,
        pcaet_sector: 'tertiary',
        pcaet_label: 'Tertiaire',
        quality: 'measured',
      },
      {
        source_id: 'transit',
        activity_key: 'transit-bus-diesel',
        energy_carrier: 'diesel',
        waste_stream: null,
        waste_treatment: null,
        transport_mode: 'bus',
        pcaet_sector: 'road-transport',
        pcaet_label: 'Transport routier',
        quality: 'estimated',
      },
      {
        source_id: 'waste',
        activity_key: 'waste-composting-green',
        energy_carrier: null,
        waste_stream: 'green-waste',
        waste_treatment: 'organic-recovery',
        transport_mode: null,
        pcaet_sector: 'waste',
        pcaet_label: 'Déchets',
        quality: 'downscaled',
      },
    ]);
  });

  it('reports avoided emissions apart, with NE where no recovery factor is declared', async () => {
    const { query, close } = await inventoryOf();
    const avoided = await query(
      `select activity_key, recovery, quantity, avoided_tco2e, notation_key from avoided_emissions
       order by activity_key`,
    );
    const [summary] = await query('select round(total_tco2e, 9) as total from inventory_summary');
    close();

    // Recycled 12.5 t × 100 kgCO2e/t (hand-written test factor) = 1.25 t avoided; the energy
    // recovered from 1.25 t and 5 t incinerated has no declared factor.
    expect(avoided).toEqual([
      {
        activity_key: 'waste-incineration-hazardous',
        recovery: 'energy-recovery',
        quantity: 1.25,
        avoided_tco2e: null,
        notation_key: 'NE',
      },
      {
        activity_key: 'waste-incineration-non-hazardous',
        recovery: 'energy-recovery',
        quantity: 5,
        avoided_tco2e: null,
        notation_key: 'NE',
      },
      {
        activity_key: 'waste-material-recovery',
        recovery: 'material-recovery',
        quantity: 12.5,
        avoided_tco2e: 1.25,
        notation_key: null,
      },
    ]);
    // Never netted: the total is still 198.418231 t.
    expect(summary).toEqual({ total: 198.418231 });
  });

  it('keeps the finer source when two report the same activity and marks the other IE', async () => {
    const rows = structuredClone(rawRows);
    rows.ore!.rows.push(ore('17200', 'electricity', 'residential', 30, 12));
    const result = await queryInventory(
      `select source_id, geography_code, quantity, emission_notation_key as key,
         emission_notation_reason as reason, tco2e
       from emissions where activity_key = 'electricity' and gpc_ref = 'I.1.2'
       order by source_id`,
      testProject(),
      rows,
    );

    // Both are 2023 data; ORE is by commune, Enedis by EPCI: ORE's 30 MWh × 0.052 = 1.56 t.
    expect(result).toEqual([
      {
        source_id: 'electricity',
        geography_code: '241700434',
        quantity: 1000,
        key: 'IE',
        reason: 'included elsewhere: the same activity is reported by ore',
        tco2e: null,
      },
      {
        source_id: 'ore',
        geography_code: '17200',
        quantity: 30,
        key: null,
        reason: null,
        tco2e: 1.56,
      },
    ]);
  });

  it('prints a sub-sector the project declares not occurring as NO with its reason', async () => {
    const project = testProject({
      notationKeys: [{ gpcRef: 'II.4.1', key: 'NO', reason: 'no airport in the territory' }],
    });
    const rows = await queryInventory(
      `select tco2e, notation_key, notation_reason from inventory_gpc where gpc_ref = 'II.4.1'`,
      project,
    );

    expect(rows).toEqual([
      { tco2e: null, notation_key: 'NO', notation_reason: 'declared: no airport in the territory' },
    ]);
  });

  it('stops the run when a declaration would hide an estimated figure', async () => {
    const project = testProject({
      notationKeys: [{ gpcRef: 'I.1.2', key: 'NO', reason: 'wrongly declared' }],
    });
    const run = inventoryOf(project);

    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(/declared_notation_keys_hold found 1 failing row/);
  });

  it('stops the run when a factor is expressed per another unit than its activity', async () => {
    const project = testProject();
    project.inventory.factors.electricity = 'base-carbone:34682';
    const run = inventoryOf(project);

    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(
      /emission_units_match\.sql failed: check emission_units_match found 1 failing row.*"problem":"no declared conversion from MWh to t"/s,
    );
  });
});
