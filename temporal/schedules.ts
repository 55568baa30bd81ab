import { createHash } from 'node:crypto';
import {
  type Client,
  ScheduleNotFoundError,
  type ScheduleOptions,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Project } from '../config/project.js';
import type { ScheduleConfig } from '../config/schedule.js';

/**
 * Temporal Schedules derived from the project file. Each desired schedule carries a digest of
 * its definition in its memo, so that a sync updates only what changed.
 */

export interface DesiredSchedule {
  scheduleId: string;
  options: ScheduleOptions;
  digest: string;
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

export function desiredSchedules(project: Project, taskQueue: string): DesiredSchedule[] {
  const timeZone = project.territory.timeZone;
  const entries: {
    scheduleId: string;
    workflowType: string;
    args: unknown[];
    schedule: ScheduleConfig;
  }[] = [];
  if (project.cycle.schedule) {
    entries.push({
      scheduleId: `${project.project}-cycle`,
      workflowType: 'scheduledCycleWorkflow',
      args: [{ timeZone, yearsBack: 1 }],
      schedule: project.cycle.schedule,
    });
  }
  for (const source of project.sources) {
    if (!source.schedule) continue;
    entries.push({
      scheduleId: `${project.project}-collect-${source.id}`,
      workflowType: 'scheduledCollectionWorkflow',
      args: [{ sourceId: source.id, timeZone }],
      schedule: source.schedule,
    });
  }

  return entries.map((entry) => {
    const definition = { ...entry, timeZone, taskQueue };
    const digest = digestOf(definition);
    const { schedule } = entry;
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
      },
      policies: {
        overlap: overlapPolicy(schedule.overlap),
        catchupWindow: schedule.catchupWindow as Duration,
        pauseOnFailure: schedule.pauseOnFailure,
      },
      state: { paused: schedule.paused, note: schedule.note },
      memo: { terrezeDigest: digest, project: project.project },
    };
    return { scheduleId: entry.scheduleId, options, digest };
  });
}

async function existingSchedules(
  client: Client,
  prefix: string,
): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(prefix)) continue;
    found.set(
      summary.scheduleId,
      (summary.memo as Record<string, unknown> | undefined)?.terrezeDigest as string | undefined,
    );
  }
  return found;
}

/** Compares the project's schedules with the cluster's; changes nothing. */
export async function planScheduleSync(client: Client, project: Project, taskQueue: string) {
  const desired = desiredSchedules(project, taskQueue);
  const existing = await existingSchedules(client, `${project.project}-`);
  const plan: SchedulePlanEntry[] = desired.map((schedule) => ({
    scheduleId: schedule.scheduleId,
    change: !existing.has(schedule.scheduleId)
      ? 'create'
      : existing.get(schedule.scheduleId) === schedule.digest
        ? 'unchanged'
        : 'update',
  }));
  for (const scheduleId of existing.keys()) {
    if (!desired.some((schedule) => schedule.scheduleId === scheduleId))
      plan.push({ scheduleId, change: 'delete' });
  }
  return { desired, plan: plan.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId)) };
}

/** Makes the cluster's schedules match the project file. */
export async function applyScheduleSync(client: Client, project: Project, taskQueue: string) {
  const { desired, plan } = await planScheduleSync(client, project, taskQueue);
  for (const entry of plan) {
    const schedule = desired.find((candidate) => candidate.scheduleId === entry.scheduleId);
    if (entry.change === 'create' && schedule) await client.schedule.create(schedule.options);
    if (entry.change === 'update' && schedule) {
      // A schedule's memo cannot be updated in place, so a changed definition is recreated.
      await client.schedule
        .getHandle(entry.scheduleId)
        .delete()
        .catch((error) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
      await client.schedule.create(schedule.options);
    }
    if (entry.change === 'delete') await client.schedule.getHandle(entry.scheduleId).delete();
  }
  return plan;
}
