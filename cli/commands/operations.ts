import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Command } from 'commander';
import { Option } from 'commander';
import { collectionPolicy, collectionTaskQueue } from '../../config/operations.js';
import { vintageFor } from '../../config/project.js';
import { NotFoundError } from '../../temporal/errors.js';
import { collectSourceWorkflow, territorialCycleWorkflow } from '../../workflows/index.js';
import type { CollectionProgress } from '../../workflows/operations-types.js';
import type { CycleProgress, CycleResult, PartitionSummary } from '../../workflows/types.js';
import { loadCommandContext } from '../context.js';
import { cycleResultLines } from '../format.js';
import { parseYear } from '../options.js';
import { collectionProgressLine, cycleProgressLines, watchProgress } from '../progress.js';
import { connectClient, requireWorkers } from '../temporal-client.js';

/** Prints a value as JSON or as the lines a person reads. */
export function print(value: unknown, json: boolean, lines: () => string[]): void {
  const text = json ? JSON.stringify(value, null, 2) : lines().join('\n');
  process.stdout.write(`${text}\n`);
}

const progressOutput = {
  write: (text: string) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Commands that run work on a Temporal cluster with workers polling. */
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
    .description('run the reporting cycle of a year, showing its progress, and print its result')
    .requiredOption('--year <year>', 'reporting year', parseYear)
    .addOption(
      new Option(
        '--on-source-failure <policy>',
        "override the project's cycle.onSourceFailure",
      ).choices(['block', 'continue']),
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        options: { year: number; json?: boolean; onSourceFailure?: 'block' | 'continue' },
        command: Command,
      ) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const { project } = context.loaded;
        const { client, close } = await connectClient(context.settings);
        try {
          const routed = [
            ...Object.values(project.operations.taskQueues.sources),
            ...Object.values(project.operations.taskQueues.domains),
          ];
          await requireWorkers(client, [context.settings.taskQueue, ...routed]);
          const workflowId = `${project.project}/cycle/${options.year}`;
          const handle = await client.workflow
            .start(territorialCycleWorkflow, {
              workflowId,
              taskQueue: context.settings.taskQueue,
              args: [{ reportingYear: options.year, onSourceFailure: options.onSourceFailure }],
            })
            .catch((error: unknown) => {
              // The year's cycle is already running: follow it rather than start a second one.
              if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
              context.logger.info('cycle already running; following it', { workflowId });
              return client.workflow.getHandle<typeof territorialCycleWorkflow>(workflowId);
            });
          context.logger.info('cycle started', {
            workflowId,
            runId: 'firstExecutionRunId' in handle ? handle.firstExecutionRunId : undefined,
          });
          const result = await watchProgress<CycleResult, CycleProgress>(
            handle,
            'progress',
            cycleProgressLines,
            progressOutput,
          );
          print(result, options.json ?? false, () => cycleResultLines(result));
        } finally {
          await close();
        }
      },
    );

  program
    .command('collect <source>')
    .description('collect one source for the vintage a reporting year uses, and land it')
    .requiredOption('--year <year>', 'reporting year', parseYear)
    .option('--json', 'print the result as JSON')
    .action(
      async (sourceId: string, options: { year: number; json?: boolean }, command: Command) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const { project } = context.loaded;
        const source = project.sources.find((candidate) => candidate.id === sourceId);
        if (source === undefined) {
          const known = project.sources.map((candidate) => candidate.id).join(', ');
          throw new NotFoundError(
            `no source "${sourceId}" in ${context.loaded.file}; sources: ${known}`,
          );
        }
        const snapshot = context.connectors.get(source.connector)?.periodicity === 'snapshot';
        const vintage = snapshot ? undefined : vintageFor(source.vintages, options.year);
        if (!snapshot && vintage === undefined) {
          throw new NotFoundError(
            `${sourceId} has no vintage on or before ${options.year} (vintages: ${source.vintages?.join(', ')})`,
          );
        }
        const period = vintage === undefined ? 'current' : String(vintage);
        const taskQueue =
          collectionTaskQueue(project.operations, source) ?? context.settings.taskQueue;
        const { client, close } = await connectClient(context.settings);
        try {
          await requireWorkers(client, [taskQueue]);
          const handle = await client.workflow.start(collectSourceWorkflow, {
            workflowId: `${project.project}/collect/${sourceId}/${period}`,
            taskQueue,
            args: [{ sourceId, period, vintage }, collectionPolicy(project.operations)],
          });
          const summary = await watchProgress<PartitionSummary, CollectionProgress>(
            handle,
            'collectionProgress',
            (progress) => [collectionProgressLine(progress)],
            progressOutput,
          );
          print(summary, options.json ?? false, () => [
            `${sourceId} ${period}: ${summary.rows} rows, ${summary.replaced}, sha256 ${summary.sha256}`,
          ]);
        } finally {
          await close();
        }
      },
    );
}
