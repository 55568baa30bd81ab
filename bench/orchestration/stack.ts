import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ActivityDependencies } from '../../activities/dependencies.js';
import { loadSettings } from '../../config/settings.js';
import type { Logger } from '../../lib/logger.js';
import { startSimulator } from '../../simulator/server.js';
import { startDevServer } from '../../temporal/dev-server.js';
import { installTemporalRuntime } from '../../temporal/runtime.js';
import { createWorker } from '../../worker.js';
import { startFileServer } from '../support/file-server.js';
import { benchVarDir, repositoryRoot } from '../support/paths.js';
import { benchConnectors, loadBenchProject } from '../support/projects.js';

/**
 * A real Temporal dev server, the provider simulator on the real files, a file server for
 * generated ones and a terreze worker for a bench project, all on 127.0.0.1; `stop()` ends
 * them in reverse order.
 */
export interface BenchStack {
  client: Client;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** The project's folder under the bench home: lake, editions, scratch. */
  projectHome: string;
  resetProjectHome(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchStack(options: {
  name: string;
  /** Writes the project file once the simulator's and file server's URLs are known. */
  writeProject(urls: { simulator: string; files: string }): Promise<string>;
  filesDir: string;
  logger: Logger;
  maxConcurrentActivities?: number;
}): Promise<BenchStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  const home = join(benchVarDir, 'work', options.name);
  await rm(home, { recursive: true, force: true });
  const settings = loadSettings({
    ...process.env,
    TERREZE_HOME: home,
    TERREZE_TASK_QUEUE: `bench-${options.name}-${Date.now()}`,
  });

  try {
    const devServer = await startDevServer({
      projectRoot: repositoryRoot,
      databaseFile: join(home, 'temporal', 'dev.sqlite'),
      explicitBinary: settings.temporalBinary,
      logger: options.logger,
    });
    stops.push(() => devServer.stop());
    const simulator = await startSimulator({ dataDir: settings.providerDataDir });
    stops.push(() => simulator.close());
    const files = await startFileServer(options.filesDir);
    stops.push(() => files.close());

    const projectFile = await options.writeProject({ simulator: simulator.url, files: files.url });
    const loaded = loadBenchProject(projectFile, { TERREZE_SIMULATOR_URL: simulator.url });
    const dependencies: ActivityDependencies = {
      settings,
      loaded,
      connectors: benchConnectors,
      logger: options.logger,
    };

    installTemporalRuntime(options.logger);
    const { worker, connection: workerConnection } = await createWorker({
      address: devServer.address,
      namespace: settings.temporalNamespace,
      taskQueue: settings.taskQueue,
      dependencies,
      maxConcurrentActivities: options.maxConcurrentActivities,
    });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
      await workerConnection.close();
    });

    const connection = await Connection.connect({ address: devServer.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: settings.temporalNamespace });
    const projectHome = join(home, loaded.project.project);
    return {
      client,
      taskQueue: settings.taskQueue,
      dependencies,
      projectHome,
      resetProjectHome: () => rm(projectHome, { recursive: true, force: true }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
