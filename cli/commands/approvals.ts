import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { operationsPaths, readAuditLog, rejectionsIn } from '../../activities/approval.js';
import { errorMessage } from '../../lib/errors.js';
import { ApprovalRefusedError, NotFoundError } from '../../temporal/errors.js';
import { approvalWorkflowId, rejectedNextStep } from '../../workflows/approval-requests.js';
import type {
  ApprovalDecision,
  ApprovalState,
  AuditEntry,
} from '../../workflows/operations-types.js';
import { decideUpdate } from '../../workflows/signals.js';
import { loadCommandContext } from '../context.js';
import { rejectionText } from '../format.js';
import { connectClient } from '../temporal-client.js';
import { print } from './operations.js';

interface ApprovalListEntry {
  workflowId: string;
  status: string;
  reportEditionId: string;
  reportId: string;
  reportingYear: number | undefined;
  pdf: string | undefined;
  pdfSha256: string | undefined;
  requestedAt: string;
  outcome: string | undefined;
}

function outcomeOf(state: ApprovalState): string {
  if (state.status === 'rejected' && state.decision !== undefined) {
    const rejection = { ...state.decision, reportEditionId: state.reportEditionId };
    return `${rejectionText(rejection)}; ${rejectedNextStep}`;
  }
  return `${state.status}${state.decision ? ` by ${state.decision.by}` : ''}`;
}

/**
 * The rejected editions of the audit log: their approval has ended, and a cycle does not ask
 * for them again, so they stay listed with the decision until new inputs give a new edition.
 */
function rejectedEntries(audit: AuditEntry[], project: string): ApprovalListEntry[] {
  return rejectionsIn(audit).map((rejection) => {
    const decided = audit.findLast(
      (entry) => entry.reportEditionId === rejection.reportEditionId && entry.action === 'rejected',
    );
    const requested = audit.findLast(
      (entry) =>
        entry.reportEditionId === rejection.reportEditionId && entry.action === 'requested',
    );
    return {
      workflowId: decided?.workflowId ?? approvalWorkflowId(project, rejection.reportEditionId),
      status: 'COMPLETED',
      reportEditionId: rejection.reportEditionId,
      reportId: decided?.reportId ?? '',
      reportingYear: decided?.reportingYear,
      pdf: decided?.pdf,
      pdfSha256: decided?.pdfSha256,
      requestedAt: requested?.at ?? rejection.at,
      outcome: `${rejectionText(rejection)}; ${rejectedNextStep}`,
    };
  });
}

async function listApprovals(client: Client, all: boolean): Promise<ApprovalListEntry[]> {
  const running = all ? '' : " AND ExecutionStatus = 'Running'";
  const entries: ApprovalListEntry[] = [];
  for await (const execution of client.workflow.list({
    query: `WorkflowType = 'editionApprovalWorkflow'${running}`,
  })) {
    const memo = (execution.memo ?? {}) as Record<string, unknown>;
    let outcome: string | undefined;
    if (execution.status.name === 'COMPLETED') {
      const state = (await client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .result()) as ApprovalState;
      outcome = outcomeOf(state);
    }
    entries.push({
      workflowId: execution.workflowId,
      status: execution.status.name,
      reportEditionId: String(memo.reportEditionId ?? ''),
      reportId: String(memo.reportId ?? ''),
      reportingYear: memo.reportingYear as number | undefined,
      pdf: (memo.pdf as string | null) ?? undefined,
      pdfSha256: (memo.pdfSha256 as string | null) ?? undefined,
      requestedAt: execution.startTime.toISOString(),
      outcome,
    });
  }
  return entries;
}

/** Sends an approval or a rejection to the approval workflow of an edition. */
async function decide(
  client: Client,
  project: string,
  target: string,
  decision: Omit<ApprovalDecision, 'reportEditionId'> & { reportEditionId?: string },
): Promise<ApprovalState> {
  const workflowId = target.includes('/approval/') ? target : approvalWorkflowId(project, target);
  const handle = client.workflow.getHandle(workflowId);
  let reportEditionId = decision.reportEditionId;
  try {
    const description = await handle.describe();
    reportEditionId ??= target.includes('/approval/')
      ? String((description.memo as Record<string, unknown> | undefined)?.reportEditionId)
      : target;
    const ended =
      description.status.name === 'COMPLETED'
        ? ((await handle.result()) as ApprovalState)
        : undefined;
    if (ended?.status === 'rejected' && ended.decision !== undefined) {
      const rejection = { ...ended.decision, reportEditionId: ended.reportEditionId };
      throw new ApprovalRefusedError(
        `edition ${ended.reportEditionId} was ${rejectionText(rejection)}, and is not asked for ` +
          `again: ${rejectedNextStep}`,
      );
    }
    if (description.status.name !== 'RUNNING') {
      throw new ApprovalRefusedError(
        `the approval ${workflowId} is ${description.status.name.toLowerCase()}: nothing to decide; run the cycle again to ask for a new one`,
      );
    }
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new NotFoundError(
        `no approval for "${target}": see \`terreze approvals list\` for the editions awaiting one`,
      );
    }
    throw error;
  }
  try {
    return await handle.executeUpdate(decideUpdate, { args: [{ ...decision, reportEditionId }] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ApprovalRefusedError(`refused: ${errorMessage(error.cause ?? error)}`);
    }
    throw error;
  }
}

/** `terreze approve`, `terreze reject`, `terreze approvals list`. */
export function registerApprovals(program: Command): void {
  for (const verb of ['approve', 'reject'] as const) {
    program
      .command(`${verb} <edition>`)
      .description(
        `${verb} a report edition (its id, or its approval's workflow id), with who and why`,
      )
      .requiredOption('--by <name>', 'who decides')
      .requiredOption('--comment <text>', 'why')
      .option('--sha256 <checksum>', 'the checksum of the PDF that was reviewed')
      .option('--edition <id>', 'the edition reviewed, when <edition> is a workflow id')
      .option('--json', 'print the approval state as JSON')
      .action(
        async (
          target: string,
          options: {
            by: string;
            comment: string;
            sha256?: string;
            edition?: string;
            json?: boolean;
          },
          command: Command,
        ) => {
          const context = loadCommandContext(command.optsWithGlobals().project);
          const { client, close } = await connectClient(context.settings);
          try {
            const state = await decide(client, context.loaded.project.project, target, {
              decision: verb,
              by: options.by,
              comment: options.comment,
              reportEditionId: options.edition,
              ...(options.sha256 ? { pdfSha256: options.sha256 } : {}),
            });
            print(state, options.json ?? false, () => [
              `edition ${state.reportEditionId} ${state.status} by ${state.decision?.by} (PDF sha256 ${state.pdfSha256})`,
            ]);
          } finally {
            await close();
          }
        },
      );
  }

  program
    .command('approvals')
    .description('report editions and their approvals')
    .command('list')
    .description('approvals awaiting a decision and rejected editions (all of them with --all)')
    .option('--all', 'include decided, issued and expired approvals')
    .option('--json', 'print as JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { client, close } = await connectClient(context.settings);
      try {
        const listed = await listApprovals(client, options.all ?? false);
        const audit = await readAuditLog(operationsPaths(context).auditLog);
        const rejected = rejectedEntries(audit, context.loaded.project.project).filter(
          (entry) => !listed.some((item) => item.reportEditionId === entry.reportEditionId),
        );
        const entries = [...listed, ...rejected];
        print(entries, options.json ?? false, () =>
          entries.length === 0
            ? ['no approval awaits a decision']
            : entries.map(
                (entry) =>
                  `${entry.reportEditionId.padEnd(32)} ${(entry.outcome ?? entry.status.toLowerCase()).padEnd(22)} requested ${entry.requestedAt}  ${entry.pdf ?? ''}`,
              ),
        );
      } finally {
        await close();
      }
    });
}
