import { Client, Connection } from '@temporalio/client';
import type { Settings } from '../config/settings.js';

/** The address the CLI and a standalone worker use when TEMPORAL_ADDRESS is not set. */
export const defaultTemporalAddress = '127.0.0.1:7233';

export async function connectClient(
  settings: Settings,
): Promise<{ client: Client; close(): Promise<void> }> {
  const address = settings.temporalAddress ?? defaultTemporalAddress;
  const connection = await Connection.connect({ address, connectTimeout: 5_000 }).catch((error) => {
    throw new Error(
      `cannot reach Temporal at ${address} (${(error as Error).message}); start one with ` +
        '`terreze server` or set TEMPORAL_ADDRESS to your cluster',
    );
  });
  return {
    client: new Client({ connection, namespace: settings.temporalNamespace }),
    close: () => connection.close(),
  };
}
