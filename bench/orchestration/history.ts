import type { Client } from '@temporalio/client';

/**
 * The activities' own time and Temporal's scheduling latency, read from the histories of a
 * workflow and of its children: for each activity, scheduled → started (waiting for a worker
 * slot or the server) and started → completed (its own work).
 */
export interface HistoryTimes {
  workflows: number;
  activities: number;
  activityOwnMs: number;
  scheduleToStartMs: number;
  byActivity: Record<string, { count: number; ownMs: number }>;
}

const millis = (time: unknown): number => {
  const stamp = time as { seconds?: { toNumber(): number } | number; nanos?: number } | undefined;
  if (stamp === undefined || stamp === null) return NaN;
  const seconds =
    typeof stamp.seconds === 'number' ? stamp.seconds : (stamp.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (stamp.nanos ?? 0) / 1e6;
};

export async function historyTimes(
  client: Client,
  workflowIds: readonly string[],
): Promise<HistoryTimes> {
  const times: HistoryTimes = {
    workflows: 0,
    activities: 0,
    activityOwnMs: 0,
    scheduleToStartMs: 0,
    byActivity: {},
  };
  const queue = [...workflowIds];
  while (queue.length > 0) {
    const batch = queue.splice(0, 16);
    await Promise.all(
      batch.map(async (workflowId) => {
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        times.workflows += 1;
        const scheduled = new Map<string, { at: number; type: string }>();
        const started = new Map<string, number>();
        for (const event of history.events ?? []) {
          const id = String(event.eventId);
          const at = millis(event.eventTime);
          const attributes = event.activityTaskScheduledEventAttributes;
          if (attributes) scheduled.set(id, { at, type: attributes.activityType?.name ?? '?' });
          const start = event.activityTaskStartedEventAttributes;
          if (start) {
            const origin = scheduled.get(String(start.scheduledEventId));
            started.set(String(start.scheduledEventId), at);
            if (origin) times.scheduleToStartMs += at - origin.at;
          }
          const done = event.activityTaskCompletedEventAttributes;
          if (done) {
            const key = String(done.scheduledEventId);
            const from = started.get(key);
            const type = scheduled.get(key)?.type ?? '?';
            if (from !== undefined) {
              const ownMs = at - from;
              times.activities += 1;
              times.activityOwnMs += ownMs;
              const entry = times.byActivity[type] ?? { count: 0, ownMs: 0 };
              times.byActivity[type] = entry;
              entry.count += 1;
              entry.ownMs += ownMs;
            }
          }
          const child = event.childWorkflowExecutionStartedEventAttributes;
          if (child?.workflowExecution?.workflowId) queue.push(child.workflowExecution.workflowId);
        }
      }),
    );
  }
  return times;
}
