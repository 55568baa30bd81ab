import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  executeChild,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CycleActivities } from '../activities/cycle.js';
import { requestApprovals } from './approval-requests.js';
import { collectSourceWorkflow } from './collect-source.js';
import { nonRetryableErrorTypes } from './errors.js';
import { activityAttemptSignal, sourceAttemptSignal } from './signals.js';
import type {
  CycleInput,
  CyclePlan,
  CycleProgress,
  CycleResult,
  PlannedSource,
  SourceProgress,
} from './types.js';

export const progressQuery = defineQuery<CycleProgress>('progress');

const { planCycle } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes },
});

const { computeInventory, renderReports } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3, nonRetryableErrorTypes },
});

// Domains whose sources measure activities; `reference` and `territory` data only describe them.
const activityDomains = ['energy', 'transport', 'waste'];

/** Why a reporting year cannot have an inventory: no activity source has data for it. */
function missingActivityData(plan: CyclePlan): string | undefined {
  const activity = plan.sources.filter((source) => activityDomains.includes(source.domain));
  if (activity.length === 0 || activity.some((source) => source.skipReason === undefined)) {
    return undefined;
  }
  const vintages = activity.map(
    (source) => `${source.sourceId} (${source.vintages?.join(', ') ?? 'no vintage'})`,
  );
  return (
    `cycle ${plan.reportingYear} has no activity data: no energy, transport or waste source ` +
    `has a vintage on or before ${plan.reportingYear}; their vintages: ${vintages.join(', ')}`
  );
}

function failureMessage(error: unknown): string {
  // A child's failure wraps the activity's: the innermost cause says what went wrong.
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(error);
}

/**
 * One reporting cycle of the territory: collect every source of the year as a child workflow
 * (a few at a time, each on its source's task queue), compute the inventory edition, render the
 * reports, then start the approval of each edition that needs one. A failed source either
 * blocks the cycle or is reported as not estimated, as the project file says.
 */
export async function territorialCycleWorkflow(input: CycleInput): Promise<CycleResult> {
  const progress: CycleProgress = {
    reportingYear: input.reportingYear,
    stage: 'planning',
    sources: [],
  };
  setHandler(progressQuery, () => progress);
  const stateOf = (sourceId: string) => progress.sources.find((s) => s.sourceId === sourceId);
  setHandler(sourceAttemptSignal, (attempt) => {
    const state = stateOf(attempt.sourceId);
    if (state === undefined || state.state !== 'running') return;
    state.attempts = Math.max(state.attempts ?? 1, attempt.attempt);
    if (attempt.failure !== undefined) {
      state.message = `attempt ${attempt.attempt} of ${attempt.activityType} failed: ${attempt.failure}`;
    }
  });
  // The cycle's own activities report attempts too; the stage already says what runs.
  setHandler(activityAttemptSignal, () => undefined);

  const plan = await planCycle(input.reportingYear);
  const missing = missingActivityData(plan);
  if (missing !== undefined) {
    // An edition of reference data alone would be an empty inventory passed off as a result.
    progress.stage = 'failed';
    throw ApplicationFailure.nonRetryable(missing, 'NoActivityData');
  }
  const onSourceFailure = input.onSourceFailure ?? plan.onSourceFailure;
  progress.sources = plan.sources.map(
    (source): SourceProgress => ({
      sourceId: source.sourceId,
      state: source.skipReason === undefined ? 'waiting' : 'skipped',
      period: source.period,
      rows: undefined,
      message: source.skipReason,
      attempts: 0,
    }),
  );
  progress.stage = 'collecting';

  const collect = async (source: PlannedSource) => {
    const state = stateOf(source.sourceId)!;
    state.state = 'running';
    state.attempts = 1;
    try {
      const summary = await executeChild(collectSourceWorkflow, {
        workflowId: `${workflowInfo().workflowId}/collect/${source.sourceId}`,
        ...(source.taskQueue ? { taskQueue: source.taskQueue } : {}),
        args: [
          { sourceId: source.sourceId, period: source.period!, vintage: source.vintage },
          plan.collection,
        ],
      });
      state.state = 'done';
      state.rows = summary.rows;
      state.message = undefined;
    } catch (error) {
      state.state = 'failed';
      state.message = failureMessage(error);
    }
  };

  const queue = plan.sources.filter((source) => source.skipReason === undefined);
  const lanes = Array.from({ length: Math.min(plan.concurrency, queue.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await collect(next);
  });
  await Promise.all(lanes);

  const failed = progress.sources.filter((source) => source.state === 'failed');
  if (failed.length > 0 && onSourceFailure === 'block') {
    progress.stage = 'failed';
    throw ApplicationFailure.nonRetryable(
      `cycle ${input.reportingYear} blocked: ${failed.length} source(s) failed — ` +
        failed.map((source) => `${source.sourceId}: ${source.message}`).join('; '),
      'CycleBlocked',
    );
  }

  progress.stage = 'computing';
  const inventory = await computeInventory({
    reportingYear: input.reportingYear,
    collected: progress.sources
      .filter((source) => source.state === 'done')
      .map((source) => ({ sourceId: source.sourceId, period: source.period! })),
    failed: failed.map((source) => ({ sourceId: source.sourceId, message: source.message ?? '' })),
    skipped: progress.sources
      .filter((source) => source.state === 'skipped')
      .map((source) => ({ sourceId: source.sourceId, reason: source.message ?? '' })),
  });

  progress.stage = 'rendering';
  const reports = await renderReports({
    reportingYear: input.reportingYear,
    editionId: inventory.editionId,
    editionDir: inventory.editionDir,
    databaseFile: inventory.databaseFile,
    reportIds: input.reportIds ?? plan.reportIds,
  });
  const approvals = await requestApprovals(plan, inventory, reports);

  progress.stage = 'done';
  await condition(allHandlersFinished);
  return {
    reportingYear: input.reportingYear,
    sources: progress.sources,
    inventory,
    reports,
    approvals,
  };
}
