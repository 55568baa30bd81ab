import { Context } from '@temporalio/activity';

/** Heartbeat and cancellation of the running activity, or inert ones outside a worker. */
export function activityContext(): { heartbeat(details?: unknown): void; signal: AbortSignal } {
  try {
    const context = Context.current();
    return {
      heartbeat: (details) => context.heartbeat(details),
      signal: context.cancellationSignal,
    };
  } catch {
    // Outside a worker (the CLI or a test calling the function directly): nobody to tell.
    return { heartbeat: () => {}, signal: new AbortController().signal };
  }
}
