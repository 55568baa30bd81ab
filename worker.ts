import { fileURLToPath } from 'node:url';
import { type ActivityInterceptorsFactory, NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDependencies } from './activities/index.js';
import { createActivities } from './activities/index.js';
import { activityInterceptors } from './temporal/activity-interceptors.js';
import { temporalUnreachable } from './temporal/errors.js';

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
  /** How long after the stop began the worker gives up on activities that ignore cancellation. */
  shutdownForceMs?: number;
  /** Interceptors run inside the project's own (logs, heartbeats, attempts). */
  activityInterceptors?: ActivityInterceptorsFactory[];
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
    options.connection ??
    (await NativeConnection.connect({ address: options.address }).catch((error: unknown) => {
      throw temporalUnreachable(options.address, error);
    }));
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.dependencies),
    interceptors: {
      activity: [
        activityInterceptors(options.dependencies.logger),
        ...(options.activityInterceptors ?? []),
      ],
    },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 4,
    // A graceful stop lets running activities finish before they are cancelled.
    shutdownGraceTime: options.shutdownGraceMs ?? 30_000,
    ...(options.shutdownForceMs === undefined
      ? {}
      : { shutdownForceTime: options.shutdownForceMs }),
  });
  return { worker, connection };
}
