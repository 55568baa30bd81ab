import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { listSchedules } from '../../temporal/schedule-status.js';
import type { CycleProgress, CycleResult } from '../../workflows/types.js';
import { loadCommandContext } from '../context.js';
import { cycleProgressLines } from '../progress.js';
import { connectClient, queuesWithoutWorkers } from '../temporal-client.js';
import { print } from './operations.js';

async function listed(client: Client, query: string, limit: number) {
  const found = [];
  for await (const execution of client.workflow.list({ query })) {
    found.push(execution);
    if (found.length >= limit) break;
  }
  return found;
}

async function cycleOverview(client: Client, prefix: string) {
  const cycles = `WorkflowType = 'territorialCycleWorkflow' AND WorkflowId STARTS_WITH '${prefix}'`;
  const running = [];
  for (const execution of await listed(client, `${cycles} AND ExecutionStatus = 'Running'`, 10)) {
    const progress = await client.workflow
      .getHandle(execution.workflowId, execution.runId)
      .query<CycleProgress>('progress')
      .catch(() => undefined);
    running.push({ workflowId: execution.workflowId, startedAt: execution.startTime, progress });
  }

  const last = [];
  const failingSources = new Map<string, string>();
  for (const execution of await listed(client, `${cycles} AND ExecutionStatus != 'Running'`, 5)) {
    let detail = execution.status.name.toLowerCase();
    if (execution.status.name === 'COMPLETED') {
      const result = (await client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .result()) as CycleResult;
      detail = `edition ${result.inventory.editionId}`;
      for (const source of result.sources) {
        if (source.state === 'failed' && !failingSources.has(source.sourceId)) {
          failingSources.set(source.sourceId, `${execution.workflowId}: ${source.message}`);
        }
      }
    }
    last.push({ workflowId: execution.workflowId, closedAt: execution.closeTime, detail });
  }
  return { running, last, failingSources };
}

/** `terreze status`: schedules, running cycles, last results, failing sources, workers. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('schedules, running cycles, last results, failing sources, approvals and workers')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { project } = context.loaded;
      const { client, close } = await connectClient(context.settings);
      try {
        const schedules = await listSchedules(client, project);
        const cycles = await cycleOverview(client, `${project.project}/`);
        const failedCollections = await listed(
          client,
          `WorkflowType = 'collectSourceWorkflow' AND WorkflowId STARTS_WITH '${project.project}' AND ExecutionStatus = 'Failed'`,
          10,
        );
        const approvals = await listed(
          client,
          `WorkflowType = 'editionApprovalWorkflow' AND WorkflowId STARTS_WITH '${project.project}/approval/' AND ExecutionStatus = 'Running'`,
          100,
        );
        const queues = [
          context.settings.taskQueue,
          ...Object.values(project.operations.taskQueues.sources),
          ...Object.values(project.operations.taskQueues.domains),
        ];
        const idle = await queuesWithoutWorkers(client, queues);
        const status = {
          schedules,
          runningCycles: cycles.running,
          lastCycles: cycles.last,
          failingSources: Object.fromEntries(cycles.failingSources),
          failedCollections: failedCollections.map((execution) => ({
            workflowId: execution.workflowId,
            closedAt: execution.closeTime,
          })),
          approvalsAwaiting: approvals.map((execution) => execution.workflowId),
          taskQueues: [...new Set(queues)].map((name) => ({ name, workers: !idle.includes(name) })),
        };
        print(status, options.json ?? false, () => [
          'schedules:',
          ...(schedules.length === 0 ? ['  none (run `terreze schedules sync`)'] : []),
          ...schedules.map(
            (entry) =>
              `  ${entry.scheduleId.padEnd(48)} ${entry.paused ? 'paused' : 'active'}  next ${entry.nextRun ?? '-'}`,
          ),
          `running cycles: ${cycles.running.length === 0 ? 'none' : ''}`,
          ...cycles.running.flatMap((cycle) =>
            cycle.progress
              ? cycleProgressLines(cycle.progress).map((line) => `  ${line}`)
              : [`  ${cycle.workflowId}`],
          ),
          'last cycles:',
          ...cycles.last.map((cycle) => `  ${cycle.workflowId}  ${cycle.detail}`),
          `failing sources: ${cycles.failingSources.size === 0 && failedCollections.length === 0 ? 'none' : ''}`,
          ...[...cycles.failingSources].map(([source, why]) => `  ${source}  ${why}`),
          ...failedCollections.map((execution) => `  ${execution.workflowId} failed`),
          `approvals awaiting a decision: ${approvals.length}`,
          ...status.taskQueues.map(
            (queue) =>
              `task queue ${queue.name}: ${queue.workers ? 'workers polling' : `no worker (start one with \`terreze worker --task-queue ${queue.name}\`)`}`,
          ),
        ]);
      } finally {
        await close();
      }
    });
}
