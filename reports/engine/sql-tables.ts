import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * What a query reads, from DuckDB's own parse tree (`json_serialize_sql`): the tables it names,
 * qualified as written, and the table functions it calls (`read_parquet`, `duckdb_tables`…).
 * Names of common table expressions are not tables and are left out.
 */

export interface QueryReads {
  /** Tables as written, `catalog.schema.table` parts kept when given; sorted, unique. */
  tables: string[];
  /** Table functions called in FROM clauses; sorted, unique. */
  tableFunctions: string[];
}

type JsonNode = Record<string, unknown>;

/**
 * Reads what `sql` (one statement, `$n` placeholders allowed) reads. Undefined when DuckDB
 * cannot serialise the statement, so that a caller that enforces a rule can refuse it.
 */
export async function queryReads(
  connection: DuckDBConnection,
  sql: string,
): Promise<QueryReads | undefined> {
  let serialised: string;
  try {
    const reader = await connection.runAndReadAll(
      'select json_serialize_sql($1::varchar) as tree',
      [sql],
    );
    serialised = String(reader.getRowObjectsJS()[0]?.tree ?? '');
  } catch {
    return undefined;
  }

  let tree: JsonNode;
  try {
    tree = JSON.parse(serialised) as JsonNode;
  } catch {
    return undefined;
  }
  if (tree.error !== false) return undefined;

  const commonTableNames = new Set<string>();
  const tables: { catalog: string; schema: string; name: string }[] = [];
  const tableFunctions = new Set<string>();
  visit(tree, (node) => {
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      tables.push({
        catalog: String(node.catalog_name ?? ''),
        schema: String(node.schema_name ?? ''),
        name: node.table_name,
      });
    }
    if (node.type === 'TABLE_FUNCTION') {
      const call = node.function as JsonNode | undefined;
      if (typeof call?.function_name === 'string') tableFunctions.add(call.function_name);
    }
    const cteMap = (node.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
    for (const entry of cteMap ?? []) {
      if (typeof entry.key === 'string') commonTableNames.add(entry.key.toLowerCase());
    }
  });

  const names = tables
    .filter(
      (table) =>
        table.catalog !== '' ||
        table.schema !== '' ||
        !commonTableNames.has(table.name.toLowerCase()),
    )
    .map((table) => [table.catalog, table.schema, table.name].filter(Boolean).join('.'));
  return { tables: [...new Set(names)].sort(), tableFunctions: [...tableFunctions].sort() };
}

function visit(node: unknown, action: (node: JsonNode) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) visit(item, action);
    return;
  }
  action(node as JsonNode);
  for (const value of Object.values(node)) visit(value, action);
}
