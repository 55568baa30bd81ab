import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { maskFigures, type SecrecyCell, type SubsectorGroups } from './secrecy.js';

/**
 * Models computed in TypeScript where one SELECT cannot say it: each reads the tables it
 * names in `dependsOn` and creates the table of its name. The runner orders them with the SQL
 * models.
 */

export interface ComputedModel {
  name: string;
  file: string;
  dependsOn: string[];
  build(connection: DuckDBConnection): Promise<void>;
}

const numberOrNull = (value: unknown) =>
  value === null || value === undefined ? null : Number(value);

async function rowsOf(connection: DuckDBConnection, sql: string) {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS();
}

/** `secrecy_mask`: every published figure of the commune × sub-sector table and its flag. */
export const secrecyMaskModel: ComputedModel = {
  name: 'secrecy_mask',
  file: fileURLToPath(new URL('./secrecy.ts', import.meta.url)),
  dependsOn: ['inventory_commune_sector', 'gpc_reference', 'secrecy_settings'],
  async build(connection) {
    const cells: SecrecyCell[] = (
      await rowsOf(
        connection,
        `select row_key, gpc_ref, tco2e, notation_key, delivery_points, largest_single_point_tco2e
         from inventory_commune_sector order by row_key, gpc_ref`,
      )
    ).map((row) => ({
      rowKey: String(row.row_key),
      gpcRef: String(row.gpc_ref),
      tco2e: numberOrNull(row.tco2e),
      notationKey: row.notation_key === null ? null : String(row.notation_key),
      deliveryPoints: numberOrNull(row.delivery_points),
      largestSinglePointTco2e: numberOrNull(row.largest_single_point_tco2e),
    }));
    const groups: SubsectorGroups[] = (
      await rowsOf(connection, 'select gpc_ref, sector, pcaet_sector, scope from gpc_reference')
    ).map((row) => ({
      gpcRef: String(row.gpc_ref),
      sector: String(row.sector),
      pcaetSector: String(row.pcaet_sector),
      scope: Number(row.scope),
    }));
    const [settings] = await rowsOf(
      connection,
      'select minimum_units, dominance_share from secrecy_settings',
    );
    const figures = maskFigures(cells, groups, {
      minimumUnits: Number(settings?.minimum_units),
      dominanceShare: Number(settings?.dominance_share),
    });

    await connection.run(
      `create or replace table secrecy_mask (node_kind VARCHAR, node_key VARCHAR,
        row_key VARCHAR, gpc_ref VARCHAR, tco2e DOUBLE, masked BOOLEAN, reason VARCHAR,
        delivery_points DOUBLE, dominance_basis VARCHAR)`,
    );
    const insert = await connection.prepare(
      'insert into secrecy_mask values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    );
    for (const figure of figures) {
      insert.bind([
        figure.nodeKind,
        figure.nodeKey,
        figure.rowKey,
        figure.gpcRef,
        figure.tco2e,
        figure.masked,
        figure.reason,
        figure.deliveryPoints,
        figure.dominanceBasis,
      ]);
      await insert.run();
    }
    insert.destroySync();
  },
};

export const computedModels: readonly ComputedModel[] = [secrecyMaskModel];
