import { describe, expect, it } from 'vitest';
import { testInventory } from './fixture-inventory.js';
import { testProject } from './fixtures.js';
import { queryInventory } from './run-models.js';

describe('savings levers', () => {
  it('turns each declared lever into tCO2e a year with its assumptions and factors', async () => {
    /*
     * Renovation: 10 dwellings × 10,000 kWh PCS = 100,000 kWh PCS × 0.215 = 21.5 t; cut by 40 %:
     *   60,000 × 0.215 = 12.9 t; saves 8.6 t, 8.6 / 198.418231 = 4.3342791 % of the total.
     * Buses: 2 × 40,000 vehicle-km × 0.465 L/km × 3.17 kgCO2e/L = 117.924 t, against 80,000
     *   × 1.2 kWh/km × 0.052 kgCO2e/kWh = 4.992 t; saves 112.932 t.
     * Composting instead of incinerating 100 t (wet): 100,000 kg × 0.045 = 4.5 t, against 100 t
     *   × (4 × 28 + 0.3 × 265) = 19.15 t: −14.65 t, an increase the lever must show as such.
     * The electric buses' sub-sector II.1.1 holds 0.029481 t (python3 for the shares), the
     * incineration's III.3.1 0.435 t: both starting points exceed them, so neither lever is
     * given as a share of the total; the renovation's 21.5 t are within I.1.1's 116.1 t.
     */
    const rows = await queryInventory(
      `select lever_id, round(baseline_tco2e, 9) as baseline, round(scenario_tco2e, 9) as scenario,
         round(savings_tco2e, 9) as savings, round(savings_share_of_total, 9) as share,
         gpc_ref, round(inventory_subsector_tco2e, 9) as inventory, baseline_exceeds_inventory,
         inventory_caution as caution, notation_key
       from levers order by lever_id desc`,
    );

    expect(rows).toEqual([
      {
        lever_id: 'renovation',
        baseline: 21.5,
        scenario: 12.9,
        savings: 8.6,
        share: 0.043342791,
        gpc_ref: 'I.1.1',
        inventory: 116.1,
        baseline_exceeds_inventory: false,
        caution: null,
        notation_key: null,
      },
      {
        lever_id: 'electric-buses',
        baseline: 117.924,
        scenario: 4.992,
        savings: 112.932,
        share: null,
        gpc_ref: 'II.1.1',
        inventory: 0.029481,
        baseline_exceeds_inventory: true,
        caution: 'baseline-exceeds-inventory',
        notation_key: null,
      },
      {
        lever_id: 'composting',
        baseline: 4.5,
        scenario: 19.15,
        savings: -14.65,
        share: null,
        gpc_ref: 'III.3.1',
        inventory: 0.435,
        baseline_exceeds_inventory: true,
        caution: 'baseline-exceeds-inventory',
        notation_key: null,
      },
    ]);
  });

  it('prints the assumptions and the factors beside the result', async () => {
    const rows = await queryInventory(
      'select lever_id, assumptions, factors_used from levers order by lever_id desc',
    );

    expect(rows).toEqual([
      {
        lever_id: 'renovation',
        assumptions:
          '10 logements rénovés × 10000 kWh PCS de gaz par logement et par an ' +
          '(hypothèse du territoire) = 100000 kWh PCS ; leur consommation de gaz réduite de 40 %',
        factors_used: 'natural-gas: local:gas = 0.215 kgCO2e/kWh PCS (Base Empreinte)',
      },
      {
        lever_id: 'electric-buses',
        assumptions:
          '2 bus × 40000 véhicules-km par bus et par an (source : test operator) = 80000 ' +
          'véhicules-km, roulés en transit-bus-electricity au lieu de transit-bus-diesel',
        factors_used:
          'transit-bus-diesel: local:diesel = 3.17 kgCO2e/L (arrêté), via vehicle-km → L ×0.465; ' +
          'transit-bus-electricity: base-carbone:42513 = 0.052 kgCO2e/kWh (ADEME (id 42513)), ' +
          'via vehicle-km → kWh ×1.2',
      },
      {
        lever_id: 'composting',
        assumptions:
          '100 t (poids humide) par an traitées en waste-composting-green au lieu de ' +
          'waste-incineration-putrescible',
        factors_used:
          'waste-composting-green: local:composting = 191.5 kgCO2e/t (IPCC 2006, vol. 5 ch. 4, ' +
          'Table 4.1, wet-weight defaults); ' +
          'waste-incineration-putrescible: local:putrescible-incineration = 0.045 kgCO2e/kg ' +
          '(Base Empreinte), via t → kg ×1000',
      },
    ]);
  });

  it('says NE, not zero, when a lever meets an activity without a factor', async () => {
    const project = testProject({
      levers: [
        {
          id: 'digestion',
          kind: 'divert-waste',
          title: 'Digest 50 t',
          tonnes: 50,
          fromActivity: 'waste-landfill-non-hazardous',
          toActivity: 'waste-anaerobic-digestion',
          gpcRef: 'III.1.1',
        },
      ],
      factors: testInventory.factors,
    });
    const rows = await queryInventory(
      'select lever_id, baseline_tco2e, scenario_tco2e, savings_tco2e, notation_key, notation_reason from levers',
      project,
    );

    // 50 t × 87 kgCO2e/t = 4.35 t landfilled; digestion has no factor: the savings are NE.
    expect(rows).toEqual([
      {
        lever_id: 'digestion',
        baseline_tco2e: 4.35,
        scenario_tco2e: null,
        savings_tco2e: null,
        notation_key: 'NE',
        notation_reason: 'no factor selected for waste-anaerobic-digestion',
      },
    ]);
  });

  it('says a lever on a sub-sector without an estimate is no share of the total', async () => {
    /*
     * The renovation of the fixture, declared on I.3.1 (no source covers it: NE): 21.5 t →
     * 12.9 t, 8.6 t saved, figures of no total. Composting, on III.3.1 (0.435 t), starts from
     * 4.5 t: more than the inventoried figure, indicative too.
     */
    const [renovation, , composting] = testInventory.levers;
    const project = testProject({
      levers: [{ ...renovation, gpcRef: 'I.3.1' }, composting],
    });
    const rows = await queryInventory(
      `select lever_id, round(savings_tco2e, 9) as savings, savings_share_of_total as share,
         inventory_subsector_notation_key as key, inventory_caution as caution,
         inventory_caution_reason as reason
       from levers order by lever_id desc`,
      project,
    );

    expect(rows).toEqual([
      {
        lever_id: 'renovation',
        savings: 8.6,
        share: null,
        key: 'NE',
        caution: 'subsector-not-estimated',
        reason:
          "sub-sector I.3.1 has no estimate in the inventory (NE): the lever's emissions are in " +
          'no total',
      },
      {
        lever_id: 'composting',
        savings: -14.65,
        share: null,
        key: null,
        caution: 'baseline-exceeds-inventory',
        reason:
          "the lever's starting point (4.5 tCO2e) exceeds the inventoried figure of sub-sector " +
          'III.3.1 (0.435 tCO2e)',
      },
    ]);
  });
});
