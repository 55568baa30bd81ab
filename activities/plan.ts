import { ApplicationFailure } from '@temporalio/common';
import { collectionPolicy, collectionTaskQueue } from '../config/operations.js';
import { vintageFor } from '../config/project.js';
import { durationMs } from '../config/schedule.js';
import { localYear } from '../config/time-zone.js';
import type { CyclePlan } from '../workflows/types.js';
import type { ActivityDependencies } from './dependencies.js';
import { withFailureDecision } from './failures.js';

/** Which partition each source contributes to a reporting year, and the cycle's policies. */
export function createPlanActivities(dependencies: ActivityDependencies) {
  const { loaded, connectors } = dependencies;
  const { project } = loaded;
  const { operations } = project;

  const collection = collectionPolicy(operations);

  async function planCycle(reportingYear: number): Promise<CyclePlan> {
    // The territory's calendar decides: a schedule on 1 January in Paris runs on 31 December UTC.
    const currentYear = localYear(new Date(), project.territory.timeZone);
    if (reportingYear > currentYear) {
      throw ApplicationFailure.nonRetryable(
        `reporting year ${reportingYear} is after the current year ${currentYear} in ` +
          `${project.territory.timeZone}: it has no data yet`,
        'ReportingYearInFuture',
      );
    }
    return {
      reportingYear,
      project: project.project,
      concurrency: project.cycle.concurrency,
      onSourceFailure: project.cycle.onSourceFailure,
      reportIds: project.reports.map((report) => report.id),
      collection,
      approval: {
        reportIds: operations.approval.reports ?? project.reports.map((report) => report.id),
        remindAfterMs: durationMs(operations.approval.remindAfter),
        expireAfterMs: durationMs(operations.approval.expireAfter),
      },
      sources: project.sources.map((source) => {
        const connector = connectors.get(source.connector)!;
        const taskQueue = collectionTaskQueue(operations, source);
        if (connector.periodicity === 'snapshot') {
          return {
            sourceId: source.id,
            domain: source.domain,
            period: 'current',
            vintage: undefined,
            skipReason: undefined,
            taskQueue,
          };
        }
        const vintage = vintageFor(source.vintages, reportingYear);
        return {
          sourceId: source.id,
          domain: source.domain,
          period: vintage === undefined ? undefined : String(vintage),
          vintage,
          vintages: source.vintages,
          skipReason:
            vintage === undefined
              ? `no vintage of ${source.id} on or before ${reportingYear} (has ${source.vintages?.join(', ')})`
              : undefined,
          taskQueue,
        };
      }),
    };
  }

  return { planCycle: withFailureDecision(planCycle) };
}
