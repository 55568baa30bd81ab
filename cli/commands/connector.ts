import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { SourceConfig } from '../../config/project-schema.js';
import {
  type AnyConnector,
  type Catalog,
  type ConnectorContext,
  selectedStream,
} from '../../connectors/contract.js';
import { connectors } from '../../connectors/index.js';
import { paramsJsonSchemaText, paramsSchemaFileName } from '../../connectors/params-schema.js';
import { describeFields, type FieldDescription } from '../../lake/schemas.js';
import { createHttpClient } from '../../lib/http.js';
import { loggerFromEnvironment } from '../../lib/logger.js';
import { NotFoundError, UsageError } from '../../temporal/errors.js';
import { type CommandContext, declaredSource, loadCommandContext } from '../context.js';
import { scaffoldConnector } from './connector-new.js';
import { print } from './operations.js';

/** `terreze connector …`: list, parameter schemas, check and discover a source, scaffold one. */

/** What `connector discover --json` prints: a stable shape, independent of Arrow's objects. */
export interface DiscoveredSource {
  source: string;
  connector: string;
  selected: string;
  streams: {
    name: string;
    fields: FieldDescription[];
    primaryKey: string[];
    cursorField: string | null;
  }[];
}

function discovered(source: SourceConfig, catalog: Catalog): DiscoveredSource {
  return {
    source: source.id,
    connector: source.connector,
    selected: selectedStream(catalog).name,
    streams: catalog.streams.map((stream) => ({
      name: stream.name,
      fields: describeFields(stream.schema),
      primaryKey: [...(stream.primaryKey ?? [])],
      cursorField: stream.cursorField ?? null,
    })),
  };
}

function discoveredLines(found: DiscoveredSource): string[] {
  return found.streams.flatMap((stream) => [
    `${found.source} (${found.connector}): stream ${stream.name}` +
      `${stream.name === found.selected ? ', selected' : ''}; primary key ` +
      `${stream.primaryKey.join(', ') || 'none'}; cursor ${stream.cursorField ?? 'none'}`,
    ...stream.fields.map(
      (field) =>
        `  ${field.name.padEnd(28)} ${field.type.padEnd(16)} ${field.nullable ? 'nullable' : 'required'}`,
    ),
  ]);
}

/** The declared source named, and what its connector needs to reach it once. */
function sourceContext(context: CommandContext, sourceId: string) {
  const source = declaredSource(context.loaded, sourceId);
  const logger = loggerFromEnvironment();
  const connectorContext: ConnectorContext = {
    sourceId,
    logger,
    http: createHttpClient({ source: sourceId, logger, ...(source.http ?? {}) }),
    workDir: join(context.settings.homeDir, 'tmp'),
    heartbeat: () => {},
    signal: new AbortController().signal,
    quarantine: () => {},
  };
  const request = { period: 'current', vintage: source.vintages?.at(-1) };
  return {
    source,
    connector: context.connectors.get(source.connector)!,
    connectorContext,
    request,
  };
}

export function registerConnector(program: Command): void {
  const command = program
    .command('connector')
    .description('connectors: list, schema, check, discover, new');

  command
    .command('list')
    .description('the connectors terreze ships')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const listed = [...connectors.values()].map((connector) => ({
        id: connector.id,
        version: connector.version,
        domain: connector.domain,
        periodicity: connector.periodicity,
        description: connector.description,
      }));
      print(listed, options.json ?? false, () =>
        listed.map(
          (item) => `${item.id}\t${item.version}\t${item.periodicity}\t${item.description}`,
        ),
      );
    });

  command
    .command('schema [id]')
    .description("print a connector's parameters as JSON Schema, or write every connector's")
    .option('--all', 'every connector (with --out: one <id>.schema.json each)')
    .option('--out <folder>', 'write <id>.schema.json files there instead of printing')
    .action((id: string | undefined, options: { all?: boolean; out?: string }) => {
      if ((id === undefined) === (options.all === undefined)) {
        throw new UsageError('give a connector id or --all; see terreze connector list');
      }
      const chosen = id === undefined ? [...connectors.values()] : [connectors.get(id)];
      if (chosen[0] === undefined) {
        throw new NotFoundError(`no connector ${id}; see terreze connector list`, { id });
      }
      for (const connector of chosen as AnyConnector[]) {
        if (options.out === undefined) {
          process.stdout.write(paramsJsonSchemaText(connector));
          continue;
        }
        mkdirSync(options.out, { recursive: true });
        const file = join(options.out, paramsSchemaFileName(connector));
        writeFileSync(file, paramsJsonSchemaText(connector));
        process.stdout.write(`wrote ${file}\n`);
      }
    });

  command
    .command('check <source>')
    .description("check a source's reachability and credentials")
    .action(async (sourceId: string, _options: unknown, sub: Command) => {
      const context = loadCommandContext(sub.optsWithGlobals().project);
      const { source, connector, connectorContext, request } = sourceContext(context, sourceId);
      const result = await connector.check(connectorContext, source.params, request);
      process.stdout.write(`${sourceId}: ${result.ok ? 'ok' : 'FAILED'} — ${result.message}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  command
    .command('discover <source>')
    .description("print a source's streams and columns")
    .option('--json', 'print JSON')
    .action(async (sourceId: string, options: { json?: boolean }, sub: Command) => {
      const context = loadCommandContext(sub.optsWithGlobals().project);
      const { source, connector, connectorContext, request } = sourceContext(context, sourceId);
      const catalog = await connector.discover(connectorContext, source.params, request);
      const found = discovered(source, catalog);
      print(found, options.json ?? false, () => discoveredLines(found));
    });

  command
    .command('new <name>')
    .description('scaffold connectors/<name>.ts and its kit test, and register it')
    .action((name: string) => {
      for (const file of scaffoldConnector(name)) process.stdout.write(`wrote ${file}\n`);
    });
}
