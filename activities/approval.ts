import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { sha256OfFile } from '../lake/store.js';
import type { ApprovalState, AuditEntry, EditionRejection } from '../workflows/operations-types.js';
import type { RenderedReport } from '../workflows/types.js';
import { type ActivityDependencies, projectPaths } from './dependencies.js';
import { withFailureDecision } from './failures.js';
import { listIssuedEditions } from './issued.js';

/** Where the operations of a project keep their audit log and their outbox. */
export function operationsPaths(dependencies: ActivityDependencies) {
  const paths = projectPaths(dependencies);
  const configured = dependencies.loaded.project.operations.distribution.outbox;
  return {
    ...paths,
    auditLog: join(paths.root, 'audit', 'approvals.jsonl'),
    outbox: isAbsolute(configured) ? configured : join(paths.root, configured),
  };
}

/** The audit log's entries, oldest first; an absent log has none. */
export async function readAuditLog(file: string): Promise<AuditEntry[]> {
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
}

/**
 * The editions among `reportEditionIds` whose last decision in the audit log is a rejection.
 * The same inputs give the same edition id, so a rejection binds every later render of them.
 */
export function rejectionsIn(
  entries: AuditEntry[],
  reportEditionIds?: string[],
): EditionRejection[] {
  const lastDecision = new Map<string, AuditEntry>();
  for (const entry of entries) {
    if (entry.action === 'approved' || entry.action === 'rejected') {
      lastDecision.set(entry.reportEditionId, entry);
    }
  }
  const wanted = reportEditionIds ?? [...lastDecision.keys()];
  return wanted.flatMap((id) => {
    const decision = lastDecision.get(id);
    if (decision?.action !== 'rejected') return [];
    return [{ reportEditionId: id, by: decision.by, at: decision.at, comment: decision.comment }];
  });
}

/** Activities of an edition's approval: the audit log, the files' checksums, notifications. */
export function createApprovalActivities(dependencies: ActivityDependencies) {
  const { logger } = dependencies;
  const paths = operationsPaths(dependencies);

  /** Appends one entry to the append-only audit log, once: a retry finds it already there. */
  async function appendAuditEntry(entry: AuditEntry): Promise<void> {
    const existing = await readAuditLog(paths.auditLog);
    if (existing.some((line) => line.entryId === entry.entryId)) return;
    await mkdir(dirname(paths.auditLog), { recursive: true });
    await appendFile(paths.auditLog, `${JSON.stringify(entry)}\n`);
    logger.info('approval audited', {
      action: entry.action,
      by: entry.by,
      reportEditionId: entry.reportEditionId,
      reason: entry.reason,
    });
  }

  /** Whether the edition's files still have the checksums they were rendered with. */
  async function verifyEditionFiles(report: RenderedReport): Promise<{ problem?: string }> {
    const files = [
      { format: 'PDF', path: report.pdf, sha256: report.pdfSha256 },
      { format: 'HTML', path: report.html, sha256: report.htmlSha256 },
    ];
    for (const file of files) {
      if (file.path === undefined || file.sha256 === undefined) continue;
      if (!existsSync(file.path)) {
        return {
          problem: `the ${file.format} ${file.path} of edition ${report.reportEditionId} is gone`,
        };
      }
      const actual = await sha256OfFile(file.path);
      if (actual !== file.sha256) {
        return {
          problem:
            `the ${file.format} ${file.path} changed since edition ${report.reportEditionId} was ` +
            `rendered (sha256 ${actual}, bound to ${file.sha256}): render the edition again and review it`,
        };
      }
    }
    return {};
  }

  /** Editions among these that the register of issued editions already holds. */
  async function issuedReportEditions(reportEditionIds: string[]): Promise<string[]> {
    const issued = await listIssuedEditions(paths.editions);
    return reportEditionIds.filter((id) => issued.some((entry) => entry.reportEditionId === id));
  }

  /** Editions among these that a decision rejected: a cycle does not ask for them again. */
  async function rejectedReportEditions(reportEditionIds: string[]): Promise<EditionRejection[]> {
    return rejectionsIn(await readAuditLog(paths.auditLog), reportEditionIds);
  }

  /** A reminder or an expiry: a warning in the log and a notification file in the outbox. */
  async function notifyApproval(notice: {
    kind: 'reminder' | 'expired';
    state: ApprovalState;
    workflowId: string;
  }): Promise<string> {
    const { state } = notice;
    const file = join(
      paths.outbox,
      'notifications',
      `${notice.kind}-${state.reportEditionId}.json`,
    );
    const message =
      notice.kind === 'reminder'
        ? `report edition ${state.reportEditionId} still awaits approval (expires ${state.expiresAt})`
        : `report edition ${state.reportEditionId} expired without a decision`;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(
      file,
      `${JSON.stringify({ kind: notice.kind, message, workflowId: notice.workflowId, ...state }, null, 2)}\n`,
    );
    logger.warn(message, {
      reportEditionId: state.reportEditionId,
      action:
        notice.kind === 'reminder'
          ? `terreze approve ${state.reportEditionId} --by <name> --comment <text>`
          : 'run the cycle again to ask for a new approval',
      notification: file,
    });
    return file;
  }

  return {
    appendAuditEntry: withFailureDecision(appendAuditEntry),
    verifyEditionFiles: withFailureDecision(verifyEditionFiles),
    issuedReportEditions: withFailureDecision(issuedReportEditions),
    rejectedReportEditions: withFailureDecision(rejectedReportEditions),
    notifyApproval: withFailureDecision(notifyApproval),
  };
}

export type ApprovalActivities = ReturnType<typeof createApprovalActivities>;
