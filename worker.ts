import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDependencies } from './activities/index.js';
import { createActivities } from './activities/index.js';
import { activityInterceptors } from './temporal/activity-interceptors.js';

/** The terreze worker: workflows from `workflows/`, activities bound to one project. */

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** Up to this many activities run at once in this process. */
  maxConcurrentActivities?: number;
  /** How long a stop waits for running activities before it cancels them. */
  shutdownGraceMs?: number;
  /** An existing connection to share between the workers of one process. */
  connection?: NativeConnection;
  /** A prebuilt workflow bundle, so that several task queues of one process bundle once. */
  workflowBundle?: { code: string };
}

/** Creates a worker polling one task queue; every queue runs every workflow and activity. */
export async function createWorker(
  options: WorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection =
    options.connection ?? (await NativeConnection.connect({ address: options.address }));
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.dependencies),
    interceptors: { activity: [activityInterceptors(options.dependencies.logger)] },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 4,
    // A graceful stop lets running activities finish before they are cancelled.
    shutdownGraceTime: options.shutdownGraceMs ?? 30_000,
  });
  return { worker, connection };
}
