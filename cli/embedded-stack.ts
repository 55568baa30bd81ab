import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { type LoadedProject, loadProject } from '../config/project.js';
import type { Settings } from '../config/settings.js';
import { connectors } from '../connectors/index.js';
import type { Logger } from '../lib/logger.js';
import { startSimulator } from '../simulator/server.js';
import { type DevServer, startDevServer } from '../temporal/dev-server.js';
import { temporalUnreachable } from '../temporal/errors.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { createStagedFileTracker } from '../temporal/staged-files.js';
import { createWorker } from '../worker.js';
import { packageRoot } from './context.js';

/**
 * Everything the demo and the integration tests run on one machine: the Temporal dev server
 * (unless TEMPORAL_ADDRESS names a cluster), the provider simulator on 127.0.0.1, and one
 * worker in this process. `stop()` ends them in this order: the worker (whose staged files that
 * nothing landed are then removed), the client, the simulator, the dev server.
 */
export interface EmbeddedStack {
  client: Client;
  address: string;
  uiUrl: string | undefined;
  simulatorUrl: string;
  loaded: LoadedProject;
  worker: Worker;
  /** The dev server's process id, when the stack started one. */
  devServerPid: number | undefined;
  stop(): Promise<void>;
}

export interface EmbeddedStackOptions {
  settings: Settings;
  projectFile: string;
  logger: Logger;
  /** Folder for the dev server's SQLite file; defaults to the home folder. */
  temporalDir?: string;
  /** How long a stop lets running activities finish before cancelling them (default 30 s). */
  shutdownGraceMs?: number;
  /** What this process is, for a later one refused the same dev server database. */
  role?: string;
  /** Runs with the connected client before the worker polls: the demo ends its older runs there. */
  beforeWorker?: (client: Client) => Promise<void>;
}

export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const { settings, logger } = options;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse())
      await step().catch((error) => logger.warn('stop failed', { error }));
  };

  try {
    let devServer: DevServer | undefined;
    let address = settings.temporalAddress;
    if (address === undefined) {
      devServer = await startDevServer({
        projectRoot: packageRoot,
        databaseFile: join(options.temporalDir ?? join(settings.homeDir, 'temporal'), 'dev.sqlite'),
        explicitBinary: settings.temporalBinary,
        logger,
        role: options.role,
      });
      address = devServer.address;
      stops.push(() => devServer!.stop());
    }

    const simulator = await startSimulator({ dataDir: settings.providerDataDir });
    stops.push(() => simulator.close());
    const loaded = loadProject(options.projectFile, connectors, {
      ...process.env,
      TERREZE_SIMULATOR_URL: simulator.url,
    });

    const connection = await Connection.connect({ address }).catch((error: unknown) => {
      throw temporalUnreachable(address, error);
    });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: settings.temporalNamespace });
    await options.beforeWorker?.(client);

    // The stack stops its worker itself, after whatever runs on it, and never on the SDK's own.
    installTemporalRuntime(logger, { shutdownSignals: [] });
    const tracker = createStagedFileTracker();
    const graceMs = options.shutdownGraceMs ?? 30_000;
    const { worker, connection: workerConnection } = await createWorker({
      address,
      namespace: settings.temporalNamespace,
      taskQueue: settings.taskQueue,
      dependencies: { settings, loaded, connectors, logger },
      shutdownGraceMs: graceMs,
      shutdownForceMs: graceMs + 10_000,
      activityInterceptors: [tracker.interceptor],
    });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch((error) => logger.warn('worker stopped with an error', { error }));
      await workerConnection.close();
      const removed = await tracker.removeLeftovers();
      if (removed.length > 0) logger.info('staged files removed', { files: removed });
    });

    return {
      client,
      address,
      uiUrl: devServer?.uiUrl,
      simulatorUrl: simulator.url,
      loaded,
      worker,
      devServerPid: devServer?.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
