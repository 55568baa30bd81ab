import { describe, expect, it } from 'vitest';
import { connectors } from '../../connectors/index.js';
import { openDatabase } from '../../lib/duckdb.js';
import { ModelError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { runModels } from '../../models/runner.js';
import { landRawRows, testProject } from './fixtures.js';

const logger = createLogger({ level: 'error' });

async function inventoryOf(project = testProject()) {
  const partitions = await landRawRows(project);
  const database = await openDatabase();
  await runModels({
    connection: database.connection,
    project,
    reportingYear: 2023,
    partitions,
    connectors,
    logger,
  });
  const query = async (sql: string) =>
    (await database.connection.runAndReadAll(sql)).getRowObjectsJS();
  return { query, close: () => database.close() };
}

/*
 * Hand computation for the fixture rows (share of the département: 1,000 / 4,000 = 0.25):
 *   I.1.2  electricity 1,000 MWh × 0.052 = 52 t; heat 17300 R 100 MWh and 17200 R 50 MWh
 *          × 0.112 = 11.2 t + 5.6 t; total 68.8 t. The 999 MWh of commune 01053 is outside.
 *   I.2.2  only a `secret` row: confidential (C), no figure. The cold row has no factor: NE.
 *   II.1.1 bus, 2 days of 2017 × 10 vehicle-km × 1.47405 kg = 0.029481 t (2016 is outside).
 *   III.1.1 landfilled bulky waste 100 t × 0.25 × 87 kg/t = 2.175 t (département 79 outside).
 *   III.2.1 composted green waste 10 t × 0.25 × (10 × 28 + 0.6 × 265) kg/t = 1.0975 t.
 *   III.3.1 incinerated hazardous waste 5 t × 0.25 has no factor chosen: NE.
 *   Material recovery 50 t × 0.25 = 12.5 t is reported with the sector that recycles (IE).
 */
describe('SQL models on a hand-computed case', () => {
  it('computes the GPC BASIC table with notation keys where nothing is estimated', async () => {
    const { query, close } = await inventoryOf();
    const rows = await query(
      `select gpc_ref, round(tco2e, 9) as tco2e, notation_key from inventory_gpc
       where gpc_ref in ('I.1.1','I.1.2','I.2.2','II.1.1','III.1.1','III.2.1','III.3.1','III.4.1') order by gpc_ref`,
    );
    close();

    expect(rows).toEqual([
      { gpc_ref: 'I.1.1', tco2e: null, notation_key: 'NE' },
      { gpc_ref: 'I.1.2', tco2e: 68.8, notation_key: null },
      { gpc_ref: 'I.2.2', tco2e: null, notation_key: 'C' },
      { gpc_ref: 'II.1.1', tco2e: 0.029481, notation_key: null },
      { gpc_ref: 'III.1.1', tco2e: 2.175, notation_key: null },
      { gpc_ref: 'III.2.1', tco2e: 1.0975, notation_key: null },
      { gpc_ref: 'III.3.1', tco2e: null, notation_key: 'NE' },
      { gpc_ref: 'III.4.1', tco2e: null, notation_key: 'NE' },
    ]);
  });

  it('keeps notation keys on activity rows and never turns a masked value into zero', async () => {
    const { query, close } = await inventoryOf();
    const rows = await query(
      `select activity_key, round(quantity, 6) as quantity, unit, tco2e, emission_notation_key as key
       from emissions where tco2e is null order by activity_key, quantity nulls first`,
    );
    close();

    expect(rows).toEqual([
      { activity_key: 'cooling-network', quantity: 10000, unit: 'kWh', tco2e: null, key: 'NE' },
      { activity_key: 'heat-network', quantity: null, unit: 'kWh', tco2e: null, key: 'C' },
      {
        activity_key: 'waste-incineration-hazardous',
        quantity: 1.25,
        unit: 't',
        tco2e: null,
        key: 'NE',
      },
      {
        activity_key: 'waste-material-recovery',
        quantity: 12.5,
        unit: 't',
        tco2e: null,
        key: 'IE',
      },
    ]);
  });

  it('totals sectors, communes and the summary', async () => {
    const { query, close } = await inventoryOf();
    const sectors = await query(
      'select sector, round(tco2e, 9) as tco2e from inventory_sector order by sector',
    );
    const communes = await query(
      'select commune_code, round(tco2e, 9) as tco2e from inventory_commune',
    );
    const summary = await query(
      'select round(total_tco2e, 9) as total, round(tco2e_per_inhabitant, 12) as per_inhabitant from inventory_summary',
    );
    close();

    expect(sectors).toEqual([
      { sector: 'I', tco2e: 68.8 },
      { sector: 'II', tco2e: 0.029481 },
      { sector: 'III', tco2e: 3.2725 },
    ]);
    expect(communes).toEqual([
      { commune_code: '17200', tco2e: 5.6 },
      { commune_code: '17300', tco2e: 11.2 },
      { commune_code: null, tco2e: 55.301981 }, // 52 + 0.029481 + 2.175 + 1.0975
    ]);
    expect(summary).toEqual([{ total: 72.101981, per_inhabitant: 0.072101981 }]);
  });

  it('uses Base Carbone element totals, never their breakdown rows', async () => {
    const { query, close } = await inventoryOf();
    const factors = await query(
      `select factor_ref, value_kgco2e, activity_unit from factors where registry = 'Base Carbone' order by 1`,
    );
    close();

    expect(factors).toEqual([
      { factor_ref: 'base-carbone:34682', value_kgco2e: 87, activity_unit: 't' },
      { factor_ref: 'base-carbone:42513', value_kgco2e: 0.052, activity_unit: 'kWh' },
    ]);
  });

  it('stops the run when a factor is expressed per another unit than its activity', async () => {
    const project = testProject();
    project.inventory.factors.electricity = 'base-carbone:34682';
    const partitions = await landRawRows(project);
    const database = await openDatabase();
    const run = runModels({
      connection: database.connection,
      project,
      reportingYear: 2023,
      partitions,
      connectors,
      logger,
    });

    await expect(run).rejects.toThrow(ModelError);
    await expect(run).rejects.toThrow(
      /emission_units_match\.sql failed: check emission_units_match found 1 failing row/,
    );
    database.close();
  });
});
