import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from '../lib/logger.js';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state, workflow and activity loggers) through the
 * project's logger. The SDK allows one runtime per process, so this installs it once.
 */
export function installTemporalRuntime(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const metadata = { component: 'temporal', ...(entry.meta ?? {}) };
      if (entry.level === 'ERROR') logger.error(entry.message, metadata);
      else if (entry.level === 'WARN') logger.warn(entry.message, metadata);
      else if (entry.level === 'INFO') logger.info(entry.message, metadata);
      else logger.debug(entry.message, metadata);
    }),
  });
}
