import { TerrezeError } from '../lib/errors.js';

/** Errors of the operator's commands; the CLI maps each class to its exit code. */

/** A schedule, source, workflow or edition that the cluster or the project does not have. */
export class NotFoundError extends TerrezeError {}

/** Temporal is unreachable, or no worker polls the task queue that work was sent to. */
export class UnavailableError extends TerrezeError {}

/** A backfill that would create, or created, nothing for some of its periods. */
export class BackfillError extends TerrezeError {}

/** An approval or rejection that the edition's approval workflow refused. */
export class ApprovalRefusedError extends TerrezeError {}
