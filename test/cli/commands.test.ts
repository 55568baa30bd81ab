import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, freePort } from '../../temporal/dev-server.js';
import { startTestDevServer } from '../integration/dev-server.js';
import { writeProjectVariant } from '../integration/project-variant.js';
import { terreze as runTerreze } from './run-terreze.js';

describe('the terreze command, for people and scripts', () => {
  let server: DevServer;
  let connection: Connection;
  let client: Client;
  const taskQueue = `cli-${Date.now()}`;
  let environment: NodeJS.ProcessEnv;

  const terreze = (args: string[]) => runTerreze(args, { environment });

  beforeAll(async () => {
    server = await startTestDevServer();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    environment = {
      TEMPORAL_ADDRESS: server.address,
      TERREZE_TASK_QUEUE: taskQueue,
      TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
      TERREZE_HOME: mkdtempSync(join(tmpdir(), 'terreze-home-')),
      TERREZE_LOG_FORMAT: 'json',
    };
  }, 60_000);

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it.concurrent('exits 2 on a schedule at a local time that a DST change skips, naming file, line and path', async () => {
    const file = writeProjectVariant({ 'cycle.schedule': { cron: ['30 2 * * *'] } });
    const run = await terreze(['--project', file, 'check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^invalid configuration in ${file}\\n  ${file}:\\d+ cycle\\.schedule\\.cron\\[0\\]: a time that exists every day it fires; "30 2 \\* \\* \\*" fires between 02:00 and 03:00`,
      ),
    );
  });

  it.concurrent('exits 2 when the approvals name a report the file does not declare', async () => {
    const file = writeProjectVariant({ 'operations.approval.reports': ['minutes'] });
    const run = await terreze(['--project', file, 'check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /:\d+ operations\.approval\.reports\[0\]: one of the reports committee, public-summary; "minutes" is not declared\n/,
    );
  });

  it.concurrent('exits 3 on a source the project does not declare, listing those it does', async () => {
    const run = await terreze(['collect', 'gas-grid', '--year', '2023']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('terreze: no source "gas-grid" in ');
    expect(run.stderr).toContain('sources: enedis-residential-electricity, sdes-heat-networks');
  });

  it.concurrent('exits 4 and says which worker to start when no worker polls the task queue', async () => {
    const run = await terreze(['run', 'cycle', '--year', '2023']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `terreze: no worker polls task queue ${taskQueue}: start one with \`terreze worker --task-queue ${taskQueue}\`\n`,
    );
  });

  it('syncs the schedules, then lists them as JSON', async () => {
    const sync = await terreze(['schedules', 'sync', '--json']);
    expect(sync.code).toBe(0);
    const listed = JSON.parse((await terreze(['schedules', 'list', '--json'])).stdout);
    expect(
      listed.map((entry: { scheduleId: string; paused: boolean }) => [
        entry.scheduleId,
        entry.paused,
      ]),
    ).toEqual([
      ['la-rochelle-collect-enedis-residential-electricity', false],
      ['la-rochelle-collect-sdes-heat-networks', false],
      ['la-rochelle-cycle', false],
    ]);
  });

  it('pauses a schedule by its short name with a note, and describes it', async () => {
    const pause = await terreze([
      'schedules',
      'pause',
      'cycle',
      '--note',
      'providers late this year',
    ]);
    expect(pause.stdout).toBe('la-rochelle-cycle paused: providers late this year\n');
    const described = JSON.parse(
      (await terreze(['schedules', 'describe', 'cycle', '--json'])).stdout,
    );
    expect(described).toMatchObject({
      scheduleId: 'la-rochelle-cycle',
      paused: true,
      note: 'providers late this year',
      timeZone: 'Europe/Paris',
      workflowType: 'scheduledCycleWorkflow',
      actionsTaken: 0,
      missedRuns: [],
    });
    const missing = await terreze(['schedules', 'describe', 'gas-grid']);
    expect(missing.code).toBe(3);
  });

  it('sums up schedules and task queues in status, naming the queue without a worker', async () => {
    const run = await terreze(['status', '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.schedules.map((entry: { scheduleId: string }) => entry.scheduleId)).toEqual([
      'la-rochelle-collect-enedis-residential-electricity',
      'la-rochelle-collect-sdes-heat-networks',
      'la-rochelle-cycle',
    ]);
    expect(status.runningCycles).toEqual([]);
    expect(status.approvalsAwaiting).toEqual([]);
    expect(status.taskQueues).toEqual([{ name: taskQueue, workers: false }]);
  });

  it('previews a backfill of the cycle: the reporting year each scheduled 15 March covers', async () => {
    const run = await terreze([
      'backfill',
      'cycle',
      '--from',
      '2022',
      '--to',
      '2024',
      '--dry-run',
      '--json',
    ]);
    expect(run.code).toBe(0);
    // 06:00 in Paris on 15 March is 05:00 UTC; each run reports on the year before.
    expect(JSON.parse(run.stdout).periods).toEqual([
      { scheduledAt: '2022-03-15T05:00:00.000Z', period: '2021' },
      { scheduledAt: '2023-03-15T05:00:00.000Z', period: '2022' },
      { scheduledAt: '2024-03-15T05:00:00.000Z', period: '2023' },
    ]);
  });

  it.concurrent('lists no approval as an empty JSON array, and exits 3 approving an unknown edition', async () => {
    expect(JSON.parse((await terreze(['approvals', 'list', '--json'])).stdout)).toEqual([]);
    const run = await terreze([
      'approve',
      'committee-committee-123',
      '--by',
      'A',
      '--comment',
      'B',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no approval for "committee-committee-123"');
  });

  it.concurrent('refuses to start a dev server on a port another server holds, naming it', async () => {
    const port = server.address.split(':')[1]!;
    const run = await terreze(['server', '--port', port, '--ui-port', String(await freePort())]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `terreze: port ${port} of 127.0.0.1 (the gRPC port) is already in use, perhaps by another ` +
        'Temporal server: stop that process, or choose a free one with `terreze server --port ' +
        '<port>` and give the other commands TEMPORAL_ADDRESS=127.0.0.1:<port>\n',
    );
  });

  it('refuses a sync with an hour 25 or an unknown time zone, leaving the schedules as they were', async () => {
    const handle = client.schedule.getHandle('la-rochelle-cycle');
    const before = await handle.describe();
    const badHour = writeProjectVariant({ 'cycle.schedule.cron': ['0 25 15 3 *'] });
    const badZone = writeProjectVariant({ 'territory.timeZone': 'Europe/Pariss' });
    const [hourRun, zoneRun] = await Promise.all([
      terreze(['--project', badHour, 'schedules', 'sync']),
      terreze(['--project', badZone, 'schedules', 'sync']),
    ]);

    expect(hourRun.code).toBe(2);
    expect(hourRun.stderr).toMatch(
      new RegExp(
        `^invalid configuration in ${badHour}\\n  ${badHour}:\\d+ cycle\\.schedule\\.cron\\[0\\]: ` +
          'a five-field cron expression: hour "25" is not a number from 0 to 23\\n$',
      ),
    );
    expect(zoneRun.code).toBe(2);
    expect(zoneRun.stderr).toMatch(
      new RegExp(
        `^invalid configuration in ${badZone}\\n  ${badZone}:\\d+ territory\\.timeZone: ` +
          'an IANA time zone such as Europe/Paris; "Europe/Pariss" is unknown\\n$',
      ),
    );
    const after = await handle.describe();
    expect([after.spec, after.info.lastUpdatedAt]).toEqual([
      before.spec,
      before.info.lastUpdatedAt,
    ]);
  });

  it('updates a changed schedule in place, keeping its creation and a pause made by hand', async () => {
    const handle = client.schedule.getHandle('la-rochelle-cycle');
    const before = await handle.describe();
    const edited = writeProjectVariant({ 'cycle.schedule.cron': ['0 7 15 3 *'] });

    const dryRun = await terreze(['--project', edited, 'schedules', 'sync', '--dry-run']);
    expect(dryRun.stdout).toBe(
      'unchanged la-rochelle-collect-enedis-residential-electricity\n' +
        'unchanged la-rochelle-collect-sdes-heat-networks\n' +
        'would update la-rochelle-cycle\n',
    );
    const sync = await terreze(['--project', edited, 'schedules', 'sync']);
    expect(sync.stdout).toBe(
      'unchanged la-rochelle-collect-enedis-residential-electricity\n' +
        'unchanged la-rochelle-collect-sdes-heat-networks\n' +
        'update la-rochelle-cycle\n',
    );

    const after = await handle.describe();
    expect(after.info.createdAt).toEqual(before.info.createdAt);
    // 07:00 in Paris on 15 March is 06:00 UTC.
    expect(after.info.nextActionTimes[0]?.toISOString().slice(10)).toBe('T06:00:00.000Z');
    expect([after.state.paused, after.state.note]).toEqual([true, 'providers late this year']);
    const again = await terreze(['--project', edited, 'schedules', 'sync', '--dry-run']);
    expect(again.stdout).toContain('unchanged la-rochelle-cycle\n');
  });
});
