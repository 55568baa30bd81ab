import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../activities/approval.js';
import type { EmbeddedStack } from '../../cli/embedded-stack.js';
import { cycleResultLines } from '../../cli/format.js';
import { rejectedNextStep } from '../../workflows/approval-requests.js';
import { territorialCycleWorkflow } from '../../workflows/index.js';
import type { ApprovalState, EditionRejection } from '../../workflows/operations-types.js';
import { decideUpdate } from '../../workflows/signals.js';
import type { CycleResult } from '../../workflows/types.js';
import { terreze } from '../cli/run-terreze.js';
import { startTestStack } from '../support/stack.js';
import { writeProjectVariant } from './project-variant.js';

/**
 * A rejected report edition stays rejected: the same inputs give the same edition id, and a
 * later cycle must not ask for it again, or the PDF the committee turned down could be approved.
 */
describe('a rejected report edition', () => {
  let stack: EmbeddedStack;
  let homeDir: string;
  let projectFile: string;
  let taskQueue: string;
  let first: CycleResult;
  let second: CycleResult;
  let rejection: EditionRejection;
  let firstApprovalRunId: string;
  const comment = 'Les chiffres du chauffage urbain sont à revoir';

  beforeAll(async () => {
    // One HTML report keeps the cycles short; its editions need an approval.
    projectFile = writeProjectVariant({
      reports: [
        {
          id: 'public-summary',
          template: 'builtin:public-summary',
          title: 'Public summary',
          audiences: ['public'],
          formats: ['html'],
        },
      ],
      'operations.approval': {
        reports: ['public-summary'],
        remindAfter: '1 hour',
        expireAfter: '2 hours',
      },
    });
    const started = await startTestStack({ projectFile });
    stack = started.stack;
    homeDir = started.homeDir;
    taskQueue = started.settings.taskQueue;
    const runCycle = (name: string) =>
      stack.client.workflow.execute(territorialCycleWorkflow, {
        workflowId: `rejection-test-${name}-${Date.now()}`,
        taskQueue,
        args: [{ reportingYear: 2023 }],
      });

    first = await runCycle('first');
    const approval = stack.client.workflow.getHandle(first.approvals![0]!.workflowId);
    firstApprovalRunId = (await approval.describe()).runId;
    await approval.executeUpdate(decideUpdate, {
      args: [
        {
          decision: 'reject',
          reportEditionId: first.approvals![0]!.reportEditionId,
          by: 'Marie Dupont',
          comment,
        },
      ],
    });
    expect(((await approval.result()) as ApprovalState).status).toBe('rejected');
    const audit = await readAuditLog(join(homeDir, 'la-rochelle', 'audit', 'approvals.jsonl'));
    const decided = audit.find((entry) => entry.action === 'rejected')!;
    rejection = {
      reportEditionId: decided.reportEditionId,
      by: 'Marie Dupont',
      at: decided.at,
      comment,
    };

    second = await runCycle('second');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const commandEnvironment = () => ({
    TEMPORAL_ADDRESS: stack.address,
    TERREZE_HOME: homeDir,
    TERREZE_SIMULATOR_URL: stack.simulatorUrl,
    TERREZE_TASK_QUEUE: taskQueue,
  });

  it('is reported rejected by the next cycle of the same inputs, with who, when, why and what to do', () => {
    const editionId = first.approvals![0]!.reportEditionId;
    expect(second.reports.map((report) => report.reportEditionId)).toEqual([editionId]);
    expect(second.approvals).toEqual([
      {
        reportEditionId: editionId,
        reportId: 'public-summary',
        workflowId: `la-rochelle/approval/${editionId}`,
        state: 'rejected',
        rejection,
        nextStep: rejectedNextStep,
      },
    ]);
    expect(cycleResultLines(second).at(-1)).toBe(
      `edition ${editionId} rejected by Marie Dupont at ${rejection.at}: "${comment}"; not ` +
        'asked for again: change the inputs or the report so that a new edition is produced',
    );
  });

  it('is not asked for again: its approval stays the ended one, and the audit log has one request', async () => {
    const editionId = first.approvals![0]!.reportEditionId;
    const description = await stack.client.workflow
      .getHandle(`la-rochelle/approval/${editionId}`)
      .describe();
    expect([description.runId, description.status.name]).toEqual([firstApprovalRunId, 'COMPLETED']);
    const audit = await readAuditLog(join(homeDir, 'la-rochelle', 'audit', 'approvals.jsonl'));
    expect(audit.map((entry) => [entry.action, entry.by, entry.reportEditionId])).toEqual([
      ['requested', 'terreze', editionId],
      ['rejected', 'Marie Dupont', editionId],
    ]);
  });

  it('is listed by `approvals list` with the decision, and `approve` refuses it (exit 1)', async () => {
    const editionId = first.approvals![0]!.reportEditionId;
    const environment = commandEnvironment();
    const [listed, approved] = await Promise.all([
      terreze(['--project', projectFile, 'approvals', 'list', '--json'], { environment }),
      terreze(
        ['--project', projectFile, 'approve', editionId, '--by', 'Paul Martin', '--comment', 'Vu'],
        { environment },
      ),
    ]);
    const outcome = `rejected by Marie Dupont at ${rejection.at}: "${comment}"; ${rejectedNextStep}`;

    expect(listed.code).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { reportEditionId: string; outcome: string }[]).map((entry) => [
        entry.reportEditionId,
        entry.outcome,
      ]),
    ).toEqual([[editionId, outcome]]);
    expect(approved.code).toBe(1);
    expect(approved.stderr).toBe(
      `terreze: edition ${editionId} was rejected by Marie Dupont at ${rejection.at}: ` +
        `"${comment}", and is not asked for again: ${rejectedNextStep}\n`,
    );
  });
});
