import { describe, expect, it } from 'vitest';
import { CronSyntaxError, parseCron } from '../../config/cron.js';
import { scheduleProblems, scheduleSchema, skippedRunProblem } from '../../config/schedule.js';
import { skippedLocalTimes } from '../../config/time-zone.js';

describe('schedules and daylight saving time', () => {
  it('finds the spring-forward gaps of Europe/Paris on the last Sunday of March, 02:00–03:00', () => {
    // EU rule since 1996: clocks go forward at 01:00 UTC on the last Sunday of March.
    expect(skippedLocalTimes('Europe/Paris', 2026, 2027)).toEqual([
      { date: '2026-03-29', month: 3, day: 29, weekday: 0, fromMinute: 120, toMinute: 180 },
      { date: '2027-03-28', month: 3, day: 28, weekday: 0, fromMinute: 120, toMinute: 180 },
    ]);
  });

  it('refuses a daily 02:30 in Europe/Paris, naming the next day it would not run', () => {
    const problem = skippedRunProblem('30 2 * * *', 'Europe/Paris', new Date('2026-12-04'));
    expect(problem).toBe(
      'a time that exists every day it fires; "30 2 * * *" fires between 02:00 and 03:00, which ' +
        'do not exist in Europe/Paris on 2027-03-28 (clocks jump from 02:00 to 03:00), so ' +
        'Temporal would start no run that day: move it out of 02:00–03:00, or set dst: utc',
    );
  });

  it('accepts 02:30 on days no transition falls on, and times outside the skipped hour', () => {
    // 1 March is never the last Sunday of March; 01:30 and 03:30 exist every day.
    expect(skippedRunProblem('30 2 1 3 *', 'Europe/Paris')).toBeUndefined();
    expect(skippedRunProblem('30 1 * * *', 'Europe/Paris')).toBeUndefined();
    expect(skippedRunProblem('30 3 * * 0', 'Europe/Paris')).toBeUndefined();
    // Sundays in March include every spring-forward day.
    expect(skippedRunProblem('0 2 * 3 sun', 'Europe/Paris')).toContain('on 2027-03-28');
  });

  it('accepts any hour in a zone without daylight saving time', () => {
    expect(skippedRunProblem('30 2 * * *', 'Asia/Tokyo')).toBeUndefined();
  });

  it('reads cron fields with lists, ranges, steps and names', () => {
    const cron = parseCron('0,30 */6 1-3 mar-apr mon-fri');
    expect([...cron.minutes]).toEqual([0, 30]);
    expect([...cron.hours]).toEqual([0, 6, 12, 18]);
    expect([...cron.daysOfMonth]).toEqual([1, 2, 3]);
    expect([...cron.months]).toEqual([3, 4]);
    expect([...cron.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('names the field of a malformed cron expression', () => {
    expect(() => parseCron('0 25 * * *')).toThrow(
      new CronSyntaxError('hour "25" is not a number from 0 to 23'),
    );
    expect(() => parseCron('0 5 * *')).toThrow(
      '"0 5 * *" has 4 fields; expected 5: minute hour day-of-month month day-of-week',
    );
  });

  it('fills the documented defaults of a schedule', () => {
    expect(scheduleSchema.parse({ cron: ['0 5 1 3 *'] })).toEqual({
      cron: ['0 5 1 3 *'],
      dst: 'reject',
      overlap: 'skip',
      catchupWindow: '1 day',
      pauseOnFailure: false,
      paused: false,
    });
    const bad = scheduleSchema.safeParse({ cron: ['0 5 1 3 *'], catchupWindow: '10' });
    expect(bad.error?.issues[0]?.message).toBe(
      'a duration with its unit, such as "30 seconds", "10m" or "3 days"',
    );
  });

  it("refuses a catch-up window shorter than Temporal's ten seconds", () => {
    const short = scheduleSchema.safeParse({ cron: ['0 5 1 3 *'], catchupWindow: '5 seconds' });
    expect(short.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['catchupWindow'], "at least 10 seconds, Temporal's shortest catch-up window"],
    ]);
    expect(scheduleSchema.parse({ cron: ['0 5 1 3 *'], catchupWindow: '10s' }).catchupWindow).toBe(
      '10s',
    );
  });

  it('leaves a cron the schema refused to the schema: the DST check does not throw on it', () => {
    // Regression: "0 25 * * *" made the project check throw instead of naming the field.
    const schedule = { ...scheduleSchema.parse({ cron: ['0 5 1 3 *'] }), cron: ['0 25 * * *'] };
    expect(scheduleProblems(schedule, 'Europe/Paris', ['cycle', 'schedule'])).toEqual([]);
  });
});
