// The workflows a terreze worker registers. Workflow code is deterministic and does no I/O.
export { collectSourceWorkflow } from './collect-source.js';
export { editionApprovalWorkflow } from './edition-approval.js';
export { scheduledCollectionWorkflow, scheduledCycleWorkflow } from './scheduled.js';
export { progressQuery, territorialCycleWorkflow } from './territorial-cycle.js';
