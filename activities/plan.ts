import { vintageFor } from '../config/project.js';
import type { CyclePlan } from '../workflows/types.js';
import type { ActivityDependencies } from './dependencies.js';
import { withFailureDecision } from './failures.js';

/** Which partition each source contributes to a reporting year, and the cycle's policies. */
export function createPlanActivities(dependencies: ActivityDependencies) {
  const { loaded, connectors } = dependencies;
  const { project } = loaded;

  async function planCycle(reportingYear: number): Promise<CyclePlan> {
    return {
      reportingYear,
      concurrency: project.cycle.concurrency,
      onSourceFailure: project.cycle.onSourceFailure,
      reportIds: project.reports.map((report) => report.id),
      sources: project.sources.map((source) => {
        const connector = connectors.get(source.connector)!;
        if (connector.periodicity === 'snapshot') {
          return {
            sourceId: source.id,
            domain: source.domain,
            period: 'current',
            vintage: undefined,
            skipReason: undefined,
          };
        }
        const vintage = vintageFor(source.vintages, reportingYear);
        return {
          sourceId: source.id,
          domain: source.domain,
          period: vintage === undefined ? undefined : String(vintage),
          vintage,
          skipReason:
            vintage === undefined
              ? `no vintage of ${source.id} on or before ${reportingYear} (has ${source.vintages?.join(', ')})`
              : undefined,
        };
      }),
    };
  }

  return { planCycle: withFailureDecision(planCycle) };
}
