import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type IssuedEdition, lastIssuedEdition } from '../activities/issued.js';
import { quoteIdentifier, quoteLiteral } from '../lib/duckdb.js';
import { errorMessage, ReportError } from '../lib/errors.js';

/**
 * What changed since the last edition of a report issued to the same audience: the sectors and
 * sub-sectors whose tCO2e moved, and the partitions whose checksum did (a provider restated
 * its data, a new vintage came in, a source dropped out). The comparison is written into
 * temporary tables of the report's connection, empty when nothing was issued before.
 */

export interface PreviousEdition {
  issued: IssuedEdition;
  databaseFile: string;
}

/** The last issued edition of `reportId` for `audience`, with its inventory database. */
export async function findPreviousEdition(
  editionsDir: string,
  reportId: string,
  audience: string,
): Promise<PreviousEdition | undefined> {
  const issued = await lastIssuedEdition(editionsDir, reportId, audience);
  if (issued === undefined) return undefined;
  const databaseFile = join(
    editionsDir,
    String(issued.reportingYear),
    issued.inventoryEditionId,
    'inventory.duckdb',
  );
  if (!existsSync(databaseFile)) {
    throw new ReportError(
      databaseFile,
      `the inventory of issued edition ${issued.reportEditionId} is missing; restore it to compare the new edition with it`,
    );
  }
  return { issued, databaseFile };
}

/** The tables the comparison creates, each with what it is computed from. */
export const changeTables = {
  changes_since: [],
  changes_sectors: ['inventory_sector'],
  changes_subsectors: ['inventory_gpc'],
  changes_partitions: ['partitions'],
} as const;

/**
 * The tables compared: for an audience that sees masked figures, the secrecy-applied ones, so
 * that no change reveals a masked value.
 */
function comparedTables(masked: boolean) {
  return {
    sectors: masked ? 'public_inventory_sector' : 'inventory_sector',
    subsectors: masked ? 'public_inventory_gpc' : 'inventory_gpc',
    partitions: 'partitions',
  };
}

const comparisons = {
  changes_sectors: `
    select coalesce(c.sector, p.sector) as sector,
           coalesce(c.sector_name, p.sector_name) as sector_name,
           p.tco2e as previous_tco2e, c.tco2e as current_tco2e,
           c.tco2e - p.tco2e as change_tco2e,
           (c.tco2e - p.tco2e) / nullif(p.tco2e, 0) as change_ratio
    from inventory.main.$sectors as c
    full join previous.main.$sectors as p on p.sector = c.sector
    where c.tco2e is distinct from p.tco2e`,
  changes_subsectors: `
    select coalesce(c.sector, p.sector) as sector,
           coalesce(c.gpc_ref, p.gpc_ref) as gpc_ref,
           coalesce(c.subsector_label, p.subsector_name) as subsector_name,
           p.tco2e as previous_tco2e, c.tco2e as current_tco2e,
           c.tco2e - p.tco2e as change_tco2e,
           (c.tco2e - p.tco2e) / nullif(p.tco2e, 0) as change_ratio,
           p.notation_key as previous_notation_key, c.notation_key as current_notation_key
    from inventory.main.$subsectors as c
    full join previous.main.$subsectors as p on p.gpc_ref = c.gpc_ref
    where c.tco2e is distinct from p.tco2e or c.notation_key is distinct from p.notation_key`,
  changes_partitions: `
    select coalesce(c.source_id, p.source_id) as source_id,
           coalesce(c.period, p.period) as period,
           case when p.sha256 is null then 'added' when c.sha256 is null then 'removed'
                else 'restated' end as change,
           p.sha256 as previous_sha256, c.sha256 as current_sha256,
           p.rows as previous_rows, c.rows as current_rows,
           p.retrieved_at as previous_retrieved_at, c.retrieved_at as current_retrieved_at
    from inventory.main.$partitions as c
    full join previous.main.$partitions as p on p.source_id = c.source_id and p.period = c.period
    where c.sha256 is distinct from p.sha256`,
} as const;

/**
 * Creates the `changes_*` temporary tables on `connection` (whose inventory is attached as
 * `inventory`): filled from `previous` when given, otherwise empty with the same columns.
 */
export async function createChangeTables(
  connection: DuckDBConnection,
  previous: PreviousEdition | undefined,
  options: { masked: boolean },
): Promise<void> {
  await connection.run(
    `create temp table changes_since (report_edition_id varchar, inventory_edition_id varchar,
       reporting_year integer, issued_at varchar, approved_by varchar, comment varchar)`,
  );

  if (previous === undefined) {
    // Same columns, no rows: built against the inventory itself, compared with nothing.
    await connection.run(`attach ':memory:' as previous`);
    for (const table of Object.values(comparedTables(options.masked))) {
      const name = quoteIdentifier(table);
      await connection.run(
        `create table previous.main.${name} as select * from inventory.main.${name} where false`,
      );
    }
  } else {
    try {
      await connection.run(`attach ${quoteLiteral(previous.databaseFile)} as previous (read_only)`);
    } catch (error) {
      throw new ReportError(
        previous.databaseFile,
        `cannot open the inventory of issued edition ${previous.issued.reportEditionId}: ${errorMessage(error)}`,
      );
    }
    const { issued } = previous;
    await connection.run('insert into changes_since values ($1, $2, $3, $4, $5, $6)', [
      issued.reportEditionId,
      issued.inventoryEditionId,
      issued.reportingYear,
      issued.issuedAt,
      issued.approvedBy,
      issued.comment,
    ]);
  }

  try {
    // Without an issued edition there is nothing to compare with: the same columns, no rows.
    const rows = previous === undefined ? 'limit 0' : '';
    const tables = comparedTables(options.masked);
    for (const [table, sql] of Object.entries(comparisons)) {
      const named = sql.replace(/\$(\w+)/g, (_match, key: keyof typeof tables) =>
        quoteIdentifier(tables[key]),
      );
      await connection.run(
        `create temp table ${quoteIdentifier(table)} as ${named} order by all ${rows}`,
      );
    }
  } catch (error) {
    const file = previous?.databaseFile ?? 'inventory';
    throw new ReportError(
      file,
      `cannot compare the edition with the last issued one: ${errorMessage(error)}`,
    );
  } finally {
    await connection.run('detach previous');
  }
}
