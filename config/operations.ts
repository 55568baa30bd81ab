import { z } from 'zod';
import type { CollectionPolicy } from '../workflows/operations-types.js';
import { durationMs, durationText } from './schedule.js';

/**
 * The `operations` block of a project file: where collections run (task queues), how patient
 * their activities are, how report editions are approved, and where approved editions go.
 * Every field has a default, so a project file may leave the block out.
 */

const taskQueueName = z.string().regex(/^[\w.-]+$/, 'a task queue name of letters, digits, . _ -');

const retry = z.strictObject({
  initialInterval: durationText.default('5 seconds'),
  maximumInterval: durationText.default('5 minutes'),
  maximumAttempts: z.number().int().min(1).max(100).default(5),
});

const collection = z.strictObject({
  /** A worker that stops heartbeating for this long is presumed dead: the attempt is retried. */
  heartbeatTimeout: durationText.default('2 minutes'),
  startToCloseTimeout: durationText.default('30 minutes'),
  retry: retry.prefault({}),
});

const approval = z.strictObject({
  /** Reports whose editions wait for an approval before they are issued; all when absent. */
  reports: z.array(z.string().min(1)).optional(),
  remindAfter: durationText.default('3 days'),
  expireAfter: durationText.default('14 days'),
});

const email = z.strictObject({
  /** `smtp://user:password@host:port` (or `smtps://`); put it in the environment. */
  smtpUrl: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }),
  from: z.email(),
  to: z.array(z.email()).min(1),
});

const webhook = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
});

const distribution = z.strictObject({
  /** Folder of issued editions and notifications; relative paths are under the project home. */
  outbox: z.string().min(1).default('outbox'),
  email: email.optional(),
  webhook: webhook.optional(),
});

export const operationsSchema = z
  .strictObject({
    /** Task queues that collections run on, by source id or by domain; others use the default. */
    taskQueues: z
      .strictObject({
        sources: z.record(z.string(), taskQueueName).default({}),
        domains: z.record(z.string(), taskQueueName).default({}),
      })
      .prefault({}),
    collection: collection.prefault({}),
    approval: approval.prefault({}),
    distribution: distribution.prefault({}),
  })
  .superRefine((operations, context) => {
    if (
      durationMs(operations.approval.expireAfter) <= durationMs(operations.approval.remindAfter)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['approval', 'expireAfter'],
        message: `a limit longer than remindAfter (${operations.approval.remindAfter})`,
      });
    }
  });

export type OperationsConfig = z.infer<typeof operationsSchema>;

/** The collection activities' timeouts and retries, in milliseconds, as workflows take them. */
export function collectionPolicy(operations: OperationsConfig): CollectionPolicy {
  const { collection } = operations;
  return {
    heartbeatTimeoutMs: durationMs(collection.heartbeatTimeout),
    startToCloseTimeoutMs: durationMs(collection.startToCloseTimeout),
    retry: {
      initialIntervalMs: durationMs(collection.retry.initialInterval),
      maximumIntervalMs: durationMs(collection.retry.maximumInterval),
      maximumAttempts: collection.retry.maximumAttempts,
    },
  };
}

/** The task queue a source's collection is routed to: by source id, then by domain. */
export function collectionTaskQueue(
  operations: OperationsConfig,
  source: { id: string; domain: string },
): string | undefined {
  return operations.taskQueues.sources[source.id] ?? operations.taskQueues.domains[source.domain];
}
