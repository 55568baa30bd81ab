import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { type LoadedProject, loadProject } from '../config/project.js';
import type { Settings } from '../config/settings.js';
import { connectors } from '../connectors/index.js';
import type { Logger } from '../lib/logger.js';
import { startSimulator } from '../simulator/server.js';
import { type DevServer, startDevServer } from '../temporal/dev-server.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { createWorker } from '../worker.js';
import { packageRoot } from './context.js';

/**
 * Everything the demo and the integration tests run on one machine: the Temporal dev server
 * (unless TEMPORAL_ADDRESS names a cluster), the provider simulator on 127.0.0.1, and one
 * worker in this process. `stop()` ends what was started, in reverse order.
 */
export interface EmbeddedStack {
  client: Client;
  address: string;
  uiUrl: string | undefined;
  simulatorUrl: string;
  loaded: LoadedProject;
  worker: Worker;
  stop(): Promise<void>;
}

export interface EmbeddedStackOptions {
  settings: Settings;
  projectFile: string;
  logger: Logger;
  /** Folder for the dev server's SQLite file; defaults to the home folder. */
  temporalDir?: string;
}

export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const { settings, logger } = options;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse())
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

    installTemporalRuntime(logger);
    const { worker, connection: workerConnection } = await createWorker({
      address,
      namespace: settings.temporalNamespace,
      taskQueue: settings.taskQueue,
      dependencies: { settings, loaded, connectors, logger },
    });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch((error) => logger.error('worker stopped with an error', { error }));
      await workerConnection.close();
    });

    const connection = await Connection.connect({ address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: settings.temporalNamespace });

    return {
      client,
      address,
      uiUrl: devServer?.uiUrl,
      simulatorUrl: simulator.url,
      loaded,
      worker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
