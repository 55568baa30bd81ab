import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AnyConnector } from './contract.js';

/**
 * Each connector's parameters as JSON Schema (the input a project file gives, defaults not
 * required), for editors and for `docs/connectors/<id>.schema.json`. Objects are closed
 * (`additionalProperties: false`): a misspelt key is an error, not a key silently ignored.
 */

/** The JSON Schema of a connector's parameters, titled with its id. */
export function paramsJsonSchema(connector: AnyConnector): Record<string, unknown> {
  const schema = z.toJSONSchema(connector.params, { io: 'input', unrepresentable: 'any' });
  return { title: connector.id, description: connector.description, ...schema };
}

/** The text of `<id>.schema.json`: two-space JSON and a final line feed. */
export function paramsJsonSchemaText(connector: AnyConnector): string {
  return `${JSON.stringify(paramsJsonSchema(connector), null, 2)}\n`;
}

export function paramsSchemaFileName(connector: AnyConnector): string {
  return `${connector.id}.schema.json`;
}

/**
 * The schema files of `directory` that differ from the connectors' schemas, are missing, or
 * belong to no connector: empty when the folder is up to date.
 */
export async function staleParamsSchemas(
  directory: string,
  connectors: Iterable<AnyConnector>,
): Promise<string[]> {
  const stale: string[] = [];
  const expected = new Set<string>();
  for (const connector of connectors) {
    const name = paramsSchemaFileName(connector);
    expected.add(name);
    const file = join(directory, name);
    const text = existsSync(file) ? await readFile(file, 'utf8') : undefined;
    if (text !== paramsJsonSchemaText(connector)) stale.push(name);
  }
  const present = existsSync(directory) ? readdirSync(directory) : [];
  for (const name of present) {
    if (name.endsWith('.schema.json') && !expected.has(name)) stale.push(name);
  }
  return stale.sort();
}
