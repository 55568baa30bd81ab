import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { Command } from 'commander';
import { Option } from 'commander';
import { collectionPolicy, collectionTaskQueue } from '../../config/operations.js';
import { vintageFor } from '../../config/project.js';
import { lakeDirOf } from '../../temporal/backfill.js';
import { NotFoundError, UsageError } from '../../temporal/errors.js';
import { collectSourceWorkflow, territorialCycleWorkflow } from '../../workflows/index.js';
import type { CollectionProgress } from '../../workflows/operations-types.js';
import type { CycleProgress, CycleResult, PartitionSummary } from '../../workflows/types.js';
import { declaredSource, loadCommandContext } from '../context.js';
import { cycleResultLines, partitionSummaryLine } from '../format.js';
import { parseYear } from '../options.js';
import { collectionProgressLine, cycleProgressLines, watchProgress } from '../progress.js';
import { connectClient, requireWorkers } from '../temporal-client.js';
import {
  failedSourcesError,
  type WorkflowReference,
  whereToLook,
  workflowRunError,
} from '../workflow-failure.js';

/** Prints a value as JSON or as the lines a person reads. */
export function print(value: unknown, json: boolean, lines: () => string[]): void {
  const text = json ? JSON.stringify(value, null, 2) : lines().join('\n');
  process.stdout.write(`${text}\n`);
}

/**
 * Starts a workflow, or follows the one already running under the same id (a second
 * `run cycle` of the same year, for instance) rather than starting another.
 */
async function startOrFollow<W extends Workflow>(
  client: Client,
  workflow: W,
  options: WorkflowStartOptions<W>,
): Promise<{ handle: WorkflowHandle<W>; runId: string; followed: boolean }> {
  try {
    const handle = await client.workflow.start(workflow, options);
    return { handle, runId: handle.firstExecutionRunId, followed: false };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const handle = client.workflow.getHandle<W>(options.workflowId);
    return { handle, runId: (await handle.describe()).runId, followed: true };
  }
}

/** A workflow's failure with its cause chain; other errors (a lost connection) as they are. */
function failureOf(what: string, error: unknown, reference: WorkflowReference): unknown {
  return error instanceof WorkflowFailedError ? workflowRunError(what, error, reference) : error;
}

const progressOutput = {
  write: (text: string) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

/** `--year`, or `--period` which names the same for a cycle; one of them is needed. */
function requiredYear(options: { year?: number; period?: number }, command: string): number {
  const year = options.year ?? options.period;
  if (year === undefined) {
    throw new UsageError(`${command} needs --year <year> (or --period <year>), e.g. --year 2023`);
  }
  return year;
}

/**
 * The vintage a collection lands: the one `--period` names, or the latest not after `--year`;
 * none for a snapshot source, whose only period is `current`.
 */
function collectedVintage(
  sourceId: string,
  vintages: readonly number[] | undefined,
  snapshot: boolean,
  options: { year?: number; period?: string },
): number | undefined {
  const declared = `vintages: ${vintages?.join(', ') ?? 'none'}`;
  if (options.period !== undefined) {
    if (snapshot) {
      if (options.period === 'current') return undefined;
      throw new NotFoundError(
        `${sourceId} is a snapshot source: its only period is current, not ${options.period}`,
      );
    }
    const vintage = Number(options.period);
    if (!vintages?.includes(vintage)) {
      throw new NotFoundError(
        `${sourceId} has no period ${options.period} (${declared}); add it to the source's ` +
          'vintages in the project file to collect it',
      );
    }
    return vintage;
  }
  if (options.year === undefined) {
    throw new UsageError(
      `collect needs --year <year> or --period <period>, e.g. collect ${sourceId} --year 2023`,
    );
  }
  if (snapshot) return undefined;
  const vintage = vintageFor(vintages, options.year);
  if (vintage === undefined) {
    throw new NotFoundError(
      `${sourceId} has no vintage on or before ${options.year} (${declared})`,
    );
  }
  return vintage;
}

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
    .addOption(new Option('--year <year>', 'reporting year').argParser(parseYear))
    .addOption(
      new Option('--period <year>', 'the same as --year: a cycle’s period is its reporting year')
        .argParser(parseYear)
        .conflicts('year'),
    )
    .addOption(
      new Option(
        '--on-source-failure <policy>',
        "override the project's cycle.onSourceFailure",
      ).choices(['block', 'continue']),
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        given: {
          year?: number;
          period?: number;
          json?: boolean;
          onSourceFailure?: 'block' | 'continue';
        },
        command: Command,
      ) => {
        const options = { ...given, year: requiredYear(given, 'run cycle') };
        const context = loadCommandContext(command.optsWithGlobals().project);
        const { project } = context.loaded;
        const { client, close, namespace, uiUrl } = await connectClient(context.settings);
        try {
          const routed = [
            ...Object.values(project.operations.taskQueues.sources),
            ...Object.values(project.operations.taskQueues.domains),
          ];
          await requireWorkers(client, [context.settings.taskQueue, ...routed]);
          const workflowId = `${project.project}/cycle/${options.year}`;
          const { handle, runId, followed } = await startOrFollow(
            client,
            territorialCycleWorkflow,
            {
              workflowId,
              taskQueue: context.settings.taskQueue,
              args: [{ reportingYear: options.year, onSourceFailure: options.onSourceFailure }],
            },
          );
          const reference = { workflowId, runId, namespace, uiUrl };
          if (followed) {
            process.stderr.write(
              `cycle ${options.year} is already running: following it (${whereToLook(reference)})\n`,
            );
          } else {
            context.logger.info('cycle started', { workflowId, runId: reference.runId });
          }
          const result = await watchProgress<CycleResult, CycleProgress>(
            handle,
            'progress',
            cycleProgressLines,
            progressOutput,
          ).catch((error: unknown) => {
            throw failureOf(`cycle ${options.year}`, error, reference);
          });
          print(result, options.json ?? false, () => cycleResultLines(result));
          const failed = failedSourcesError(result);
          if (failed) throw failed;
        } finally {
          await close();
        }
      },
    );

  program
    .command('collect <source>')
    .description(
      'collect one source for a period (or the vintage a reporting year uses), and land it',
    )
    .addOption(
      new Option('--year <year>', 'reporting year: its vintage of the source').argParser(parseYear),
    )
    .addOption(
      new Option(
        '--period <period>',
        'the partition itself: one of the source’s vintages, or current for a snapshot source',
      ).conflicts('year'),
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        sourceId: string,
        options: { year?: number; period?: string; json?: boolean },
        command: Command,
      ) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const { project } = context.loaded;
        const source = declaredSource(context.loaded, sourceId);
        const snapshot = context.connectors.get(source.connector)?.periodicity === 'snapshot';
        const vintage = collectedVintage(sourceId, source.vintages, snapshot, options);
        const period = vintage === undefined ? 'current' : String(vintage);
        const taskQueue =
          collectionTaskQueue(project.operations, source) ?? context.settings.taskQueue;
        const { client, close, namespace, uiUrl } = await connectClient(context.settings);
        try {
          await requireWorkers(client, [taskQueue]);
          const workflowId = `${project.project}/collect/${sourceId}/${period}`;
          const { handle, runId, followed } = await startOrFollow(client, collectSourceWorkflow, {
            workflowId,
            taskQueue,
            args: [{ sourceId, period, vintage }, collectionPolicy(project.operations)],
          });
          const reference = { workflowId, runId, namespace, uiUrl };
          if (followed) {
            process.stderr.write(
              `${sourceId} ${period} is already being collected: following it (${whereToLook(reference)})\n`,
            );
          }
          const summary = await watchProgress<PartitionSummary, CollectionProgress>(
            handle,
            'collectionProgress',
            (progress) => [collectionProgressLine(progress)],
            progressOutput,
          ).catch((error: unknown) => {
            throw failureOf(`collection of ${sourceId} ${period}`, error, reference);
          });
          const lakeDir = lakeDirOf(context.settings.homeDir, project);
          print(summary, options.json ?? false, () => [partitionSummaryLine(summary, lakeDir)]);
        } finally {
          await close();
        }
      },
    );
}
