import { Client, Connection } from '@temporalio/client';
import type { Settings } from '../config/settings.js';
import { errorMessage } from '../lib/errors.js';
import { UnavailableError } from '../temporal/errors.js';

/** The address the CLI and a standalone worker use when TEMPORAL_ADDRESS is not set. */
export const defaultTemporalAddress = '127.0.0.1:7233';

export async function connectClient(
  settings: Settings,
): Promise<{ client: Client; close(): Promise<void> }> {
  const address = settings.temporalAddress ?? defaultTemporalAddress;
  const connection = await Connection.connect({ address, connectTimeout: 5_000 }).catch((error) => {
    throw new UnavailableError(
      `cannot reach Temporal at ${address} (${errorMessage(error)}); start one with ` +
        '`terreze server` or set TEMPORAL_ADDRESS to your cluster',
    );
  });
  return {
    client: new Client({ connection, namespace: settings.temporalNamespace }),
    close: () => connection.close(),
  };
}

// A poller the server saw within this long is taken as alive (long polls last about a minute).
const pollerFreshMs = 90_000;

/** Task queues among these that no worker has polled lately. */
export async function queuesWithoutWorkers(
  client: Client,
  taskQueues: string[],
): Promise<string[]> {
  const idle: string[] = [];
  for (const name of new Set(taskQueues)) {
    const answer = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name },
      taskQueueType: 1,
    });
    const fresh = (answer.pollers ?? []).some((poller) => {
      const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
      return Date.now() - seconds * 1000 < pollerFreshMs;
    });
    if (!fresh) idle.push(name);
  }
  return idle;
}

/** Fails with what to do next when no worker polls a task queue that work is sent to. */
export async function requireWorkers(client: Client, taskQueues: string[]): Promise<void> {
  const idle = await queuesWithoutWorkers(client, taskQueues);
  if (idle.length === 0) return;
  const flags = idle.map((queue) => `--task-queue ${queue}`).join(' ');
  throw new UnavailableError(
    `no worker polls task queue${idle.length > 1 ? 's' : ''} ${idle.join(', ')}: ` +
      `start one with \`terreze worker ${flags}\``,
    { taskQueues: idle },
  );
}
