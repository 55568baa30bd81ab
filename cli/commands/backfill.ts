import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { durationMs } from '../../config/schedule.js';
import {
  backfillTarget,
  lakeDirOf,
  localStart,
  planBackfill,
  runBackfill,
} from '../../temporal/backfill.js';
import { UsageError } from '../../temporal/errors.js';
import { loadCommandContext } from '../context.js';
import { connectClient, requireWorkers } from '../temporal-client.js';
import { print } from './operations.js';

function parseDate(value: string): string {
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) {
    throw new InvalidArgumentError(
      `expected a year or a date such as 2021 or 2021-03-01, got "${value}"`,
    );
  }
  return value;
}

/** A range whose end comes before its start selects no scheduled time: refused, not run. */
function assertOrderedRange(range: { from: string; to: string }, timeZone: string): void {
  if (localStart(range.from, timeZone) < localStart(range.to, timeZone, true)) return;
  throw new UsageError(
    `--from ${range.from} comes after --to ${range.to}: give the earlier date as --from, ` +
      `e.g. --from ${range.to} --to ${range.from}`,
    { from: range.from, to: range.to },
  );
}

/** `terreze backfill <source|cycle> --from --to`: Temporal's schedule backfill, checked. */
export function registerBackfill(program: Command): void {
  program
    .command('backfill <target>')
    .description(
      "run a source's (or the cycle's) schedule over past dates through Temporal's backfill, then check every period was collected",
    )
    .requiredOption(
      '--from <date>',
      'first day (or year) of the range, in the territory time zone',
      parseDate,
    )
    .requiredOption('--to <date>', 'last day (or year) of the range, inclusive', parseDate)
    .option('--dry-run', 'list the scheduled times and the periods they would collect')
    .option('--timeout <duration>', 'how long to wait for the runs', '30 minutes')
    .option('--json', 'print as JSON')
    .action(
      async (
        target: string,
        options: { from: string; to: string; dryRun?: boolean; timeout: string; json?: boolean },
        command: Command,
      ) => {
        const context = loadCommandContext(command.optsWithGlobals().project);
        const { project } = context.loaded;
        backfillTarget(project, target);
        assertOrderedRange(options, project.territory.timeZone);
        const { client, close } = await connectClient(context.settings);
        try {
          const plan = await planBackfill(client, project, context.connectors, target, options);
          const preview = () => [
            `${options.dryRun ? 'would backfill' : 'backfilling'} ${plan.scheduleId} from ${plan.from} to ${plan.to}: ${plan.periods.length} run(s)`,
            ...plan.periods.map(
              (period) =>
                `  ${period.scheduledAt}  ${period.skipReason ? `creates nothing: ${period.skipReason}` : `period ${period.period}`}`,
            ),
          ];
          if (options.dryRun) {
            print(plan, options.json ?? false, preview);
            return;
          }
          if (!options.json) process.stderr.write(`${preview().join('\n')}\n`);
          await requireWorkers(client, [context.settings.taskQueue]);
          const results = await runBackfill(client, plan, {
            lakeDir: lakeDirOf(context.settings.homeDir, project),
            timeoutMs: durationMs(options.timeout),
            onPeriod: (period) =>
              options.json ||
              process.stderr.write(
                `  ${period.scheduledAt}  ${period.status.toLowerCase()} period ${period.period}${period.problem ? `: ${period.problem}` : ''}\n`,
              ),
          });
          print({ ...plan, results }, options.json ?? false, () => [
            `backfill of ${plan.scheduleId}: ${results.length} period(s) collected`,
            ...results.map(
              (result) =>
                `  ${result.scheduledAt}  period ${result.period}  ${result.rows ?? '-'} rows  ${result.sha256?.slice(0, 16) ?? ''}`,
            ),
          ]);
        } finally {
          await close();
        }
      },
    );
}
