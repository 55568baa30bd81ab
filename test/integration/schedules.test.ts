import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProjectFile } from '../../cli/context.js';
import { loadProject, type Project } from '../../config/project.js';
import { scheduleSchema } from '../../config/schedule.js';
import { connectors } from '../../connectors/index.js';
import type { DevServer } from '../../temporal/dev-server.js';
import { describeSchedule, resolveScheduleId } from '../../temporal/schedule-status.js';
import { applyScheduleSync, planScheduleSync } from '../../temporal/schedules.js';
import { startTestDevServer } from './dev-server.js';

const dayMs = 86_400_000;

/** The next 15 March at `hourUtc` after now: the cycle's schedule fires then. */
function nextFifteenthOfMarch(hourUtc: number): string {
  const now = new Date();
  const thisYear = Date.UTC(now.getUTCFullYear(), 2, 15, hourUtc);
  const year = now.getTime() < thisYear ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
  return new Date(Date.UTC(year, 2, 15, hourUtc)).toISOString();
}

/** The last Sunday of a month at midnight UTC (the EU changes clocks on those days). */
function lastSunday(year: number, monthIndex: number): number {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0));
  return last.getTime() - last.getUTCDay() * dayMs;
}

/** `offsetDays` after the day starting at `dayStartMs`, at `hourUtc`:30 UTC, as ISO text. */
function at(dayStartMs: number, offsetDays: number, hourUtc: number): string {
  return new Date(
    dayStartMs + offsetDays * dayMs + hourUtc * 3_600_000 + 30 * 60_000,
  ).toISOString();
}

/** The Paris calendar date of an instant, YYYY-MM-DD. */
function parisDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(instant);
}

describe('Temporal Schedules from the project file', () => {
  let server: DevServer;
  let connection: Connection;
  let client: Client;
  const { project } = loadProject(demoProjectFile, connectors, {
    TERREZE_SIMULATOR_URL: 'http://127.0.0.1:8700',
  });
  // A year whose DST days are ahead of the machine's clock, for nextActionTimes.
  const futureYear = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    server = await startTestDevServer();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('creates one schedule per scheduled source and one for the cycle, in the territory time zone', async () => {
    const plan = await applyScheduleSync(client, project, 'terreze');
    expect(plan).toEqual([
      { scheduleId: 'la-rochelle-collect-enedis-residential-electricity', change: 'create' },
      { scheduleId: 'la-rochelle-collect-sdes-heat-networks', change: 'create' },
      { scheduleId: 'la-rochelle-cycle', change: 'create' },
    ]);

    const cycle = await client.schedule.getHandle('la-rochelle-cycle').describe();
    expect(cycle.spec.timezone).toBe('Europe/Paris');
    expect(cycle.action.type === 'startWorkflow' && cycle.action.workflowType).toBe(
      'scheduledCycleWorkflow',
    );
    expect(cycle.state.note).toContain('15 March');
    expect(cycle.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    // 06:00 in Paris on 15 March is 05:00 UTC: 15 March is always before summer time starts.
    expect(cycle.info.nextActionTimes[0]?.toISOString()).toBe(nextFifteenthOfMarch(5));
  });

  it('changes nothing when the file has not changed, and updates or deletes what did', async () => {
    const unchanged = await planScheduleSync(client, project, 'terreze');
    expect(unchanged.plan.map((entry) => entry.change)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);

    const edited = structuredClone(project);
    edited.cycle.schedule = scheduleSchema.parse({
      cron: ['0 7 15 3 *'],
      overlap: 'buffer-one',
      catchupWindow: '2 days',
      pauseOnFailure: true,
    });
    edited.sources = edited.sources.map((source) =>
      source.id === 'sdes-heat-networks' ? { ...source, schedule: undefined } : source,
    );
    const dryRun = await planScheduleSync(client, edited, 'terreze');
    expect(dryRun.plan).toEqual([
      { scheduleId: 'la-rochelle-collect-enedis-residential-electricity', change: 'unchanged' },
      { scheduleId: 'la-rochelle-collect-sdes-heat-networks', change: 'delete' },
      { scheduleId: 'la-rochelle-cycle', change: 'update' },
    ]);

    const created = await client.schedule.getHandle('la-rochelle-cycle').describe();
    await applyScheduleSync(client, edited, 'terreze');
    const cycle = await client.schedule.getHandle('la-rochelle-cycle').describe();
    // Updated in place: the same schedule, not a new one.
    expect(cycle.info.createdAt).toEqual(created.info.createdAt);
    // 07:00 in Paris on 15 March is 06:00 UTC.
    expect(cycle.info.nextActionTimes[0]?.toISOString()).toBe(nextFifteenthOfMarch(6));
    expect(cycle.policies).toMatchObject({
      overlap: ScheduleOverlapPolicy.BUFFER_ONE,
      catchupWindow: 2 * dayMs,
      pauseOnFailure: true,
    });
    await expect(
      client.schedule.getHandle('la-rochelle-collect-sdes-heat-networks').describe(),
    ).rejects.toThrow();
  });

  it('checks every schedule before changing any: an hour 25 or an unknown zone changes nothing', async () => {
    const cycle = client.schedule.getHandle('la-rochelle-cycle');
    const before = await cycle.describe();
    const badHour = structuredClone(project);
    badHour.cycle.schedule = { ...badHour.cycle.schedule!, cron: ['0 25 15 3 *'] };
    // Would also delete the electricity schedule, were the sync not refused first.
    badHour.sources = badHour.sources.map((source) => ({ ...source, schedule: undefined }));
    const badZone = structuredClone(project);
    badZone.territory.timeZone = 'Europe/Pariss';

    await expect(applyScheduleSync(client, badHour, 'terreze')).rejects.toThrow(
      'invalid configuration in the schedules of project la-rochelle\n' +
        '  the schedules of project la-rochelle cycle.schedule.cron[0]: a five-field cron ' +
        'expression: hour "25" is not a number from 0 to 23',
    );
    await expect(applyScheduleSync(client, badZone, 'terreze')).rejects.toThrow(
      'invalid configuration in the schedules of project la-rochelle\n' +
        '  the schedules of project la-rochelle territory.timeZone: an IANA time zone such as ' +
        'Europe/Paris; "Europe/Pariss" is unknown',
    );
    expect((await cycle.describe()).info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
    const electricity = 'la-rochelle-collect-enedis-residential-electricity';
    expect((await client.schedule.getHandle(electricity).describe()).scheduleId).toBe(electricity);
  });

  it("shows that Temporal's own 02:30 Paris calendar skips the spring-forward day and runs once on the fall-back day", async () => {
    const spring = lastSunday(futureYear, 2);
    const autumn = lastSunday(futureYear, 9);
    const times = async (startAtMs: number) => {
      const handle = await client.schedule.create({
        scheduleId: `native-0230-${startAtMs}`,
        spec: {
          cronExpressions: ['30 2 * * *'],
          timezone: 'Europe/Paris',
          startAt: new Date(startAtMs),
        },
        action: { type: 'startWorkflow', workflowType: 'none', taskQueue: 'nobody', args: [] },
        state: { paused: true },
      });
      const described = await handle.describe();
      await handle.delete();
      return described.info.nextActionTimes.slice(0, 5).map((time) => time.toISOString());
    };

    // Winter 02:30 is 01:30 UTC, summer 02:30 is 00:30 UTC; the spring Sunday has no 02:30.
    expect(await times(spring - 2 * dayMs)).toEqual([
      at(spring, -2, 1),
      at(spring, -1, 1),
      at(spring, 1, 0),
      at(spring, 2, 0),
      at(spring, 3, 0),
    ]);
    // The autumn Sunday has two 02:30s; Temporal takes the second (winter time) only.
    expect(await times(autumn - 2 * dayMs)).toEqual([
      at(autumn, -2, 0),
      at(autumn, -1, 0),
      at(autumn, 0, 1),
      at(autumn, 1, 1),
      at(autumn, 2, 1),
    ]);
  });

  it('starts exactly one run per local day across both DST changes, as a backfill shows', async () => {
    const daily: Project = structuredClone(project);
    daily.project = 'dst-check';
    daily.cycle.schedule = scheduleSchema.parse({ cron: ['30 3 * * *'], overlap: 'allow-all' });
    daily.sources = daily.sources.map((source) => ({ ...source, schedule: undefined }));
    await applyScheduleSync(client, daily, 'nobody');
    const handle = client.schedule.getHandle('dst-check-cycle');
    await handle.pause('DST check: only the backfill runs');

    // The DST days of last year, already past: Friday to Monday around each Sunday.
    const year = new Date().getUTCFullYear() - 1;
    const spring = lastSunday(year, 2);
    const autumn = lastSunday(year, 9);
    await handle.backfill([
      {
        start: new Date(spring - 2 * dayMs),
        end: new Date(spring + 2 * dayMs),
        overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      },
      {
        start: new Date(autumn - 2 * dayMs),
        end: new Date(autumn + 2 * dayMs),
        overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      },
    ]);
    let runs: Date[] = [];
    for (let attempt = 0; attempt < 50 && runs.length < 8; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      runs = (await handle.describe()).info.recentActions.map((action) => action.scheduledAt);
    }

    // 03:30 in Paris is 02:30 UTC in winter and 01:30 UTC in summer, one run each local day.
    expect(runs.map((run) => run.toISOString())).toEqual([
      at(spring, -2, 2),
      at(spring, -1, 2),
      at(spring, 0, 1),
      at(spring, 1, 1),
      at(autumn, -2, 1),
      at(autumn, -1, 1),
      at(autumn, 0, 2),
      at(autumn, 1, 2),
    ]);
    expect(new Set(runs.map(parisDate)).size).toBe(8);
  });

  it('reads the cron in UTC when the schedule says dst: utc', async () => {
    const utc: Project = structuredClone(project);
    utc.project = 'utc-check';
    utc.cycle.schedule = scheduleSchema.parse({ cron: ['30 2 * * *'], dst: 'utc' });
    utc.sources = utc.sources.map((source) => ({ ...source, schedule: undefined }));
    await applyScheduleSync(client, utc, 'nobody');
    const described = await client.schedule.getHandle('utc-check-cycle').describe();
    expect(described.spec.timezone).toBe('UTC');
    expect(
      described.info.nextActionTimes.every((time) => time.toISOString().endsWith('T02:30:00.000Z')),
    ).toBe(true);
  });

  it('describes runs skipped on overlap as scheduled times that started nothing', async () => {
    const handle = await client.schedule.create({
      scheduleId: 'every-second',
      spec: { intervals: [{ every: '1 second' }] },
      action: { type: 'startWorkflow', workflowType: 'none', taskQueue: 'nobody', args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    // No worker polls "nobody": the first run keeps running and every later second overlaps it.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await handle.pause('overlap check done');

    const report = await describeSchedule(client, 'every-second');
    expect(report.paused).toBe(true);
    expect(report.note).toBe('overlap check done');
    expect(report.actionsTaken).toBe(1);
    expect(report.runningWorkflowIds).toHaveLength(1);
    expect(report.recentRuns.map((run) => run.status)).toEqual(['RUNNING']);
    expect(report.skippedOnOverlap).toBeGreaterThanOrEqual(2);
    // Seconds skipped on overlap, and any that fell between the pause and the describe.
    expect(report.missedRuns.length).toBeGreaterThanOrEqual(report.skippedOnOverlap);
    expect(report.missedRuns[0]?.reason).toBe(
      'no run started: skipped on overlap, past the catch-up window, or while paused',
    );
  });

  it('resolves the short names operators type to schedule ids', () => {
    expect(resolveScheduleId(project, 'cycle')).toBe('la-rochelle-cycle');
    expect(resolveScheduleId(project, 'sdes-heat-networks')).toBe(
      'la-rochelle-collect-sdes-heat-networks',
    );
    expect(resolveScheduleId(project, 'la-rochelle-cycle')).toBe('la-rochelle-cycle');
  });
});
