import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CollectActivities } from '../activities/collect.js';
import { nonRetryableErrorTypes } from './errors.js';
import type { CollectionPolicy, CollectionProgress } from './operations-types.js';
import { activityAttemptSignal, collectionProgressQuery, sourceAttemptSignal } from './signals.js';
import type { CollectSourceInput, PartitionSummary } from './types.js';

/** The project file's defaults (`operations.collection`), for callers that pass no policy. */
export const defaultCollectionPolicy: CollectionPolicy = {
  heartbeatTimeoutMs: 120_000,
  startToCloseTimeoutMs: 30 * 60_000,
  retry: { initialIntervalMs: 5_000, maximumIntervalMs: 300_000, maximumAttempts: 5 },
};

function collectActivities(policy: CollectionPolicy) {
  const retry = {
    initialInterval: policy.retry.initialIntervalMs,
    backoffCoefficient: 2,
    maximumInterval: policy.retry.maximumIntervalMs,
    maximumAttempts: policy.retry.maximumAttempts,
    nonRetryableErrorTypes,
  };
  const { fetchSource } = proxyActivities<CollectActivities>({
    startToCloseTimeout: policy.startToCloseTimeoutMs,
    // A worker that dies mid-fetch stops heartbeating: the attempt is retried on another one.
    heartbeatTimeout: policy.heartbeatTimeoutMs,
    retry,
  });
  const { validatePartition, landPartition } = proxyActivities<CollectActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: policy.heartbeatTimeoutMs,
    retry: { ...retry, initialInterval: '2 seconds' },
  });
  return { fetchSource, validatePartition, landPartition };
}

/**
 * Collects one source for one period: fetch into a staged Parquet file, validate it, then land
 * it as the partition's current version. Landing replaces the partition atomically, so a retry
 * or a second run of the same period never duplicates rows. Attempts that workers report are
 * shown by the `collectionProgress` query and passed on to the parent cycle.
 */
export async function collectSourceWorkflow(
  input: CollectSourceInput,
  policy: CollectionPolicy = defaultCollectionPolicy,
): Promise<PartitionSummary> {
  const { workflowId, runId, parent } = workflowInfo();
  const progress: CollectionProgress = {
    sourceId: input.sourceId,
    period: input.period,
    step: 'fetching',
    attempt: 1,
    lastFailure: undefined,
  };
  setHandler(collectionProgressQuery, () => progress);
  setHandler(activityAttemptSignal, async (attempt) => {
    progress.attempt = attempt.attempt;
    if (attempt.failure !== undefined) progress.lastFailure = attempt.failure;
    if (parent === undefined) return;
    await getExternalWorkflowHandle(parent.workflowId, parent.runId)
      .signal(sourceAttemptSignal, { ...attempt, sourceId: input.sourceId })
      .catch(() => undefined);
  });

  const { fetchSource, validatePartition, landPartition } = collectActivities(policy);
  const staged = await fetchSource({ ...input, workflowId, runId });

  progress.step = 'validating';
  progress.attempt = 1;
  await validatePartition(staged);

  progress.step = 'landing';
  progress.attempt = 1;
  const summary = await landPartition(staged);

  progress.step = 'done';
  await condition(allHandlersFinished);
  return summary;
}
