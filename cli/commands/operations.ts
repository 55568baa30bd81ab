import type { Command } from 'commander';
import { vintageFor } from '../../config/project.js';
import { applyScheduleSync, planScheduleSync } from '../../temporal/schedules.js';
import { collectSourceWorkflow, territorialCycleWorkflow } from '../../workflows/index.js';
import { loadCommandContext } from '../context.js';
import { cycleResultLines } from '../format.js';
import { parseYear } from '../options.js';
import { connectClient } from '../temporal-client.js';

function print(value: unknown, json: boolean, lines: () => string[]): void {
  const text = json ? JSON.stringify(value, null, 2) : lines().join('\n');
  process.stdout.write(`${text}\n`);
}

/** Commands an operator runs against a Temporal cluster with workers polling. */
export function registerOperations(program: Command): void {
  program
    .command('check')
    .description('validate the project file and the environment, and print what it declares')
    .action((_options: unknown, command: Command) => {
      const { loaded } = loadCommandContext(command.optsWithGlobals().project);
      const { project } = loaded;
      process.stdout.write(
        `${loaded.file}: ${project.territory.name}, ${project.territory.communes.length} communes, ` +
          `${project.sources.length} sources, ${project.reports.length} report(s) — valid\n`,
      );
    });

  const run = program.command('run').description('run workflows on the cluster');
  run
    .command('cycle')
    .description('run the reporting cycle of a year and wait for its result')
    .requiredOption('--year <year>', 'reporting year', parseYear)
    .option('--json', 'print the result as JSON')
    .action(async (options: { year: number; json?: boolean }, command: Command) => {
      const context = loadCommandContext(command.optsWithGlobals().project);
      const { client, close } = await connectClient(context.settings);
      try {
        const result = await client.workflow.execute(territorialCycleWorkflow, {
          workflowId: `${context.loaded.project.project}/cycle/${options.year}`,
          taskQueue: context.settings.taskQueue,
          args: [{ reportingYear: options.year }],
        });
        print(result, options.json ?? false, () => cycleResultLines(result));
      } finally {
        await close();
      }
    });

  program
    .command('collect <source>')
    .description('collect one source for the vintage a reporting year uses, and land it')
    .requiredOption('--year <year>', 'reporting year', parseYear)
    .option('--json', 'print the result as JSON')
    .action(
      async (sourceId: string, options: { year: number; json?: boolean }, command: Command) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const source = context.loaded.project.sources.find(
          (candidate) => candidate.id === sourceId,
        );
        if (source === undefined) {
          const known = context.loaded.project.sources.map((candidate) => candidate.id).join(', ');
          throw new Error(`no source "${sourceId}" in ${context.loaded.file}; sources: ${known}`);
        }
        const snapshot = context.connectors.get(source.connector)?.periodicity === 'snapshot';
        const vintage = snapshot ? undefined : vintageFor(source.vintages, options.year);
        if (!snapshot && vintage === undefined) {
          throw new Error(
            `${sourceId} has no vintage on or before ${options.year} (vintages: ${source.vintages?.join(', ')})`,
          );
        }
        const period = vintage === undefined ? 'current' : String(vintage);
        const { client, close } = await connectClient(context.settings);
        try {
          const summary = await client.workflow.execute(collectSourceWorkflow, {
            workflowId: `${context.loaded.project.project}/collect/${sourceId}/${period}`,
            taskQueue: context.settings.taskQueue,
            args: [{ sourceId, period, vintage }],
          });
          print(summary, options.json ?? false, () => [
            `${sourceId} ${period}: ${summary.rows} rows, ${summary.replaced}, sha256 ${summary.sha256}`,
          ]);
        } finally {
          await close();
        }
      },
    );

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
          plan.map(
            (entry) => `${options.dryRun ? 'would ' : ''}${entry.change} ${entry.scheduleId}`,
          ),
        );
      } finally {
        await close();
      }
    });
}
