import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, ScheduleOverlapPolicy, type WorkflowExecutionInfo } from '@temporalio/client';
import { type ConnectorDeclarations, type Project, vintageFor } from '../config/project.js';
import { localYear, offsetMinutes } from '../config/time-zone.js';
import { readCurrentManifest } from '../lake/store.js';
import type { CycleResult, PartitionSummary } from '../workflows/types.js';
import { BackfillError, NotFoundError } from './errors.js';
import { matchingTimes } from './schedule-status.js';

/**
 * Backfills through Temporal's own schedule backfill: the preview lists the scheduled times in
 * the range and the period each one collects; after the run, every period is checked against
 * the workflows' results and, when the lake is on this machine, its manifests. A backfill that
 * would create, or created, nothing for a period is an error naming that period.
 */

export interface BackfillPeriod {
  scheduledAt: string;
  /** The partition a source's run collects, or the reporting year a cycle's run reports on. */
  period: string | undefined;
  skipReason: string | undefined;
}

export interface BackfillPlan {
  scheduleId: string;
  target: { kind: 'cycle' } | { kind: 'source'; sourceId: string };
  from: string;
  to: string;
  periods: BackfillPeriod[];
}

export interface BackfilledPeriod extends BackfillPeriod {
  workflowId: string | undefined;
  status: string;
  rows: number | undefined;
  sha256: string | undefined;
  problem: string | undefined;
}

/** The UTC instant of local midnight starting a date (YYYY, YYYY-MM or YYYY-MM-DD). */
export function localStart(text: string, timeZone: string, after = false): number {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text);
  if (match === null) throw new BackfillError(`"${text}" is not a date such as 2023 or 2023-03-01`);
  let [year, month, day] = [Number(match[1]), Number(match[2] ?? 1), Number(match[3] ?? 1)];
  // `--to 2023` means up to the end of 2023: the range ends where the next year starts.
  if (after && match[3] !== undefined) day += 1;
  else if (after && match[2] !== undefined) month += 1;
  else if (after) year += 1;
  const naive = Date.UTC(year, month - 1, day);
  const first = naive - offsetMinutes(timeZone, naive) * 60_000;
  return naive - offsetMinutes(timeZone, first) * 60_000;
}

/**
 * What a backfill target names: the cycle or a scheduled source, and its schedule id. Checked
 * against the project file alone, before the cluster is asked anything.
 */
export function backfillTarget(project: Project, targetName: string) {
  const source = project.sources.find((candidate) => candidate.id === targetName);
  if (targetName !== 'cycle' && source === undefined) {
    const known = ['cycle', ...project.sources.map((candidate) => candidate.id)].join(', ');
    throw new NotFoundError(`nothing called "${targetName}" to backfill; one of: ${known}`);
  }
  const scheduleId =
    source === undefined ? `${project.project}-cycle` : `${project.project}-collect-${source.id}`;
  const declared = source === undefined ? project.cycle.schedule : source.schedule;
  if (declared === undefined) {
    throw new NotFoundError(
      `${targetName} has no schedule in the project file: declare one, run \`terreze schedules sync\`, then backfill`,
    );
  }
  return { source, scheduleId };
}

/** Lists the scheduled times of the range and what each would collect; changes nothing. */
export async function planBackfill(
  client: Client,
  project: Project,
  connectors: ConnectorDeclarations,
  targetName: string,
  range: { from: string; to: string },
): Promise<BackfillPlan> {
  const timeZone = project.territory.timeZone;
  const { source, scheduleId } = backfillTarget(project, targetName);

  const fromMs = localStart(range.from, timeZone);
  const toMs = localStart(range.to, timeZone, true);
  const times = await matchingTimes(client, scheduleId, fromMs, toMs).catch((error) => {
    throw new NotFoundError(
      `schedule ${scheduleId} is not on the cluster (${String(error)}): run \`terreze schedules sync\``,
    );
  });
  const snapshot = source && connectors.get(source.connector)?.periodicity === 'snapshot';
  const periods = times.map((time): BackfillPeriod => {
    const year = localYear(time, timeZone);
    if (source === undefined) {
      return { scheduledAt: time.toISOString(), period: String(year - 1), skipReason: undefined };
    }
    if (snapshot)
      return { scheduledAt: time.toISOString(), period: 'current', skipReason: undefined };
    const vintage = vintageFor(source.vintages, year);
    return {
      scheduledAt: time.toISOString(),
      period: vintage === undefined ? undefined : String(vintage),
      skipReason:
        vintage === undefined
          ? `no vintage of ${source.id} on or before ${year} (has ${source.vintages?.join(', ')})`
          : undefined,
    };
  });
  return {
    scheduleId,
    target: source === undefined ? { kind: 'cycle' } : { kind: 'source', sourceId: source.id },
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    periods,
  };
}

function nothingError(plan: BackfillPlan, periods: BackfillPeriod[]): BackfillError {
  const named = periods.map(
    (period) => `${period.scheduledAt} (${period.skipReason ?? period.period})`,
  );
  return new BackfillError(
    periods.length === 0
      ? `backfill of ${plan.scheduleId} from ${plan.from} to ${plan.to} would create nothing: ` +
          'no scheduled time falls in that range'
      : `backfill of ${plan.scheduleId} would create nothing: ${named.join('; ')}`,
    { scheduleId: plan.scheduleId },
  );
}

async function backfillExecutions(client: Client, plan: BackfillPlan, requestedAt: Date) {
  const query =
    `TemporalScheduledById = '${plan.scheduleId}' AND TemporalScheduledStartTime >= '${plan.from}' ` +
    `AND TemporalScheduledStartTime < '${plan.to}' AND StartTime >= '${requestedAt.toISOString()}'`;
  const executions: WorkflowExecutionInfo[] = [];
  for await (const execution of client.workflow.list({ query })) executions.push(execution);
  return executions;
}

/** What a finished run collected, or why it collected nothing. */
async function outcome(
  client: Client,
  plan: BackfillPlan,
  execution: WorkflowExecutionInfo,
  lakeDir: string | undefined,
) {
  try {
    const result = await client.workflow.getHandle(execution.workflowId).result();
    if (plan.target.kind === 'cycle') {
      const cycle = result as CycleResult;
      const failed = cycle.sources.filter((source) => source.state === 'failed');
      return {
        rows: cycle.sources.reduce((total, source) => total + (source.rows ?? 0), 0),
        sha256: undefined,
        problem:
          failed.length > 0
            ? `sources failed: ${failed.map((source) => source.sourceId).join(', ')}`
            : undefined,
      };
    }
    const summary = result as PartitionSummary | { skipped: string };
    if ('skipped' in summary)
      return { rows: undefined, sha256: undefined, problem: summary.skipped };
    if (lakeDir !== undefined) {
      const manifest = await readCurrentManifest(lakeDir, summary.sourceId, summary.period);
      if (manifest?.sha256 !== summary.sha256) {
        return {
          rows: summary.rows,
          sha256: summary.sha256,
          problem: `the lake's current ${summary.sourceId}/${summary.period} is not what the run landed`,
        };
      }
    }
    return { rows: summary.rows, sha256: summary.sha256, problem: undefined };
  } catch (error) {
    return { rows: undefined, sha256: undefined, problem: String((error as Error).cause ?? error) };
  }
}

export interface RunBackfillOptions {
  /** The project's lake, when this machine sees it; manifests are then checked too. */
  lakeDir: string | undefined;
  timeoutMs: number;
  onPeriod?: (period: BackfilledPeriod) => void;
}

/** Asks Temporal to backfill the plan's range, waits for every run, and checks each period. */
export async function runBackfill(
  client: Client,
  plan: BackfillPlan,
  options: RunBackfillOptions,
): Promise<BackfilledPeriod[]> {
  const creatable = plan.periods.filter((period) => period.skipReason === undefined);
  if (creatable.length === 0) throw nothingError(plan, plan.periods);

  const requestedAt = new Date(Date.now() - 1_000);
  // One run at a time: periods that share a partition land it one after the other.
  await client.schedule.getHandle(plan.scheduleId).backfill([
    {
      start: new Date(plan.from),
      end: new Date(plan.to),
      overlap: ScheduleOverlapPolicy.BUFFER_ALL,
    },
  ]);

  const deadline = Date.now() + options.timeoutMs;
  const lakeDir = options.lakeDir && existsSync(options.lakeDir) ? options.lakeDir : undefined;
  const done = new Map<string, BackfilledPeriod>();
  while (done.size < plan.periods.length && Date.now() < deadline) {
    for (const execution of await backfillExecutions(client, plan, requestedAt)) {
      if (done.has(execution.workflowId) || execution.status.name === 'RUNNING') continue;
      const nominal = execution.typedSearchAttributes
        .getAll()
        .find((pair) => pair.key.name === 'TemporalScheduledStartTime')?.value as Date | undefined;
      // The preview's times carry the schedule's jitter; the run knows its nominal time.
      const distance = (candidate: BackfillPeriod) =>
        Math.abs(Date.parse(candidate.scheduledAt) - (nominal?.getTime() ?? 0));
      const period = plan.periods.reduce((best, candidate) =>
        distance(candidate) < distance(best) ? candidate : best,
      );
      const result: BackfilledPeriod = {
        ...period,
        workflowId: execution.workflowId,
        status: execution.status.name,
        ...(await outcome(client, plan, execution, lakeDir)),
      };
      done.set(execution.workflowId, result);
      options.onPeriod?.(result);
    }
    if (done.size < plan.periods.length) await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const results = [...done.values()].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const missing = plan.periods.filter(
    (period) => !results.some((result) => result.scheduledAt === period.scheduledAt),
  );
  const failed = results.filter((result) => result.problem !== undefined);
  if (missing.length > 0 || failed.length > 0) {
    const lines = [
      ...failed.map(
        (result) => `${result.scheduledAt} period ${result.period ?? '-'}: ${result.problem}`,
      ),
      ...missing.map(
        (period) => `${period.scheduledAt} period ${period.period ?? '-'}: no run finished in time`,
      ),
    ];
    throw new BackfillError(
      `backfill of ${plan.scheduleId} did not collect ${lines.length} of ${plan.periods.length} period(s): ${lines.join('; ')}`,
      { scheduleId: plan.scheduleId, results },
    );
  }
  return results;
}

/** The lake of a project under a terreze home folder. */
export function lakeDirOf(homeDir: string, project: Project): string {
  return join(homeDir, project.project, 'lake');
}
