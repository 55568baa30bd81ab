import { WorkflowFailedError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import { TerrezeError } from '../lib/errors.js';
import type { CycleResult } from '../workflows/types.js';

/**
 * What the CLI prints when a workflow it follows fails: the cause chain with the innermost
 * cause first (the activity's own message says what went wrong), each wrapper it went through,
 * the workflow id and run, and the Web UI page of the run when the UI's address is known.
 */

export interface WorkflowReference {
  workflowId: string;
  runId: string | undefined;
  namespace: string;
  /** Base URL of the Temporal Web UI, such as http://127.0.0.1:8233. */
  uiUrl: string | undefined;
}

/** A workflow the CLI started or followed failed; the message carries its cause chain. */
export class WorkflowRunError extends TerrezeError {}

const retryStates: Record<string, string> = {
  NON_RETRYABLE_FAILURE: 'not retried: a failure no retry can mend',
  MAXIMUM_ATTEMPTS_REACHED: 'after its last allowed attempt',
  TIMEOUT: 'out of time for more attempts',
  CANCEL_REQUESTED: 'cancelled',
};

function retryNote(retryState: string | undefined): string {
  const note = retryState === undefined ? undefined : retryStates[retryState];
  return note ? `, ${note}` : '';
}

/** One line per failure of the chain, the innermost first. */
export function causeLines(error: unknown): string[] {
  const chain: string[] = [];
  let current: unknown = error instanceof WorkflowFailedError ? error.cause : error;
  while (current instanceof Error) {
    chain.push(describeFailure(current));
    // An activity's failure often wraps the error it converted, with the same message.
    const inner: unknown = current.cause;
    const repeated = inner instanceof Error && inner.message === current.message;
    current = repeated ? inner.cause : inner;
  }
  return chain.reverse();
}

function describeFailure(failure: Error): string {
  if (failure instanceof ActivityFailure) {
    return `in activity ${failure.activityType}${retryNote(failure.retryState)}`;
  }
  if (failure instanceof ChildWorkflowFailure) {
    const { workflowType, execution } = failure;
    return `in child workflow ${workflowType} ${execution.workflowId}${retryNote(failure.retryState)}`;
  }
  if (failure instanceof TimeoutFailure) return `timed out (${failure.timeoutType})`;
  if (failure instanceof TerminatedFailure) return `terminated: ${failure.message}`;
  if (failure instanceof CancelledFailure) return `cancelled: ${failure.message}`;
  if (failure instanceof ApplicationFailure && failure.type) {
    return `${failure.message} (${failure.type})`;
  }
  return failure.message;
}

/** The Web UI page of a run, when the UI's address is known. */
export function workflowPageUrl(reference: WorkflowReference): string | undefined {
  if (reference.uiUrl === undefined) return undefined;
  const base = reference.uiUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(reference.workflowId);
  const run = reference.runId === undefined ? '' : `/${encodeURIComponent(reference.runId)}`;
  return `${base}/namespaces/${encodeURIComponent(reference.namespace)}/workflows/${id}${run}/history`;
}

/** Where to look at a workflow: its id and run, and its Web UI page or the command to use. */
export function whereToLook(reference: WorkflowReference): string {
  const run = reference.runId === undefined ? '' : `, run ${reference.runId}`;
  const page = workflowPageUrl(reference);
  const look = page
    ? `Web UI: ${page}`
    : `\`temporal workflow show --workflow-id ${reference.workflowId}\``;
  return `workflow ${reference.workflowId}${run}; ${look}`;
}

/** The error the CLI exits with when a workflow it follows fails. */
export function workflowRunError(
  what: string,
  error: unknown,
  reference: WorkflowReference,
  notes: string[] = [],
): WorkflowRunError {
  const [innermost, ...wrappers] = causeLines(error);
  const lines = [
    `${what} failed: ${innermost ?? (error instanceof Error ? error.message : String(error))}`,
    ...wrappers.map((line) => `  ${line}`),
    `  ${whereToLook(reference)}`,
    ...notes.map((note) => `  ${note}`),
  ];
  return new WorkflowRunError(lines.join('\n'), { ...reference });
}

/** A cycle that produced its edition while some sources failed (`onSourceFailure: continue`). */
export class SourcesFailedError extends TerrezeError {}

/** The error a completed cycle exits with when some of its sources failed, or undefined. */
export function failedSourcesError(result: CycleResult): SourcesFailedError | undefined {
  const failed = result.sources.filter((source) => source.state === 'failed');
  if (failed.length === 0) return undefined;
  const names = failed.map((source) => `${source.sourceId} (${source.message ?? 'failed'})`);
  return new SourcesFailedError(
    `cycle ${result.reportingYear} produced edition ${result.inventory.editionId} without ` +
      `${failed.length} failed source${failed.length > 1 ? 's' : ''}, reported as not ` +
      `estimated: ${names.join('; ')}`,
    { failedSources: failed.map((source) => source.sourceId) },
  );
}
