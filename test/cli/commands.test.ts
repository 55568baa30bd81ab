import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/context.js';
import type { DevServer } from '../../temporal/dev-server.js';
import { startTestDevServer } from '../integration/dev-server.js';
import { writeProjectVariant } from '../integration/project-variant.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the terreze command, for people and scripts', () => {
  let server: DevServer;
  const taskQueue = `cli-${Date.now()}`;
  let environment: NodeJS.ProcessEnv;

  const terreze = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['bin/terreze.js', ...args], {
        cwd: packageRoot,
        env: { ...process.env, ...environment },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    server = await startTestDevServer();
    environment = {
      TEMPORAL_ADDRESS: server.address,
      TERREZE_TASK_QUEUE: taskQueue,
      TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
      TERREZE_HOME: mkdtempSync(join(tmpdir(), 'terreze-home-')),
      TERREZE_LOG_FORMAT: 'json',
    };
  }, 60_000);

  afterAll(async () => {
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
});
