import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, patched, proxyActivities, startChild } from '@temporalio/workflow';
import type { ApprovalActivities } from '../activities/approval.js';
import { editionApprovalWorkflow } from './edition-approval.js';
import { nonRetryableErrorTypes } from './errors.js';
import type { ApprovalRequest } from './operations-types.js';
import type { CyclePlan, InventorySummary, RenderedReport } from './types.js';

const { issuedReportEditions, rejectedReportEditions } = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes },
});

/** The workflow id of the approval of a report edition: one approval per edition at a time. */
export function approvalWorkflowId(project: string, reportEditionId: string): string {
  return `${project}/approval/${reportEditionId}`;
}

/** What to do about a rejected edition: only a new edition can be asked for again. */
export const rejectedNextStep = 'change the inputs or the report so that a new edition is produced';

/**
 * Starts, for each rendered edition that needs one, its approval as a workflow of its own that
 * outlives the cycle (ParentClosePolicy.ABANDON): the cycle never waits for a person. An edition
 * already issued is not asked again, nor one rejected (its approval ended, so a new one could
 * start under the same id, and the same PDF be approved after all); one already awaiting keeps
 * its running approval.
 */
export async function requestApprovals(
  plan: CyclePlan,
  inventory: InventorySummary,
  reports: RenderedReport[],
): Promise<ApprovalRequest[]> {
  const policy = plan.approval;
  if (policy === undefined || plan.project === undefined) return [];
  const project = plan.project;
  const pending = reports.filter((report) => policy.reportIds.includes(report.reportId));
  if (pending.length === 0) return [];

  const editionIds = pending.map((report) => report.reportEditionId);
  const issued = new Set(await issuedReportEditions(editionIds));
  // Cycles started before rejections were looked up replay without the lookup.
  const rejections = patched('rejected-editions-stay-rejected')
    ? await rejectedReportEditions(editionIds)
    : [];
  const requests: ApprovalRequest[] = [];
  for (const report of pending) {
    const workflowId = approvalWorkflowId(project, report.reportEditionId);
    const request: ApprovalRequest = {
      reportEditionId: report.reportEditionId,
      reportId: report.reportId,
      workflowId,
      state: 'awaiting',
      approveCommand: `terreze approve ${report.reportEditionId} --by "<name>" --comment "<comment>"`,
    };
    if (issued.has(report.reportEditionId)) {
      requests.push({ ...request, state: 'issued', approveCommand: undefined });
      continue;
    }
    const rejection = rejections.find((item) => item.reportEditionId === report.reportEditionId);
    if (rejection !== undefined) {
      const state = 'rejected';
      requests.push({
        ...request,
        state,
        approveCommand: undefined,
        rejection,
        nextStep: rejectedNextStep,
      });
      continue;
    }
    try {
      await startChild(editionApprovalWorkflow, {
        workflowId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        memo: {
          reportEditionId: report.reportEditionId,
          reportId: report.reportId,
          audience: report.audience,
          reportingYear: inventory.reportingYear,
          inventoryEditionId: inventory.editionId,
          pdf: report.pdf ?? null,
          pdfSha256: report.pdfSha256 ?? null,
        },
        args: [
          {
            project,
            reportingYear: inventory.reportingYear,
            inventoryEditionId: inventory.editionId,
            report,
            remindAfterMs: policy.remindAfterMs,
            expireAfterMs: policy.expireAfterMs,
          },
        ],
      });
    } catch (error) {
      // A rerun of the same edition: its approval is already waiting for a decision.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    requests.push(request);
  }
  return requests;
}
