import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../activities/approval.js';
import { listIssuedEditions } from '../../activities/issued.js';
import type { EmbeddedStack } from '../../cli/embedded-stack.js';
import { editionApprovalWorkflow, territorialCycleWorkflow } from '../../workflows/index.js';
import type { ApprovalDecision, ApprovalState } from '../../workflows/operations-types.js';
import { approvalStateQuery, decideUpdate } from '../../workflows/signals.js';
import type { CycleResult } from '../../workflows/types.js';
import { startTestStack } from '../support/stack.js';
import { sourceIndex, writeProjectVariant } from './project-variant.js';

/** An SMTP server of a few lines on 127.0.0.1 that keeps the messages it is given. */
function startSmtpSink(): Promise<{ port: number; messages: string[]; close(): void }> {
  const messages: string[] = [];
  const server = createTcpServer((socket) => {
    let buffer = '';
    let data: string[] | undefined;
    socket.write('220 sink ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== undefined) {
          if (line === '.') {
            messages.push(data.join('\r\n'));
            data = undefined;
            socket.write('250 queued\r\n');
          } else data.push(line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          data = [];
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ port, messages, close: () => server.close() });
    });
  });
}

/** An HTTP server on 127.0.0.1 that keeps the JSON bodies posted to it. */
function startWebhookSink(): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/editions`, bodies, server });
    });
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('failure policy and the approval of a report edition', () => {
  let stack: EmbeddedStack;
  let homeDir: string;
  let taskQueue: string;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let webhook: Awaited<ReturnType<typeof startWebhookSink>>;
  let cycle: CycleResult;
  const committeeReport = () => cycle.reports.find((report) => report.reportId === 'committee')!;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    webhook = await startWebhookSink();
    const sinoe = sourceIndex('sinoe-recycling-centres');
    const projectFile = writeProjectVariant({
      // A path the simulator does not serve: the collection fails with a 404, never retried.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the project file's own ${NAME} syntax
      [`sources.${sinoe}.params.url`]: '${TERREZE_SIMULATOR_URL}/ademe/sinoe/withdrawn.csv',
      'cycle.onSourceFailure': 'continue',
      operations: {
        collection: { retry: { initialInterval: '1 second', maximumAttempts: 2 } },
        approval: { reports: ['committee'], remindAfter: '2 seconds', expireAfter: '2 minutes' },
        distribution: {
          email: {
            smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
            from: 'terreze@la-rochelle.invalid',
            to: ['comite@la-rochelle.invalid'],
          },
          webhook: { url: webhook.url },
        },
      },
    });
    const started = await startTestStack({ projectFile });
    stack = started.stack;
    homeDir = started.homeDir;
    taskQueue = started.settings.taskQueue;
    cycle = await stack.client.workflow.execute(territorialCycleWorkflow, {
      workflowId: `approval-test-cycle-${Date.now()}`,
      taskQueue,
      args: [{ reportingYear: 2023 }],
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    smtp?.close();
    webhook?.server.close();
  });

  it('marks the failed source, leaves its sector not estimated and prints the failure in the PDF', () => {
    const sinoe = cycle.sources.find((source) => source.sourceId === 'sinoe-recycling-centres');
    expect(sinoe?.state).toBe('failed');
    expect(sinoe?.message).toContain('404');
    const waste = cycle.inventory.sectors.find((sector) => sector.sector === 'III');
    expect(waste?.tco2e).toBeNull();
    expect(waste?.complete).toBe(false);
    expect(waste?.missingSources).toBe('sinoe-recycling-centres');

    const edition = JSON.parse(
      readFileSync(join(cycle.inventory.editionDir, 'edition.json'), 'utf8'),
    );
    expect(edition.failedSources.map((failed: { sourceId: string }) => failed.sourceId)).toEqual([
      'sinoe-recycling-centres',
    ]);
    const text = execFileSync('pdftotext', ['-layout', committeeReport().pdf!, '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Source en échec');
    expect(text).toContain('sinoe-recycling-centres');
    // Never landed, the source feeds every sub-sector of its domain's sector: the eight of III.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Inventaire incomplet. La source Tonnages des déchèteries par type de déchet et traitement (département) (sinoe-recycling-centres) est en échec (',
    );
    expect(flat).toContain(
      'elle alimente 8 sous-secteurs : III.1.1, III.1.2, III.2.1, III.2.2, III.3.1, III.3.2, III.4.1, III.4.2. Le secteur III est partiel, et le total avec',
    );
    expect(text).toMatch(/Déchets\s+III\s+NE\s+incomplet : manque sinoe-recycling-centres/);
    // The notice leaves the cover whole: the edition facts still end its page.
    const cover = execFileSync('pdftotext', ['-f', '1', '-l', '1', committeeReport().pdf!, '-'], {
      encoding: 'utf8',
    });
    expect(cover).toContain('Inventaire incomplet.');
    expect(cover).toContain('Données arrêtées au');
  });

  it('blocks the cycle before any report is rendered when the policy says block', async () => {
    const workflowId = `approval-test-blocked-${Date.now()}`;
    const error = await stack.client.workflow
      .execute(territorialCycleWorkflow, {
        workflowId,
        taskQueue,
        args: [{ reportingYear: 2023, onSourceFailure: 'block' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(String((error as WorkflowFailedError).cause?.message)).toMatch(
      /^cycle 2023 blocked: 1 source\(s\) failed — sinoe-recycling-centres: /,
    );
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const activities = (history.events ?? [])
      .map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(activities).toEqual(['planCycle']);
  });

  it('returns without waiting for a person, naming the edition that awaits approval', () => {
    const report = committeeReport();
    expect(cycle.approvals).toEqual([
      {
        reportEditionId: report.reportEditionId,
        reportId: 'committee',
        workflowId: `la-rochelle/approval/${report.reportEditionId}`,
        state: 'awaiting',
        approveCommand: `terreze approve ${report.reportEditionId} --by "<name>" --comment "<comment>"`,
      },
    ]);
  });

  it('reminds, refuses another edition or a changed PDF, then issues the approved one', async () => {
    const report = committeeReport();
    const handle = stack.client.workflow.getHandle(cycle.approvals![0]!.workflowId);
    // The state says reminded before the reminder's activity has written it: wait for the file.
    const outbox = join(homeDir, 'la-rochelle', 'outbox');
    const reminder = join(outbox, 'notifications', `reminder-${report.reportEditionId}.json`);
    let state = await handle.query(approvalStateQuery);
    for (let waited = 0; !existsSync(reminder) && waited < 120; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = await handle.query(approvalStateQuery);
    }
    expect(state.status).toBe('awaiting');
    expect(state.remindedAt).toBeDefined();
    expect(existsSync(reminder)).toBe(true);

    const decide = (overrides: Partial<ApprovalDecision>) =>
      handle.executeUpdate(decideUpdate, {
        args: [
          {
            decision: 'approve' as const,
            reportEditionId: report.reportEditionId,
            by: 'Marie Dupont',
            comment: 'Relu en comité du 12 mars',
            ...overrides,
          },
        ],
      });

    const otherEdition = await decide({
      reportEditionId: 'committee-committee-000000000000',
    }).catch((caught: unknown) => caught);
    expect(otherEdition).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((otherEdition as WorkflowUpdateFailedError).cause?.message).toBe(
      `this approval is for edition ${report.reportEditionId}; the decision names committee-committee-000000000000`,
    );

    const pdfBytes = readFileSync(report.pdf!);
    writeFileSync(report.pdf!, Buffer.concat([pdfBytes, Buffer.from('\n')]));
    const changed = await decide({}).catch((caught: unknown) => caught);
    writeFileSync(report.pdf!, pdfBytes);
    expect((changed as WorkflowUpdateFailedError).cause?.message).toContain(
      `changed since edition ${report.reportEditionId} was rendered`,
    );

    const approved = await decide({ pdfSha256: report.pdfSha256 });
    expect(approved.status).toBe('approved');
    const final = (await handle.result()) as ApprovalState;
    expect(final.status).toBe('issued');
    expect(final.deliveries.map((delivery) => [delivery.channel, delivery.state])).toEqual([
      ['outbox', 'done'],
      ['email', 'done'],
      ['webhook', 'done'],
    ]);

    expect(sha256(join(outbox, report.reportEditionId, 'committee.pdf'))).toBe(report.pdfSha256);
    const issued = await listIssuedEditions(join(homeDir, 'la-rochelle', 'editions'));
    expect(issued.map((entry) => [entry.reportEditionId, entry.approvedBy])).toEqual([
      [report.reportEditionId, 'Marie Dupont'],
    ]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]).toContain(`Message-ID: <${report.reportEditionId}@terreze>`);
    expect(smtp.messages[0]).toContain('filename=committee.pdf');
    expect(webhook.bodies).toEqual([
      expect.objectContaining({
        event: 'report-edition.issued',
        reportEditionId: report.reportEditionId,
        approvedBy: 'Marie Dupont',
        files: [
          { name: 'committee.pdf', sha256: report.pdfSha256 },
          { name: 'committee.html', sha256: report.htmlSha256 },
        ],
      }),
    ]);

    const audit = await readAuditLog(join(homeDir, 'la-rochelle', 'audit', 'approvals.jsonl'));
    expect(audit.map((entry) => [entry.action, entry.by])).toEqual([
      ['requested', 'terreze'],
      ['reminded', 'terreze'],
      ['refused', 'Marie Dupont'],
      ['refused', 'Marie Dupont'],
      ['approved', 'Marie Dupont'],
      ['issued', 'Marie Dupont'],
    ]);
    for (const entry of audit) {
      expect(entry.reportEditionId).toBe(report.reportEditionId);
      expect(entry.pdfSha256).toBe(report.pdfSha256);
      expect(Date.parse(entry.at)).toBeGreaterThan(0);
    }
    expect(audit[4]?.comment).toBe('Relu en comité du 12 mars');
  }, 60_000);

  it('expires an approval nobody decided, on durable timers, and refuses a late decision', async () => {
    const report = { ...committeeReport(), reportEditionId: 'committee-committee-expiring' };
    const handle = await stack.client.workflow.start(editionApprovalWorkflow, {
      workflowId: `approval-test-expiry-${Date.now()}`,
      taskQueue,
      args: [
        {
          project: 'la-rochelle',
          reportingYear: 2023,
          inventoryEditionId: cycle.inventory.editionId,
          report,
          remindAfterMs: 1_000,
          expireAfterMs: 2_000,
        },
      ],
    });
    const final = await handle.result();
    expect(final.status).toBe('expired');
    expect(final.remindedAt).toBeDefined();
    const late = await handle
      .executeUpdate(decideUpdate, {
        args: [
          { decision: 'approve', reportEditionId: report.reportEditionId, by: 'A', comment: 'B' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(late).toBeInstanceOf(Error);

    const audit = await readAuditLog(join(homeDir, 'la-rochelle', 'audit', 'approvals.jsonl'));
    expect(
      audit
        .filter((entry) => entry.reportEditionId === report.reportEditionId)
        .map((entry) => entry.action),
    ).toEqual(['requested', 'reminded', 'expired']);
    const outbox = join(homeDir, 'la-rochelle', 'outbox', 'notifications');
    expect(existsSync(join(outbox, 'expired-committee-committee-expiring.json'))).toBe(true);
  }, 30_000);
});
