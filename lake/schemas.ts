import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schema } from 'apache-arrow';
import { LakeError } from '../lib/errors.js';
import { partitionKeyPattern } from './manifest.js';
import { writeFileAtomically } from './store.js';

/**
 * The schema contract of each source, in `<lake>/<source>/schema.json`: every version of the
 * columns it landed, so that a drift (a column added, missing, renamed or retyped) is seen
 * and either recorded as a new version or refused, as the source's `schemaPolicy` says.
 */

export interface FieldDescription {
  name: string;
  type: string;
  nullable: boolean;
}

export interface SchemaVersion {
  version: number;
  fields: FieldDescription[];
  connector: { id: string; version: string };
  /** The collection that first landed this version. */
  since: { period: string; runId: string; retrievedAt: string };
}

export interface SourceSchemas {
  source: string;
  current: number;
  versions: SchemaVersion[];
}

export interface SchemaDrift {
  added: FieldDescription[];
  missing: FieldDescription[];
  retyped: { name: string; from: string; to: string }[];
  /** Missing and added columns of the same type at the same position: likely renames. */
  renamed: { from: string; to: string }[];
}

/** The plain description of an Arrow schema, as manifests and schema files record it. */
export function describeFields(schema: Schema): FieldDescription[] {
  return schema.fields.map((field) => ({
    name: field.name,
    type: String(field.type),
    nullable: field.nullable,
  }));
}

/** How `actual` differs from `stored`; undefined when they are the same columns and types. */
export function compareFields(
  stored: readonly FieldDescription[],
  actual: readonly FieldDescription[],
): SchemaDrift | undefined {
  const storedByName = new Map(stored.map((field) => [field.name, field]));
  const actualByName = new Map(actual.map((field) => [field.name, field]));
  const added = actual.filter((field) => !storedByName.has(field.name));
  const missing = stored.filter((field) => !actualByName.has(field.name));
  const retyped = actual
    .filter((field) => storedByName.has(field.name))
    .filter((field) => storedByName.get(field.name)!.type !== field.type)
    .map((field) => ({
      name: field.name,
      from: storedByName.get(field.name)!.type,
      to: field.type,
    }));
  if (added.length === 0 && missing.length === 0 && retyped.length === 0) return undefined;

  const renamed: SchemaDrift['renamed'] = [];
  for (const gone of missing) {
    const position = stored.indexOf(gone);
    const candidate = actual[position];
    if (candidate !== undefined && added.includes(candidate) && candidate.type === gone.type) {
      renamed.push({ from: gone.name, to: candidate.name });
    }
  }
  return { added, missing, retyped, renamed };
}

/** One sentence naming the columns of a drift. */
export function describeDrift(drift: SchemaDrift): string {
  const parts: string[] = [];
  const names = (fields: readonly FieldDescription[]) =>
    fields.map((field) => `${field.name} (${field.type})`).join(', ');
  if (drift.renamed.length > 0) {
    parts.push(
      `renamed (likely) ${drift.renamed.map((pair) => `${pair.from} → ${pair.to}`).join(', ')}`,
    );
  }
  if (drift.missing.length > 0) parts.push(`missing ${names(drift.missing)}`);
  if (drift.added.length > 0) parts.push(`added ${names(drift.added)}`);
  if (drift.retyped.length > 0) {
    parts.push(
      `retyped ${drift.retyped.map((item) => `${item.name} ${item.from} → ${item.to}`).join(', ')}`,
    );
  }
  return parts.join('; ');
}

function schemaFile(lakeDir: string, source: string): string {
  if (!partitionKeyPattern.test(source)) {
    throw new LakeError(`source "${source}" is not a valid partition key`, { source });
  }
  return join(lakeDir, source, 'schema.json');
}

/** The schema versions a source has landed, if it has landed any. */
export async function readSourceSchemas(
  lakeDir: string,
  source: string,
): Promise<SourceSchemas | undefined> {
  const file = schemaFile(lakeDir, source);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as SourceSchemas;
}

/** The fields of the source's current schema version, if any. */
export function currentFields(schemas: SourceSchemas | undefined): FieldDescription[] | undefined {
  return schemas?.versions.find((version) => version.version === schemas.current)?.fields;
}

/** The version `fields` will be once recorded: the current one, or the next number. */
export function plannedSchemaVersion(
  schemas: SourceSchemas | undefined,
  fields: readonly FieldDescription[],
): number {
  const current = currentFields(schemas);
  if (schemas !== undefined && current !== undefined && !compareFields(current, fields)) {
    return schemas.current;
  }
  return (schemas?.versions.length ?? 0) + 1;
}

/**
 * Records `fields` as the source's current schema, as a new version when they differ from the
 * current one; returns the version number the landed partition follows.
 */
export async function recordSchemaVersion(
  lakeDir: string,
  source: string,
  entry: Omit<SchemaVersion, 'version'>,
): Promise<number> {
  const existing = await readSourceSchemas(lakeDir, source);
  const version = plannedSchemaVersion(existing, entry.fields);
  if (existing !== undefined && version === existing.current) return version;
  const next: SourceSchemas = {
    source,
    current: version,
    versions: [...(existing?.versions ?? []), { version, ...entry }],
  };
  await mkdir(join(lakeDir, source), { recursive: true });
  await writeFileAtomically(schemaFile(lakeDir, source), `${JSON.stringify(next, null, 2)}\n`);
  return version;
}
