import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProjectFile, packageRoot } from '../../cli/context.js';
import { loadProject } from '../../config/project.js';
import { connectors } from '../../connectors/index.js';
import { createLogger } from '../../lib/logger.js';
import { type DevServer, startDevServer } from '../../temporal/dev-server.js';
import { applyScheduleSync, planScheduleSync } from '../../temporal/schedules.js';

/** The next 15 March at `hourUtc` after now: the cycle's schedule fires then. */
function nextFifteenthOfMarch(hourUtc: number): string {
  const now = new Date();
  const thisYear = Date.UTC(now.getUTCFullYear(), 2, 15, hourUtc);
  const year = now.getTime() < thisYear ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
  return new Date(Date.UTC(year, 2, 15, hourUtc)).toISOString();
}

describe('Temporal Schedules from the project file', () => {
  let server: DevServer;
  let connection: Connection;
  let client: Client;
  const { project } = loadProject(demoProjectFile, connectors, {
    TERREZE_SIMULATOR_URL: 'http://127.0.0.1:8700',
  });

  beforeAll(async () => {
    server = await startDevServer({
      projectRoot: packageRoot,
      databaseFile: join(mkdtempSync(join(tmpdir(), 'terreze-temporal-')), 'dev.sqlite'),
      explicitBinary: process.env.TERREZE_TEMPORAL_BIN,
      logger: createLogger({ level: 'error' }),
    });
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
    expect(cycle.action.type).toBe('startWorkflow');
    expect(cycle.action.type === 'startWorkflow' && cycle.action.workflowType).toBe(
      'scheduledCycleWorkflow',
    );
    expect(cycle.state.note).toContain('15 March');
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
    edited.cycle.schedule = { cron: ['0 7 15 3 *'], paused: false };
    edited.sources = edited.sources.map((source) =>
      source.id === 'sdes-heat-networks' ? { ...source, schedule: undefined } : source,
    );
    const dryRun = await planScheduleSync(client, edited, 'terreze');
    expect(dryRun.plan).toEqual([
      { scheduleId: 'la-rochelle-collect-enedis-residential-electricity', change: 'unchanged' },
      { scheduleId: 'la-rochelle-collect-sdes-heat-networks', change: 'delete' },
      { scheduleId: 'la-rochelle-cycle', change: 'update' },
    ]);

    await applyScheduleSync(client, edited, 'terreze');
    const cycle = await client.schedule.getHandle('la-rochelle-cycle').describe();
    // 07:00 in Paris on 15 March is 06:00 UTC.
    expect(cycle.info.nextActionTimes[0]?.toISOString()).toBe(nextFifteenthOfMarch(6));
    await expect(
      client.schedule.getHandle('la-rochelle-collect-sdes-heat-networks').describe(),
    ).rejects.toThrow();
  });
});
