import { join } from 'node:path';
import type { LoadedProject } from '../config/project.js';
import type { Settings } from '../config/settings.js';
import type { AnyConnector } from '../connectors/contract.js';
import type { Logger } from '../lib/logger.js';

/** What activities need from the process that hosts them, built once when the worker starts. */
export interface ActivityDependencies {
  settings: Settings;
  loaded: LoadedProject;
  connectors: ReadonlyMap<string, AnyConnector>;
  logger: Logger;
}

/** Where a project's files live under the terreze home folder. */
export function projectPaths(dependencies: ActivityDependencies) {
  const root = join(dependencies.settings.homeDir, dependencies.loaded.project.project);
  return {
    root,
    lake: join(root, 'lake'),
    editions: join(root, 'editions'),
    scratch: join(root, 'tmp'),
  };
}
