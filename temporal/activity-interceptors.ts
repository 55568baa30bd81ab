import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { errorMessage } from '../lib/errors.js';
import { type Logger, withLogContext } from '../lib/logger.js';
import type { ActivityAttempt } from '../workflows/operations-types.js';

/**
 * What every activity of a terreze worker gets, whatever it does:
 * - its log records carry the workflow id, run id, activity and attempt;
 * - it heartbeats while it runs, even when blocked on a slow provider, so that a worker that dies
 *   is noticed within the heartbeat timeout while a slow but live one is not retried;
 * - its workflow hears of each failed attempt and each retry, which the progress queries show.
 */

/** How often a running activity heartbeats: well inside its timeout, at most every 10 s. */
export function heartbeatIntervalMs(heartbeatTimeoutMs: number | undefined): number | undefined {
  if (heartbeatTimeoutMs === undefined || heartbeatTimeoutMs <= 0) return undefined;
  return Math.max(100, Math.min(10_000, Math.floor(heartbeatTimeoutMs / 4)));
}

async function reportAttempt(context: Context, attempt: ActivityAttempt, logger: Logger) {
  const execution = context.info.workflowExecution;
  if (execution === undefined) return;
  try {
    await context.client.workflow
      .getHandle(execution.workflowId, execution.runId)
      .signal('activityAttempt', attempt);
  } catch (error) {
    // The workflow may have closed already; progress is informative, the work is not at stake.
    logger.debug('attempt not reported', { error: errorMessage(error) });
  }
}

export function activityInterceptors(logger: Logger): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      execute: (input, next) => {
        const { info } = context;
        const metadata = {
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
          activity: info.activityType,
          attempt: info.attempt,
          taskQueue: info.taskQueue,
        };
        return withLogContext(metadata, async () => {
          const intervalMs = heartbeatIntervalMs(info.heartbeatTimeoutMs);
          const ticker =
            intervalMs === undefined
              ? undefined
              : setInterval(() => context.heartbeat(), intervalMs);
          try {
            if (info.attempt > 1) {
              logger.info('activity retried', { previousAttempts: info.attempt - 1 });
              await reportAttempt(
                context,
                { activityType: info.activityType, attempt: info.attempt },
                logger,
              );
            }
            return await next(input);
          } catch (error) {
            await reportAttempt(
              context,
              {
                activityType: info.activityType,
                attempt: info.attempt,
                failure: errorMessage(error),
              },
              logger,
            );
            throw error;
          } finally {
            if (ticker) clearInterval(ticker);
          }
        });
      },
    },
  });
}
