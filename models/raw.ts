import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataType, Schema } from 'apache-arrow';
import type { AnyConnector } from '../connectors/contract.js';
import { duckdbTypeOf, quoteIdentifier, quoteLiteral } from '../lib/duckdb.js';
import type { SelectedPartition } from './seeds.js';

/** The raw tables models start from: one per connector, the union of its selected partitions. */

export function rawTableName(connectorId: string): string {
  return `raw_${connectorId.replaceAll('-', '_')}`;
}

function duckdbType(type: DataType): string {
  const found = duckdbTypeOf(type);
  if (found === undefined) throw new Error(`no DuckDB type for Arrow type ${String(type)}`);
  return found;
}

function emptySelect(schema: Schema): string {
  const columns = schema.fields.map(
    (field) => `cast(null as ${duckdbType(field.type)}) as ${quoteIdentifier(field.name)}`,
  );
  const keys = ['source_id', 'period', 'run_id'].map((name) => `cast(null as VARCHAR) as ${name}`);
  return `select ${[...columns, ...keys].join(', ')} where false`;
}

/**
 * Copies each connector's selected partitions into `raw_<connector>` with the source, period
 * and run of every row. Copying (rather than viewing) keeps an edition's database whole even
 * if the lake is later moved. A connector without data gets an empty table of its schema.
 */
export async function createRawTables(
  connection: DuckDBConnection,
  connectors: ReadonlyMap<string, AnyConnector>,
  connectorOfSource: ReadonlyMap<string, string>,
  partitions: readonly SelectedPartition[],
): Promise<void> {
  for (const [connectorId, connector] of [...connectors].sort(([a], [b]) => a.localeCompare(b))) {
    const selects = partitions
      .filter((partition) => connectorOfSource.get(partition.sourceId) === connectorId)
      .map(
        (partition) =>
          `select *, ${quoteLiteral(partition.sourceId)} as source_id, ` +
          `${quoteLiteral(partition.period)} as period, ` +
          `${quoteLiteral(partition.manifest.runId)} as run_id ` +
          `from read_parquet(${quoteLiteral(partition.absoluteFile)})`,
      );
    const body =
      selects.length === 0 ? emptySelect(connector.schema) : selects.join(' union all by name ');
    await connection.run(`create or replace table ${rawTableName(connectorId)} as ${body}`);
  }
}
