import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CycleActivities } from '../activities/cycle.js';
import { collectSourceWorkflow } from './collect-source.js';
import { nonRetryableErrorTypes } from './errors.js';
import { territorialCycleWorkflow } from './territorial-cycle.js';
import type { CycleResult, PartitionSummary } from './types.js';

const scheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

const { planCycle } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes },
});

/** The calendar year of the schedule's nominal time in the territory's time zone. */
function scheduledYear(timeZone: string): number {
  const nominal =
    workflowInfo().typedSearchAttributes.get(scheduledStartTime) ?? new Date(Date.now());
  const year = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(nominal);
  return Number(year);
}

export interface ScheduledCycleInput {
  timeZone: string;
  /** The cycle reports on the year this many years before the scheduled year. */
  yearsBack: number;
}

/** Started by the cycle's Temporal Schedule: reports on the year before the scheduled one. */
export async function scheduledCycleWorkflow(input: ScheduledCycleInput): Promise<CycleResult> {
  const reportingYear = scheduledYear(input.timeZone) - input.yearsBack;
  return executeChild(territorialCycleWorkflow, {
    workflowId: `${workflowInfo().workflowId}/cycle-${reportingYear}`,
    args: [{ reportingYear }],
  });
}

export interface ScheduledCollectionInput {
  sourceId: string;
  timeZone: string;
}

/** Started by a source's Temporal Schedule: collects its latest vintage up to the scheduled year. */
export async function scheduledCollectionWorkflow(
  input: ScheduledCollectionInput,
): Promise<PartitionSummary | { skipped: string }> {
  const plan = await planCycle(scheduledYear(input.timeZone));
  const source = plan.sources.find((candidate) => candidate.sourceId === input.sourceId);
  if (source === undefined || source.skipReason !== undefined || source.period === undefined) {
    return { skipped: source?.skipReason ?? `source ${input.sourceId} is not in the project` };
  }
  return executeChild(collectSourceWorkflow, {
    workflowId: `${workflowInfo().workflowId}/collect-${source.period}`,
    ...(source.taskQueue ? { taskQueue: source.taskQueue } : {}),
    args: [
      { sourceId: source.sourceId, period: source.period, vintage: source.vintage },
      plan.collection,
    ],
  });
}
