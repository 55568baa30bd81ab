import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDependencies } from './activities/index.js';
import { createActivities } from './activities/index.js';

/** The terreze worker: workflows from `workflows/`, activities bound to one project. */

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** Up to this many activities run at once in this process. */
  maxConcurrentActivities?: number;
}

export async function createWorker(
  options: WorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath,
    activities: createActivities(options.dependencies),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 4,
    // A graceful stop lets running activities finish their step before the process exits.
    shutdownGraceTime: '30 seconds',
  });
  return { worker, connection };
}
