import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { Command } from 'commander';
import { projectPaths } from '../../activities/dependencies.js';
import { sweepScratchFolders } from '../../activities/scratch.js';
import { collectionPolicy } from '../../config/operations.js';
import { loadSettings } from '../../config/settings.js';
import { loggerFromEnvironment } from '../../lib/logger.js';
import { temporalUnreachable } from '../../temporal/errors.js';
import { loadCommandContext, packageRoot } from '../context.js';
import {
  collectTaskQueue,
  parseCount,
  parseListenPort,
  parsePort,
  requireFreePort,
} from '../options.js';
import { defaultTemporalAddress, recordServer } from '../temporal-client.js';

/**
 * Releases workers created but never run. The SDK frees a worker's native part only at the end
 * of a run, so each is run until an already settled promise: it stops at once, finishing what
 * it may have picked up in between.
 */
async function stopUnstarted(workers: readonly Worker[]): Promise<void> {
  await Promise.allSettled(workers.map((worker) => worker.runUntil(Promise.resolve())));
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** `terreze server`, `terreze simulator`, `terreze worker`: the long-running processes. */
export function registerInfrastructure(program: Command): void {
  program
    .command('server')
    .description('run the embedded Temporal dev server (SQLite under the home folder, Web UI)')
    .option('--port <port>', 'gRPC port', parsePort, 7233)
    .option('--ui-port <port>', 'Web UI port', parsePort, 8233)
    .action(async (options: { port: number; uiPort: number }) => {
      const settings = loadSettings();
      const logger = loggerFromEnvironment();
      const { describeDevServerExit, DevServerError, startDevServer } = await import(
        '../../temporal/dev-server.js'
      );
      const server = await startDevServer({
        projectRoot: packageRoot,
        databaseFile: join(settings.homeDir, 'temporal', 'dev.sqlite'),
        explicitBinary: settings.temporalBinary,
        logger,
        port: options.port,
        uiPort: options.uiPort,
        namespace: settings.temporalNamespace,
        role: 'server',
      });
      if (server.uiUrl && server.pid) {
        recordServer(settings, { address: server.address, uiUrl: server.uiUrl, pid: server.pid });
      }
      // Listening before saying so: a supervisor that stops the server as soon as it reads the
      // line must reach the handler, not the default action that kills without a stop.
      const signalled = untilSignal();
      process.stdout.write(`Temporal at ${server.address}, Web UI at ${server.uiUrl}\n`);

      const ended = await Promise.race([signalled, server.exited]);
      if (typeof ended === 'string') {
        await server.stop();
        return;
      }
      throw new DevServerError(describeDevServerExit(ended, `while serving ${server.address}`));
    });

  program
    .command('simulator')
    .description("serve the real provider files on 127.0.0.1 in the providers' API shapes")
    .option('--port <port>', 'port (0 picks a free one)', parseListenPort, 0)
    .action(async (options: { port: number }) => {
      await requireFreePort(options.port);
      const settings = loadSettings();
      const { startSimulator } = await import('../../simulator/server.js');
      const simulator = await startSimulator({
        dataDir: settings.providerDataDir,
        port: options.port,
      });
      const signalled = untilSignal();
      process.stdout.write(
        `provider simulator at ${simulator.url}\nexport TERREZE_SIMULATOR_URL=${simulator.url}\n`,
      );
      await signalled;
      await simulator.close();
    });

  program
    .command('worker')
    .description('run a worker for the project on TEMPORAL_ADDRESS (default 127.0.0.1:7233)')
    .option(
      '--task-queue <names...>',
      'task queues to poll, several allowed (default TERREZE_TASK_QUEUE or "terreze")',
      collectTaskQueue,
    )
    .option('--max-activities <count>', 'activities run at once per task queue', parseCount, 4)
    .action(async (options: { taskQueue?: string[]; maxActivities: number }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      // Loaded on use, so that the other commands start without the worker's native parts.
      const { bundleWorkflowCode, NativeConnection } = await import('@temporalio/worker');
      const { installTemporalRuntime } = await import('../../temporal/runtime.js');
      const { createWorker, workflowsPath } = await import('../../worker.js');
      installTemporalRuntime(context.logger, { level: 'INFO' });
      const taskQueues = options.taskQueue ?? [context.settings.taskQueue];
      const address = context.settings.temporalAddress ?? defaultTemporalAddress;
      const connection = await NativeConnection.connect({ address }).catch((error: unknown) => {
        throw temporalUnreachable(address, error);
      });
      const workers: Worker[] = [];
      try {
        // One bundle of the workflow code serves every task queue of this process.
        const workflowBundle =
          taskQueues.length > 1 ? await bundleWorkflowCode({ workflowsPath }) : undefined;
        for (const taskQueue of taskQueues) {
          const created = await createWorker({
            address,
            namespace: context.settings.temporalNamespace,
            taskQueue,
            dependencies: context,
            connection,
            workflowBundle,
            maxConcurrentActivities: options.maxActivities,
          });
          workers.push(created.worker);
        }
      } catch (error) {
        // An open connection, or a worker created but never run, would keep the process alive
        // after the error is printed, and the SDK's runtime, having no worker to stop, would
        // swallow SIGTERM.
        await stopUnstarted(workers);
        await connection.close();
        // A worker the server refuses (an unknown namespace) leaves behind the workflow threads
        // the SDK started before asking: exit once the error is printed rather than wait on
        // them. Unreferenced, the timer lets a process with nothing left exit sooner.
        setTimeout(() => process.exit(), 1_000).unref();
        throw error;
      }
      process.once('SIGTERM', () =>
        context.logger.info('worker stopping: running activities get 30 s to finish', {
          pid: process.pid,
        }),
      );
      // Fetches of a worker killed here before left their downloads; the first fetch would
      // sweep them too, but a worker may wait long for one.
      await sweepScratchFolders(projectPaths(context).scratch, {
        staleAfterMs: 2 * collectionPolicy(context.loaded.project.operations).heartbeatTimeoutMs,
        logger: context.logger,
      });
      context.logger.info('worker polling', {
        taskQueues,
        project: context.loaded.project.project,
        pid: process.pid,
      });
      // The SDK's runtime stops every worker gracefully on SIGINT and SIGTERM.
      await Promise.all(workers.map((worker) => worker.run()));
      await connection.close();
      context.logger.info('worker stopped', { taskQueues, pid: process.pid });
    });
}
