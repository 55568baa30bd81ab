/**
 * What the operations workflows exchange: collection policies, attempts reported by activities,
 * and the approval of report editions. Plain data only, as in `types.ts`.
 */

import type { RenderedReport } from './types.js';

/** How patient a collection's activities are, from the project file's `operations.collection`. */
export interface CollectionPolicy {
  heartbeatTimeoutMs: number;
  startToCloseTimeoutMs: number;
  retry: { initialIntervalMs: number; maximumIntervalMs: number; maximumAttempts: number };
}

/** Sent by a worker to the workflow of an activity when an attempt fails or a retry starts. */
export interface ActivityAttempt {
  activityType: string;
  attempt: number;
  /** Why this attempt failed; absent when a new attempt starts. */
  failure?: string;
}

export interface SourceAttempt extends ActivityAttempt {
  sourceId: string;
}

export interface CollectionProgress {
  sourceId: string;
  period: string;
  step: 'fetching' | 'validating' | 'landing' | 'done';
  attempt: number;
  lastFailure: string | undefined;
}

export interface ApprovalPolicy {
  reportIds: string[];
  remindAfterMs: number;
  expireAfterMs: number;
}

export interface ApprovalInput {
  project: string;
  reportingYear: number;
  inventoryEditionId: string;
  report: RenderedReport;
  remindAfterMs: number;
  expireAfterMs: number;
}

export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  /** The report edition the decider reviewed; it must be the one this approval is bound to. */
  reportEditionId: string;
  /** The PDF checksum the decider reviewed, when they give it. */
  pdfSha256?: string;
  by: string;
  comment: string;
}

export type ApprovalStatus = 'awaiting' | 'approved' | 'rejected' | 'expired' | 'issued';

export interface DeliveryResult {
  channel: 'outbox' | 'email' | 'webhook';
  state: 'done' | 'not-configured' | 'failed';
  detail: string;
}

export interface ApprovalState {
  status: ApprovalStatus;
  reportEditionId: string;
  reportId: string;
  pdf: string | undefined;
  pdfSha256: string | undefined;
  requestedAt: string;
  remindedAt: string | undefined;
  expiresAt: string;
  decision: (ApprovalDecision & { at: string }) | undefined;
  refusals: { at: string; by: string; reason: string }[];
  deliveries: DeliveryResult[];
}

/** The decision that rejected a report edition, as the audit log recorded it. */
export interface EditionRejection {
  reportEditionId: string;
  by: string;
  at: string;
  comment: string;
}

/** What a cycle says about the approval of each report edition it rendered. */
export interface ApprovalRequest {
  reportEditionId: string;
  reportId: string;
  workflowId: string;
  state: 'awaiting' | 'issued' | 'rejected';
  /** The command that approves it, for the operator to run once the edition is reviewed. */
  approveCommand: string | undefined;
  /** Who rejected this edition, when and why: it is not asked for again. */
  rejection?: EditionRejection;
  /** What the operator does next, when the cycle asks nobody to decide. */
  nextStep?: string;
}

/** One line of the append-only audit log of approvals. */
export interface AuditEntry {
  entryId: string;
  at: string;
  action: 'requested' | 'reminded' | 'approved' | 'rejected' | 'refused' | 'expired' | 'issued';
  by: string;
  comment: string;
  reason: string | undefined;
  reportEditionId: string;
  reportId: string;
  inventoryEditionId: string;
  reportingYear: number;
  pdf: string | undefined;
  pdfSha256: string | undefined;
  workflowId: string;
  runId: string;
}
