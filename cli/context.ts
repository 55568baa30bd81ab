import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedProject, type LoadOptions, loadProject } from '../config/project.js';
import { loadSettings, type Settings } from '../config/settings.js';
import type { AnyConnector } from '../connectors/contract.js';
import { connectors } from '../connectors/index.js';
import { type Logger, loggerFromEnvironment } from '../lib/logger.js';
import { NotFoundError } from '../temporal/errors.js';

/** What every command starts from: settings, the validated project file, one logger. */

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const demoProjectFile = resolve(packageRoot, 'projects', 'la-rochelle', 'terreze.yaml');

export interface CommandContext {
  settings: Settings;
  loaded: LoadedProject;
  connectors: ReadonlyMap<string, AnyConnector>;
  logger: Logger;
}

/** The project file: the option, then TERREZE_PROJECT, then ./terreze.yaml, then the demo. */
export function projectFileFrom(option: string | undefined, environment = process.env): string {
  if (option) return resolve(option);
  if (environment.TERREZE_PROJECT) return resolve(environment.TERREZE_PROJECT);
  if (existsSync('terreze.yaml')) return resolve('terreze.yaml');
  return demoProjectFile;
}

export function loadCommandContext(
  projectOption: string | undefined,
  loadOptions: LoadOptions = {},
): CommandContext {
  const settings = loadSettings();
  const logger = loggerFromEnvironment();
  const loaded = loadProject(projectFileFrom(projectOption), connectors, process.env, loadOptions);
  return { settings, loaded, connectors, logger };
}

/** The source a command names, or an error listing the sources the project file declares. */
export function declaredSource(loaded: LoadedProject, sourceId: string) {
  const source = loaded.project.sources.find((candidate) => candidate.id === sourceId);
  if (source === undefined) {
    const known = loaded.project.sources.map((candidate) => candidate.id).join(', ');
    throw new NotFoundError(`no source "${sourceId}" in ${loaded.file}; sources: ${known}`, {
      sourceId,
    });
  }
  return source;
}
