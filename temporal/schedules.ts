import { createHash } from 'node:crypto';
import {
  type Client,
  type ScheduleDescription,
  ScheduleNotFoundError,
  type ScheduleOptions,
  ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Project } from '../config/project.js';
import type { ScheduleConfig } from '../config/schedule.js';
import { validateSchedules } from './schedule-checks.js';

/**
 * Temporal Schedules derived from the project file. Each desired schedule carries a digest of
 * its definition in the memo of the workflows it starts (its action's memo, which an update can
 * change, unlike the schedule's own), so that a sync updates only what changed, in place.
 */

export interface DesiredSchedule {
  scheduleId: string;
  options: ScheduleOptions;
  digest: string;
  /** The paused state and note the project file declares. */
  declaredState: { paused: boolean; note: string | undefined };
}

export interface SchedulePlanEntry {
  scheduleId: string;
  change: 'create' | 'update' | 'delete' | 'unchanged';
}

/** The Temporal overlap policy of a project file's `overlap` value. */
export function overlapPolicy(overlap: ScheduleConfig['overlap']): ScheduleOverlapPolicy {
  const policies = {
    skip: ScheduleOverlapPolicy.SKIP,
    'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
    'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
    'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
    'terminate-other': ScheduleOverlapPolicy.TERMINATE_OTHER,
    'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  } as const;
  return policies[overlap];
}

function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

interface ScheduleEntry {
  scheduleId: string;
  workflowType: string;
  args: unknown[];
  schedule: ScheduleConfig;
  /** Where the schedule is declared in the project file, for error messages. */
  path: (string | number)[];
}

function scheduleEntries(project: Project): ScheduleEntry[] {
  const timeZone = project.territory.timeZone;
  const entries: ScheduleEntry[] = [];
  if (project.cycle.schedule) {
    entries.push({
      scheduleId: `${project.project}-cycle`,
      workflowType: 'scheduledCycleWorkflow',
      args: [{ timeZone, yearsBack: 1 }],
      schedule: project.cycle.schedule,
      path: ['cycle', 'schedule'],
    });
  }
  project.sources.forEach((source, index) => {
    if (!source.schedule) return;
    entries.push({
      scheduleId: `${project.project}-collect-${source.id}`,
      workflowType: 'scheduledCollectionWorkflow',
      args: [{ sourceId: source.id, timeZone }],
      schedule: source.schedule,
      path: ['sources', index, 'schedule'],
    });
  });
  return entries;
}

export function desiredSchedules(project: Project, taskQueue: string): DesiredSchedule[] {
  const timeZone = project.territory.timeZone;
  return scheduleEntries(project).map(({ path: _path, ...entry }) => {
    const digest = digestOf({ ...entry, timeZone, taskQueue });
    const { schedule } = entry;
    const declaredState = { paused: schedule.paused, note: schedule.note };
    const options: ScheduleOptions = {
      scheduleId: entry.scheduleId,
      spec: {
        cronExpressions: schedule.cron,
        // `dst: utc` reads the cron in UTC; otherwise the project's check refused local times
        // that a DST change skips, so every scheduled local day gets exactly one run.
        timezone: schedule.dst === 'utc' ? 'UTC' : timeZone,
        ...(schedule.jitter ? { jitter: schedule.jitter as Duration } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: entry.workflowType,
        args: entry.args,
        taskQueue,
        workflowId: entry.scheduleId,
        memo: { terrezeDigest: digest, terrezeState: declaredState },
      },
      policies: {
        overlap: overlapPolicy(schedule.overlap),
        catchupWindow: schedule.catchupWindow as Duration,
        pauseOnFailure: schedule.pauseOnFailure,
      },
      state: declaredState,
      memo: { terrezeDigest: digest, project: project.project },
    };
    return { scheduleId: entry.scheduleId, options, digest, declaredState };
  });
}

function memoValue(memo: Record<string, unknown> | undefined, key: string): unknown {
  return memo?.[key];
}

/** The digest a schedule was last synced with: its action's, else (older syncs) its own. */
function syncedDigest(description: ScheduleDescription): unknown {
  const action = description.action.type === 'startWorkflow' ? description.action : undefined;
  return (
    memoValue(action?.memo as Record<string, unknown> | undefined, 'terrezeDigest') ??
    memoValue(description.memo as Record<string, unknown> | undefined, 'terrezeDigest')
  );
}

async function describeIfAny(client: Client, scheduleId: string) {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/** Compares the project's schedules with the cluster's; changes nothing. */
export async function planScheduleSync(client: Client, project: Project, taskQueue: string) {
  validateSchedules(project, scheduleEntries(project));
  const desired = desiredSchedules(project, taskQueue);
  const plan: SchedulePlanEntry[] = [];
  for (const schedule of desired) {
    const described = await describeIfAny(client, schedule.scheduleId);
    const change =
      described === undefined
        ? 'create'
        : syncedDigest(described) === schedule.digest
          ? 'unchanged'
          : 'update';
    plan.push({ scheduleId: schedule.scheduleId, change });
  }
  // Listing is eventually consistent: it only serves to find schedules the file no longer has.
  for await (const summary of client.schedule.list()) {
    const { scheduleId } = summary;
    if (!scheduleId.startsWith(`${project.project}-`)) continue;
    if (desired.some((schedule) => schedule.scheduleId === scheduleId)) continue;
    plan.push({ scheduleId, change: 'delete' });
  }
  return { desired, plan: plan.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId)) };
}

/**
 * The update of a schedule to its desired definition. A pause or unpause by hand (with its
 * note) survives the update unless the project file's `paused` or `note` changed since.
 */
function updateTo(schedule: DesiredSchedule) {
  return (previous: ScheduleDescription): ScheduleUpdateOptions => {
    const { scheduleId: _id, memo: _memo, state: _state, ...options } = schedule.options;
    const action = previous.action.type === 'startWorkflow' ? previous.action : undefined;
    const synced = (action?.memo as Record<string, unknown> | undefined)?.terrezeState;
    const unchangedInFile = JSON.stringify(synced) === JSON.stringify(schedule.declaredState);
    const state = unchangedInFile
      ? { paused: previous.state.paused, note: previous.state.note }
      : schedule.declaredState;
    return { ...options, state };
  };
}

/**
 * Makes the cluster's schedules match the project file. Every schedule is checked before any
 * is changed; changed ones are updated in place (their history and counters stay); deletions
 * come last, once everything the file declares exists.
 */
export async function applyScheduleSync(client: Client, project: Project, taskQueue: string) {
  const { desired, plan } = await planScheduleSync(client, project, taskQueue);
  const order = { create: 0, update: 1, unchanged: 2, delete: 3 } as const;
  const steps = [...plan].sort((a, b) => order[a.change] - order[b.change]);
  for (const entry of steps) {
    const schedule = desired.find((candidate) => candidate.scheduleId === entry.scheduleId);
    const handle = client.schedule.getHandle(entry.scheduleId);
    if (entry.change === 'create' && schedule) await client.schedule.create(schedule.options);
    if (entry.change === 'update' && schedule) await handle.update(updateTo(schedule));
    if (entry.change === 'delete') await handle.delete();
  }
  return plan;
}
