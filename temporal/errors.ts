import { TerrezeError } from '../lib/errors.js';

/** Errors of the operator's commands; the CLI maps each class to its exit code. */

/** A command given options it cannot run with (one of two options missing, say). */
export class UsageError extends TerrezeError {}

/** A schedule, source, workflow or edition that the cluster or the project does not have. */
export class NotFoundError extends TerrezeError {}

/** Temporal is unreachable, or no worker polls the task queue that work was sent to. */
export class UnavailableError extends TerrezeError {}

/** A backfill that would create, or created, nothing for some of its periods. */
export class BackfillError extends TerrezeError {}

/** An approval or rejection that the edition's approval workflow refused. */
export class ApprovalRefusedError extends TerrezeError {}

/** Why a connection to Temporal failed, in a few words, from the SDK's or its core's error. */
function connectionFailureReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/ConnectionRefused|ECONNREFUSED|Connection refused/i.test(text)) {
    return 'connection refused: nothing listens on that port';
  }
  if (/dns error|ENOTFOUND|EAI_AGAIN|Name or service not known/i.test(text)) {
    return 'the host name does not resolve';
  }
  if (/deadline|timed? ?out/i.test(text)) return 'no answer in time';
  // The native core wraps its errors in Rust debug text; its first clause is the readable one.
  return text
    .replace(/^tonic::transport::Error\(/, '')
    .split('\n')[0]!
    .slice(0, 200);
}

/** Temporal could not be reached at an address: why, and the two ways out. */
export function temporalUnreachable(address: string, error: unknown): UnavailableError {
  return new UnavailableError(
    `cannot reach Temporal at ${address} (${connectionFailureReason(error)}). Start the ` +
      'embedded server with `terreze server` (it listens on 127.0.0.1:7233), or set ' +
      'TEMPORAL_ADDRESS to the host:port of your cluster',
    { address },
  );
}
