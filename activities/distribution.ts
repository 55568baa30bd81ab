import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import ky from 'ky';
import nodemailer from 'nodemailer';
import type {
  ApprovalDecision,
  ApprovalInput,
  DeliveryResult,
} from '../workflows/operations-types.js';
import { operationsPaths } from './approval.js';
import type { ActivityDependencies } from './dependencies.js';
import { withFailureDecision } from './failures.js';
import { listIssuedEditions, recordIssuedEdition } from './issued.js';

/**
 * Hands an approved report edition to its audience: the register of issued editions, the
 * outbox folder, and, when the project file configures them, an email and a webhook. Addresses
 * come from the project file (secrets from the environment), never from the workflow's payload.
 */

export interface IssueInput extends ApprovalInput {
  decision: ApprovalDecision & { at: string };
}

function editionFiles(input: IssueInput) {
  const { report } = input;
  return [
    { path: report.pdf, sha256: report.pdfSha256 },
    { path: report.html, sha256: report.htmlSha256 },
  ].filter(
    (file): file is { path: string; sha256: string } =>
      file.path !== undefined && file.sha256 !== undefined,
  );
}

function announcement(input: IssueInput) {
  return {
    event: 'report-edition.issued',
    project: input.project,
    reportEditionId: input.report.reportEditionId,
    reportId: input.report.reportId,
    audience: input.report.audience,
    reportingYear: input.reportingYear,
    inventoryEditionId: input.inventoryEditionId,
    approvedBy: input.decision.by,
    comment: input.decision.comment,
    approvedAt: input.decision.at,
    files: editionFiles(input).map((file) => ({ name: basename(file.path), sha256: file.sha256 })),
  };
}

export function createDistributionActivities(dependencies: ActivityDependencies) {
  const { logger, loaded } = dependencies;
  const { distribution } = loaded.project.operations;
  const paths = operationsPaths(dependencies);

  /** Records the edition as issued (once) and copies its files into the outbox. */
  async function issueEdition(input: IssueInput): Promise<DeliveryResult> {
    const { report } = input;
    const issued = await listIssuedEditions(paths.editions);
    if (!issued.some((entry) => entry.reportEditionId === report.reportEditionId)) {
      await recordIssuedEdition(paths.editions, {
        reportEditionId: report.reportEditionId,
        inventoryEditionId: input.inventoryEditionId,
        reportId: report.reportId,
        audience: report.audience,
        reportingYear: input.reportingYear,
        issuedAt: new Date().toISOString(),
        approvedBy: input.decision.by,
        comment: input.decision.comment,
        files: editionFiles(input),
      });
    }

    const folder = join(paths.outbox, report.reportEditionId);
    await mkdir(folder, { recursive: true });
    for (const file of editionFiles(input))
      await copyFile(file.path, join(folder, basename(file.path)));
    await writeFile(
      join(folder, 'issued.json'),
      `${JSON.stringify(announcement(input), null, 2)}\n`,
    );
    logger.info('report edition issued', {
      reportEditionId: report.reportEditionId,
      outbox: folder,
    });
    return { channel: 'outbox', state: 'done', detail: folder };
  }

  /** Sends the edition by email, with its PDF attached, when `distribution.email` is set. */
  async function emailEdition(input: IssueInput): Promise<DeliveryResult> {
    if (distribution.email === undefined) {
      return {
        channel: 'email',
        state: 'not-configured',
        detail: 'no operations.distribution.email',
      };
    }
    const { report } = input;
    // TODO(operations): delivery is at least once: a connection lost after the server accepted
    // the message makes the retry send it again (same Message-ID, so readers can spot it).
    const transport = nodemailer.createTransport(distribution.email.smtpUrl);
    try {
      const sent = await transport.sendMail({
        from: distribution.email.from,
        to: distribution.email.to,
        // The same id on every attempt lets a mail server or a reader spot a resent message.
        messageId: `<${report.reportEditionId}@terreze>`,
        subject: `${loaded.project.territory.name} — ${report.reportId} ${input.reportingYear} (${report.reportEditionId})`,
        text:
          `Report edition ${report.reportEditionId} was approved by ${input.decision.by} on ` +
          `${input.decision.at}: ${input.decision.comment}\n\n` +
          editionFiles(input)
            .map((file) => `${basename(file.path)} sha256 ${file.sha256}`)
            .join('\n'),
        attachments: report.pdf ? [{ filename: basename(report.pdf), path: report.pdf }] : [],
      });
      logger.info('report edition emailed', {
        reportEditionId: report.reportEditionId,
        recipients: distribution.email.to.length,
        messageId: sent.messageId,
      });
      return { channel: 'email', state: 'done', detail: `${distribution.email.to.join(', ')}` };
    } finally {
      transport.close();
    }
  }

  /** Posts the edition's announcement as JSON when `distribution.webhook` is set. */
  async function postEditionWebhook(input: IssueInput): Promise<DeliveryResult> {
    if (distribution.webhook === undefined) {
      return {
        channel: 'webhook',
        state: 'not-configured',
        detail: 'no operations.distribution.webhook',
      };
    }
    const response = await ky.post(distribution.webhook.url, {
      json: announcement(input),
      retry: 0,
      timeout: 30_000,
    });
    logger.info('report edition announced', {
      reportEditionId: input.report.reportEditionId,
      status: response.status,
    });
    return { channel: 'webhook', state: 'done', detail: `HTTP ${response.status}` };
  }

  return {
    issueEdition: withFailureDecision(issueEdition),
    emailEdition: withFailureDecision(emailEdition),
    postEditionWebhook: withFailureDecision(postEditionWebhook),
  };
}

export type DistributionActivities = ReturnType<typeof createDistributionActivities>;
