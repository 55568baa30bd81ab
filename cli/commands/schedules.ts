import type { Command } from 'commander';
import {
  describeSchedule,
  listSchedules,
  resolveScheduleId,
  type ScheduleReport,
} from '../../temporal/schedule-status.js';
import { applyScheduleSync, planScheduleSync } from '../../temporal/schedules.js';
import { loadCommandContext } from '../context.js';
import { connectClient } from '../temporal-client.js';
import { print } from './operations.js';

function reportLines(report: ScheduleReport): string[] {
  const lines = [
    `${report.scheduleId}  ${report.paused ? 'PAUSED' : 'active'}${report.note ? `  (${report.note})` : ''}`,
    `  workflow ${report.workflowType}, time zone ${report.timeZone}`,
    `  next runs: ${report.nextRuns.slice(0, 3).join(', ') || 'none'}`,
    `  runs taken ${report.actionsTaken}, skipped on overlap ${report.skippedOnOverlap}, missed the catch-up window ${report.missedCatchupWindow}`,
    `  running: ${report.runningWorkflowIds.join(', ') || 'none'}`,
    '  recent runs:',
    ...report.recentRuns.map(
      (run) => `    ${run.scheduledAt}  ${run.status.padEnd(10)} ${run.workflowId}`,
    ),
  ];
  if (report.missedRuns.length > 0) {
    lines.push(`  scheduled times that started no run (${report.missedRuns.length}):`);
    for (const missed of report.missedRuns.slice(-10)) {
      lines.push(`    ${missed.scheduledAt}  ${missed.reason}`);
    }
  }
  return lines;
}

/** `terreze schedules …`: the project's Temporal Schedules. */
export function registerSchedules(program: Command): void {
  const schedules = program.command('schedules').description('Temporal Schedules of the project');

  schedules
    .command('sync')
    .description('create, update and delete Temporal Schedules to match the project file')
    .option('--dry-run', 'print the plan without changing anything')
    .option('--json', 'print the plan as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { client, close } = await connectClient(context.settings);
      try {
        const { project } = context.loaded;
        const plan = options.dryRun
          ? (await planScheduleSync(client, project, context.settings.taskQueue)).plan
          : await applyScheduleSync(client, project, context.settings.taskQueue);
        print(plan, options.json ?? false, () =>
          plan.map((entry) => {
            const would = options.dryRun && entry.change !== 'unchanged' ? 'would ' : '';
            return `${would}${entry.change} ${entry.scheduleId}`;
          }),
        );
      } finally {
        await close();
      }
    });

  schedules
    .command('list')
    .description("list the project's schedules with their next and last runs")
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { client, close } = await connectClient(context.settings);
      try {
        const entries = await listSchedules(client, context.loaded.project);
        print(entries, options.json ?? false, () =>
          entries.length === 0
            ? ['no schedule on the cluster: run `terreze schedules sync`']
            : entries.map(
                (entry) =>
                  `${entry.scheduleId.padEnd(48)} ${entry.paused ? 'paused' : 'active'}  next ${entry.nextRun ?? '-'}  last ${entry.lastRun ?? '-'}`,
              ),
        );
      } finally {
        await close();
      }
    });

  schedules
    .command('describe <id>')
    .description('next runs, recent runs, and scheduled times that started no run')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { client, close } = await connectClient(context.settings);
      try {
        const report = await describeSchedule(
          client,
          resolveScheduleId(context.loaded.project, id),
        );
        print(report, options.json ?? false, () => reportLines(report));
      } finally {
        await close();
      }
    });

  for (const verb of ['pause', 'unpause'] as const) {
    schedules
      .command(`${verb} <id>`)
      .description(`${verb} a schedule; the note says why, for the next operator`)
      .requiredOption('--note <text>', 'why')
      .action(async (id: string, options: { note: string }, command: Command) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const { client, close } = await connectClient(context.settings);
        try {
          const scheduleId = resolveScheduleId(context.loaded.project, id);
          await describeSchedule(client, scheduleId);
          const handle = client.schedule.getHandle(scheduleId);
          await (verb === 'pause' ? handle.pause(options.note) : handle.unpause(options.note));
          process.stdout.write(`${scheduleId} ${verb}d: ${options.note}\n`);
        } finally {
          await close();
        }
      });
  }

  schedules
    .command('trigger <id>')
    .description("start the schedule's workflow now, under its overlap policy")
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { client, close } = await connectClient(context.settings);
      try {
        const scheduleId = resolveScheduleId(context.loaded.project, id);
        await describeSchedule(client, scheduleId);
        await client.schedule.getHandle(scheduleId).trigger();
        process.stdout.write(
          `${scheduleId} triggered; follow it with \`terreze schedules describe ${id}\`\n`,
        );
      } finally {
        await close();
      }
    });
}
