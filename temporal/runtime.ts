import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from '../lib/logger.js';

let installed = false;

export interface RuntimeOptions {
  /** Lowest level of the SDK's own records passed to the logger. */
  level?: LogLevel;
  /**
   * Signals on which the SDK stops every worker of the process by itself (its default: SIGINT,
   * SIGTERM, SIGQUIT, SIGUSR2). A process that must stop things in its own order passes [].
   */
  shutdownSignals?: NodeJS.Signals[];
}

/**
 * Routes the Temporal SDK's own logs (worker state, workflow and activity loggers, and the native
 * core's warnings, which it would otherwise print in colour) through the project's logger. The
 * SDK allows one runtime per process, so this installs it once.
 */
export function installTemporalRuntime(logger: Logger, options: RuntimeOptions = {}): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(options.level ?? 'WARN', (entry) => {
      const metadata = { component: 'temporal', ...(entry.meta ?? {}) };
      if (entry.level === 'ERROR') logger.error(entry.message, metadata);
      else if (entry.level === 'WARN') logger.warn(entry.message, metadata);
      else if (entry.level === 'INFO') logger.info(entry.message, metadata);
      else logger.debug(entry.message, metadata);
    }),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
    ...(options.shutdownSignals ? { shutdownSignals: options.shutdownSignals } : {}),
  });
}
