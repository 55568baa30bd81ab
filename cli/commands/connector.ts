import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type AnyConnector, selectedStream } from '../../connectors/contract.js';
import { connectors } from '../../connectors/index.js';
import { paramsJsonSchemaText, paramsSchemaFileName } from '../../connectors/params-schema.js';
import { describeFields } from '../../lake/schemas.js';
import { createHttpClient } from '../../lib/http.js';
import { loggerFromEnvironment } from '../../lib/logger.js';
import { NotFoundError, UsageError } from '../../temporal/errors.js';
import { loadCommandContext, packageRoot } from '../context.js';

/** `terreze connector …`: list, parameter schemas, check and discover a source, scaffold one. */

const idPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Writes the connector and its kit test from the templates, and registers it. */
export function scaffoldConnector(id: string, root = packageRoot): string[] {
  if (!idPattern.test(id)) {
    throw new UsageError(
      `a connector name is lower-case words joined by dashes, such as my-provider; got "${id}"`,
      { id },
    );
  }
  if (connectors.has(id)) throw new UsageError(`connector ${id} exists already`, { id });
  const constant = camel(id);
  const fill = (template: string) =>
    readFileSync(join(root, 'connectors', 'templates', template), 'utf8')
      .replaceAll('__ID__', id)
      .replaceAll('__CONST__', constant)
      .replaceAll('__TYPE__', constant[0]!.toUpperCase() + constant.slice(1))
      .replaceAll('__TITLE__', id.replaceAll('-', ' '));
  const connectorFile = join(root, 'connectors', `${id}.ts`);
  const testFile = join(root, 'test', 'connectors', `${id}.kit.test.ts`);
  for (const file of [connectorFile, testFile]) {
    if (existsSync(file)) throw new UsageError(`${file} exists already`, { id, file });
  }
  writeFileSync(connectorFile, fill('connector.ts.txt'));
  writeFileSync(testFile, fill('kit.test.ts.txt'));

  const registry = join(root, 'connectors', 'index.ts');
  const marker = '  // terreze connector new: registrations above this line';
  const text = readFileSync(registry, 'utf8');
  const importLine = `import { ${constant} } from './${id}.js';\n`;
  const firstConnectorImport = text.indexOf('import { baseCarbone }');
  writeFileSync(
    registry,
    `${text.slice(0, firstConnectorImport)}${importLine}${text.slice(firstConnectorImport)}`.replace(
      marker,
      `  ${constant},\n${marker}`,
    ),
  );
  return [connectorFile, testFile, registry];
}

export function registerConnector(program: Command): void {
  const command = program
    .command('connector')
    .description('connectors: list, schema, check, discover, new');

  command
    .command('list')
    .description('the connectors terreze ships')
    .action(() => {
      for (const connector of connectors.values()) {
        process.stdout.write(
          `${connector.id}\t${connector.version}\t${connector.periodicity}\t${connector.description}\n`,
        );
      }
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

  for (const action of ['check', 'discover'] as const) {
    command
      .command(`${action} <source>`)
      .description(
        action === 'check'
          ? "check a source's reachability and credentials"
          : "print a source's streams and columns",
      )
      .action(async (sourceId: string, _options: unknown, sub: Command) => {
        const context = loadCommandContext(sub.optsWithGlobals().project);
        const source = context.loaded.project.sources.find((item) => item.id === sourceId);
        if (source === undefined) {
          const known = context.loaded.project.sources.map((item) => item.id).join(', ');
          throw new NotFoundError(
            `no source "${sourceId}" in ${context.loaded.file}; sources: ${known}`,
            { sourceId },
          );
        }
        const connector = context.connectors.get(source.connector)!;
        const logger = loggerFromEnvironment();
        const connectorContext = {
          sourceId,
          logger,
          http: createHttpClient({ source: sourceId, logger, ...(source.http ?? {}) }),
          workDir: join(context.settings.homeDir, 'tmp'),
          heartbeat: () => {},
          signal: new AbortController().signal,
          quarantine: () => {},
        };
        const request = { period: 'current', vintage: source.vintages?.at(-1) };
        if (action === 'check') {
          const result = await connector.check(connectorContext, source.params, request);
          process.stdout.write(`${sourceId}: ${result.ok ? 'ok' : 'FAILED'} — ${result.message}\n`);
          if (!result.ok) process.exitCode = 1;
          return;
        }
        const catalog = await connector.discover(connectorContext, source.params, request);
        const stream = selectedStream(catalog);
        process.stdout.write(
          `${JSON.stringify({ ...catalog, streams: catalog.streams.map((item) => ({ ...item, schema: describeFields(item.schema) })), primaryKey: stream.primaryKey }, null, 2)}\n`,
        );
      });
  }

  command
    .command('new <name>')
    .description('scaffold connectors/<name>.ts and its kit test, and register it')
    .action((name: string) => {
      for (const file of scaffoldConnector(name)) process.stdout.write(`wrote ${file}\n`);
    });
}
