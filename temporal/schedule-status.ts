import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { msNumberToTs, msOptionalToNumber, tsToMs } from '@temporalio/common/lib/time.js';
import type { Project } from '../config/project.js';
import { NotFoundError } from './errors.js';

/**
 * What an operator asks of a schedule: when it runs next, what it ran, and which scheduled times
 * started no run (skipped on overlap, missed the catch-up window, or fell while it was paused).
 */

export interface RecentRun {
  scheduledAt: string;
  takenAt: string;
  workflowId: string;
  status: string;
}

export interface MissedRun {
  scheduledAt: string;
  reason: string;
}

export interface ScheduleReport {
  scheduleId: string;
  workflowType: string | undefined;
  paused: boolean;
  note: string | undefined;
  timeZone: string | undefined;
  nextRuns: string[];
  recentRuns: RecentRun[];
  runningWorkflowIds: string[];
  actionsTaken: number;
  skippedOnOverlap: number;
  missedCatchupWindow: number;
  missedRuns: MissedRun[];
}

/** The schedule id an operator means: a full id, `cycle`, or a source id of the project. */
export function resolveScheduleId(project: Project, name: string): string {
  if (name === 'cycle') return `${project.project}-cycle`;
  if (project.sources.some((source) => source.id === name)) {
    return `${project.project}-collect-${name}`;
  }
  return name;
}

/** Times at which a schedule's spec fires in [fromMs, toMs), as Temporal computes them. */
export async function matchingTimes(
  client: Client,
  scheduleId: string,
  fromMs: number,
  toMs: number,
): Promise<Date[]> {
  // The server excludes a time equal to the start, so the window opens one second earlier.
  const answer = await client.workflowService.listScheduleMatchingTimes({
    namespace: client.options.namespace,
    scheduleId,
    startTime: msNumberToTs(fromMs - 1000),
    endTime: msNumberToTs(toMs),
  });
  return (answer.startTime ?? [])
    .map((time) => new Date(tsToMs(time)))
    .filter((time) => time.getTime() >= fromMs - 1000 && time.getTime() < toMs);
}

async function describeOrThrow(client: Client, scheduleId: string) {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) {
      throw new NotFoundError(
        `no schedule "${scheduleId}" on the cluster: run \`terreze schedules sync\`, ` +
          'or `terreze schedules list` to see the ids',
        { scheduleId },
      );
    }
    throw error;
  }
}

async function workflowStatus(client: Client, workflowId: string, runId: string) {
  try {
    return (await client.workflow.getHandle(workflowId, runId).describe()).status.name;
  } catch {
    return 'UNKNOWN';
  }
}

/** Describes one schedule, including the scheduled times since its creation that ran nothing. */
export async function describeSchedule(
  client: Client,
  scheduleId: string,
  now = new Date(),
): Promise<ScheduleReport> {
  const description = await describeOrThrow(client, scheduleId);
  const { info } = description;
  const recentRuns: RecentRun[] = [];
  for (const action of info.recentActions) {
    const { workflowId, firstExecutionRunId } = action.action.workflow;
    recentRuns.push({
      scheduledAt: action.scheduledAt.toISOString(),
      takenAt: action.takenAt.toISOString(),
      workflowId,
      status: await workflowStatus(client, workflowId, firstExecutionRunId),
    });
  }

  // The server keeps the last ten actions: look for missed times only where they are known.
  const windowStart =
    info.recentActions.length >= 10
      ? info.recentActions[0]!.scheduledAt.getTime()
      : info.createdAt.getTime();
  const expected = await matchingTimes(client, scheduleId, windowStart, now.getTime());
  const jitterMs = msOptionalToNumber(description.spec.jitter) ?? 0;
  const taken = info.recentActions.map((action) => action.scheduledAt.getTime());
  // TODO(operations): Temporal counts overlap skips and catch-up misses but does not say which
  // times they were, so each missed time gets the three possible reasons.
  const missedRuns = expected
    .filter((time) => !taken.some((takenMs) => Math.abs(takenMs - time.getTime()) <= jitterMs))
    .map((time) => ({
      scheduledAt: time.toISOString(),
      reason: 'no run started: skipped on overlap, past the catch-up window, or while paused',
    }));

  const action = description.action;
  return {
    scheduleId,
    workflowType: action.type === 'startWorkflow' ? action.workflowType : undefined,
    paused: description.state.paused,
    note: description.state.note,
    timeZone: description.spec.timezone,
    nextRuns: info.nextActionTimes.map((time) => time.toISOString()),
    recentRuns,
    runningWorkflowIds: info.runningActions.map((running) => running.workflow.workflowId),
    actionsTaken: info.numActionsTaken,
    skippedOnOverlap: info.numActionsSkippedOverlap,
    missedCatchupWindow: info.numActionsMissedCatchupWindow,
    missedRuns,
  };
}

export interface ScheduleListEntry {
  scheduleId: string;
  paused: boolean;
  note: string | undefined;
  nextRun: string | undefined;
  lastRun: string | undefined;
}

/** The cluster's schedules of a project, by id. */
export async function listSchedules(
  client: Client,
  project: Project,
): Promise<ScheduleListEntry[]> {
  const entries: ScheduleListEntry[] = [];
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(`${project.project}-`)) continue;
    entries.push({
      scheduleId: summary.scheduleId,
      paused: summary.state.paused,
      note: summary.state.note,
      nextRun: summary.info.nextActionTimes[0]?.toISOString(),
      lastRun: summary.info.recentActions.at(-1)?.scheduledAt.toISOString(),
    });
  }
  return entries.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}
