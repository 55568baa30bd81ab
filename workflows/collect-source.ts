import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CollectActivities } from '../activities/collect.js';
import { nonRetryableErrorTypes } from './errors.js';
import type { CollectSourceInput, PartitionSummary } from './types.js';

const { fetchSource } = proxyActivities<CollectActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
    nonRetryableErrorTypes,
  },
});

const { validatePartition, landPartition } = proxyActivities<CollectActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
});

/**
 * Collects one source for one period: fetch into a staged Parquet file, validate it, then land
 * it as the partition's current version. Landing replaces the partition atomically, so a retry
 * or a second run of the same period never duplicates rows.
 */
export async function collectSourceWorkflow(input: CollectSourceInput): Promise<PartitionSummary> {
  const { workflowId, runId } = workflowInfo();
  const staged = await fetchSource({ ...input, workflowId, runId });

  await validatePartition(staged);

  return landPartition(staged);
}
