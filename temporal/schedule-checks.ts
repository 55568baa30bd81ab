import type { Project } from '../config/project.js';
import { type ScheduleProblem, scheduleProblems, scheduleSchema } from '../config/schedule.js';
import { isKnownTimeZone } from '../config/time-zone.js';
import { ConfigError } from '../lib/errors.js';

/**
 * The checks a schedule passes before a sync changes anything on the cluster: the same as when
 * the project file is loaded (cron fields and ranges, the IANA time zone, durations, DST), run
 * again on the values handed to the sync, which a caller may have built or edited in code.
 */

function formatPath(path: (string | number)[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${part}`))
    .join('');
}

/** Throws a ConfigError listing every problem of the schedules, before anything is changed. */
export function validateSchedules(
  project: Project,
  entries: { schedule: unknown; path: (string | number)[] }[],
): void {
  const timeZone = project.territory.timeZone;
  const problems: ScheduleProblem[] = [];
  if (!isKnownTimeZone(timeZone)) {
    problems.push({
      path: ['territory', 'timeZone'],
      message: `an IANA time zone such as Europe/Paris; "${timeZone}" is unknown`,
    });
  }
  for (const { schedule, path } of entries) {
    const parsed = scheduleSchema.safeParse(schedule);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({
          path: [...path, ...(issue.path as (string | number)[])],
          message: issue.message,
        });
      }
      continue;
    }
    problems.push(...scheduleProblems(parsed.data, timeZone, path));
  }
  if (problems.length === 0) return;
  throw new ConfigError(
    `the schedules of project ${project.project}`,
    problems.map((problem) => ({ path: formatPath(problem.path), expected: problem.message })),
  );
}
