import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Settings } from '../config/settings.js';
import { processRuns } from '../lib/processes.js';
import { temporalUnreachable, UnavailableError } from '../temporal/errors.js';

/** The address the CLI and a standalone worker use when TEMPORAL_ADDRESS is not set. */
export const defaultTemporalAddress = '127.0.0.1:7233';

/** What `terreze server` leaves in the home folder, so that other commands find its Web UI. */
interface ServerRecord {
  address: string;
  uiUrl: string;
  pid: number;
}

function serverRecordFile(settings: Settings): string {
  return join(settings.homeDir, 'temporal', 'server.json');
}

/** Records the running dev server's addresses; a record whose process is gone is ignored. */
export function recordServer(settings: Settings, record: ServerRecord): void {
  writeFileSync(serverRecordFile(settings), `${JSON.stringify(record, null, 2)}\n`);
}

/** The Web UI of the cluster at an address: TEMPORAL_UI_URL, or the running `terreze server`'s. */
export function webUiUrl(settings: Settings, address: string): string | undefined {
  if (settings.temporalUiUrl !== undefined) return settings.temporalUiUrl;
  try {
    const record = JSON.parse(readFileSync(serverRecordFile(settings), 'utf8')) as ServerRecord;
    return record.address === address && processRuns(record.pid) ? record.uiUrl : undefined;
  } catch {
    // No server started from this home folder: the UI's address is unknown.
    return undefined;
  }
}

export interface ConnectedClient {
  client: Client;
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  close(): Promise<void>;
}

export async function connectClient(settings: Settings): Promise<ConnectedClient> {
  const address = settings.temporalAddress ?? defaultTemporalAddress;
  const connection = await Connection.connect({ address, connectTimeout: 5_000 }).catch((error) => {
    throw temporalUnreachable(address, error);
  });
  return {
    client: new Client({ connection, namespace: settings.temporalNamespace }),
    address,
    namespace: settings.temporalNamespace,
    uiUrl: webUiUrl(settings, address),
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
