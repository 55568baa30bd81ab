import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ApprovalActivities } from '../activities/approval.js';
import type { DistributionActivities } from '../activities/distribution.js';
import { nonRetryableErrorTypes } from './errors.js';
import type {
  ApprovalDecision,
  ApprovalInput,
  ApprovalState,
  AuditEntry,
} from './operations-types.js';
import { activityAttemptSignal, approvalStateQuery, decideUpdate } from './signals.js';

const { appendAuditEntry, verifyEditionFiles, notifyApproval } =
  proxyActivities<ApprovalActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 10, nonRetryableErrorTypes },
  });

const { issueEdition, emailEdition, postEditionWebhook } = proxyActivities<DistributionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
});

/** Why a decision cannot apply to this edition, before any file is read; undefined if it can. */
function mismatch(decision: ApprovalDecision, input: ApprovalInput): string | undefined {
  const bound = input.report;
  if (decision.reportEditionId !== bound.reportEditionId) {
    return `this approval is for edition ${bound.reportEditionId}; the decision names ${decision.reportEditionId}`;
  }
  if (decision.pdfSha256 !== undefined && decision.pdfSha256 !== bound.pdfSha256) {
    return `the decision reviewed a PDF with sha256 ${decision.pdfSha256}; edition ${bound.reportEditionId} was rendered as ${bound.pdfSha256}`;
  }
  return undefined;
}

/**
 * The approval of one report edition, bound to its id and its files' checksums. It waits for a
 * `decide` update (approve or reject, with a name and a comment), reminds after `remindAfterMs`
 * and expires after `expireAfterMs` (durable timers). Every decision, and every refusal of one,
 * goes to the audit log; an approved edition is then issued to the outbox, email and webhook.
 */
export async function editionApprovalWorkflow(input: ApprovalInput): Promise<ApprovalState> {
  const { workflowId, runId } = workflowInfo();
  const requestedAt = Date.now();
  const state: ApprovalState = {
    status: 'awaiting',
    reportEditionId: input.report.reportEditionId,
    reportId: input.report.reportId,
    pdf: input.report.pdf,
    pdfSha256: input.report.pdfSha256,
    requestedAt: new Date(requestedAt).toISOString(),
    remindedAt: undefined,
    expiresAt: new Date(requestedAt + input.expireAfterMs).toISOString(),
    decision: undefined,
    refusals: [],
    deliveries: [],
  };

  let sequence = 0;
  const audit = (
    entry: Pick<AuditEntry, 'action' | 'by' | 'comment' | 'reason'> & { at?: string },
  ) => {
    sequence += 1;
    return appendAuditEntry({
      at: new Date().toISOString(),
      ...entry,
      // Deterministic, so a retried append is recognised instead of written twice.
      entryId: `${workflowId}#${runId}#${sequence}`,
      reportEditionId: input.report.reportEditionId,
      reportId: input.report.reportId,
      inventoryEditionId: input.inventoryEditionId,
      reportingYear: input.reportingYear,
      pdf: input.report.pdf,
      pdfSha256: input.report.pdfSha256,
      workflowId,
      runId,
    });
  };

  let deciding = false;
  setHandler(approvalStateQuery, () => state);
  setHandler(activityAttemptSignal, () => undefined);
  setHandler(
    decideUpdate,
    async (decision) => {
      deciding = true;
      try {
        const refusal =
          mismatch(decision, input) ?? (await verifyEditionFiles(input.report)).problem;
        if (refusal !== undefined) {
          state.refusals.push({ at: new Date().toISOString(), by: decision.by, reason: refusal });
          await audit({
            action: 'refused',
            by: decision.by,
            comment: decision.comment,
            reason: refusal,
          });
          throw ApplicationFailure.nonRetryable(refusal, 'ApprovalRefused');
        }
        const action = decision.decision === 'approve' ? 'approved' : 'rejected';
        // One time for the log and the state, so that both tell the same decision.
        const at = new Date().toISOString();
        await audit({ action, by: decision.by, comment: decision.comment, reason: undefined, at });
        state.decision = { ...decision, at };
        state.status = action;
        return state;
      } finally {
        deciding = false;
      }
    },
    {
      validator: (decision) => {
        if (state.status !== 'awaiting' || deciding) {
          throw new Error(`edition ${state.reportEditionId} is ${state.status}; nothing to decide`);
        }
        if (!decision.by?.trim()) throw new Error('a decision names who takes it (--by)');
        if (!decision.comment?.trim()) throw new Error('a decision carries a comment (--comment)');
      },
    },
  );

  await audit({ action: 'requested', by: 'terreze', comment: '', reason: undefined });
  const decided = () => state.status !== 'awaiting' && !deciding;
  if (!(await condition(decided, input.remindAfterMs))) {
    state.remindedAt = new Date().toISOString();
    await audit({ action: 'reminded', by: 'terreze', comment: '', reason: undefined });
    await notifyApproval({ kind: 'reminder', state, workflowId });
    const left = requestedAt + input.expireAfterMs - Date.now();
    if (!(await condition(decided, Math.max(left, 1)))) {
      await condition(() => !deciding);
      if (state.status === 'awaiting') {
        state.status = 'expired';
        await audit({
          action: 'expired',
          by: 'terreze',
          comment: '',
          reason: 'no decision in time',
        });
        await notifyApproval({ kind: 'expired', state, workflowId });
      }
    }
  }

  if (state.status === 'approved' && state.decision) {
    const approvedEdition = { ...input, decision: state.decision };
    state.deliveries.push(await issueEdition(approvedEdition));
    // A channel that stays down after its retries is recorded; the edition is issued anyway.
    for (const [channel, send] of [
      ['email', emailEdition],
      ['webhook', postEditionWebhook],
    ] as const) {
      try {
        state.deliveries.push(await send(approvedEdition));
      } catch (error) {
        const detail = error instanceof Error ? (error.cause ?? error).toString() : String(error);
        state.deliveries.push({ channel, state: 'failed', detail });
      }
    }
    state.status = 'issued';
    await audit({
      action: 'issued',
      by: state.decision.by,
      comment: state.deliveries
        .map((delivery) => `${delivery.channel}: ${delivery.state}`)
        .join(', '),
      reason: undefined,
    });
  }

  await condition(allHandlersFinished);
  return state;
}
