import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ActivityAttempt,
  ApprovalDecision,
  ApprovalState,
  CollectionProgress,
  SourceAttempt,
} from './operations-types.js';

/** Signals, queries and updates of terreze's workflows, by the name Temporal knows them. */

/** From a worker: an attempt of one of this workflow's activities failed, or a retry started. */
export const activityAttemptSignal = defineSignal<[ActivityAttempt]>('activityAttempt');

/** From a collection to its cycle: the attempt its current activity is at. */
export const sourceAttemptSignal = defineSignal<[SourceAttempt]>('sourceAttempt');

export const collectionProgressQuery = defineQuery<CollectionProgress>('collectionProgress');

export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

/** Approves or rejects the report edition an approval workflow is bound to. */
export const decideUpdate = defineUpdate<ApprovalState, [ApprovalDecision]>('decide');
