import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { causeLines } from '../../cli/workflow-failure.js';
import { loadProject } from '../../config/project.js';
import { loadSettings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { createLogger } from '../../lib/logger.js';
import type { Simulator } from '../../simulator/index.js';
import type { DevServer } from '../../temporal/dev-server.js';
import { installTemporalRuntime } from '../../temporal/runtime.js';
import { createWorker, workflowsPath } from '../../worker.js';
import { territorialCycleWorkflow } from '../../workflows/index.js';
import type { CycleResult } from '../../workflows/types.js';
import { startTestDevServer } from '../integration/dev-server.js';
import { sourceIndex, writeProjectVariant } from '../integration/project-variant.js';
import { startTestSimulator } from '../support/simulator.js';
import { startTerreze, terreze } from './run-terreze.js';

/**
 * `terreze run cycle` and `terreze collect` on a real dev server, simulator and worker, with
 * the transit feed pointed at a file the simulator does not have: what the operator reads when
 * a workflow fails, when a source fails under `onSourceFailure: continue`, when a year has no
 * data, and when the cycle of the year already runs.
 */
// The bundler's own progress lines are not what these tests read.
const quietBundler = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('the cycle and collections through the terreze command', () => {
  const taskQueue = `cli-cycle-${Date.now()}`;
  let server: DevServer;
  let simulator: Simulator;
  let connection: Connection;
  let client: Client;
  let workflowBundle: { code: string };
  const workers: { stop(): Promise<void> }[] = [];
  let homeDir: string;
  let projectFile: string;
  let environment: NodeJS.ProcessEnv;
  let missingFeed: string;

  beforeAll(async () => {
    server = await startTestDevServer();
    simulator = await startTestSimulator();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    missingFeed = `${simulator.url}/transport/gtfs/no-such-feed.zip`;
    // One short report and no approval keep the cycle lean; the failure is the transit feed.
    projectFile = writeProjectVariant({
      [`sources.${sourceIndex('transit-gtfs')}.params.url`]: missingFeed,
      reports: [
        {
          id: 'public-summary',
          template: 'builtin:public-summary',
          title: 'Public summary',
          audiences: ['public'],
          formats: ['html'],
        },
      ],
      'operations.approval.reports': [],
    });
    environment = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_UI_URL: server.uiUrl,
      TERREZE_TASK_QUEUE: taskQueue,
      TERREZE_SIMULATOR_URL: simulator.url,
      TERREZE_HOME: homeDir,
      TERREZE_LOG_FORMAT: 'json',
    };

    installTemporalRuntime(createLogger({ level: 'error' }));
    workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quietBundler });
    workers.push(await startWorker(taskQueue));
  }, 120_000);

  afterAll(async () => {
    for (const started of workers) await started.stop();
    await connection?.close();
    await simulator?.close();
    await server?.stop();
  });

  /** A real worker in this process polling `queue`, with the project variant. */
  async function startWorker(queue: string) {
    const { worker, connection: workerConnection } = await createWorker({
      address: server.address,
      namespace: 'default',
      taskQueue: queue,
      workflowBundle,
      dependencies: {
        settings: loadSettings({ ...process.env, ...environment }),
        loaded: loadProject(projectFile, connectors, { ...process.env, ...environment }),
        connectors,
        logger: createLogger({ level: 'error' }),
      },
    });
    const running = worker.run();
    return {
      stop: async () => {
        worker.shutdown();
        await running;
        await workerConnection.close();
      },
    };
  }

  const pageOf = (workflowId: string, runId: string) =>
    `${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;

  it('follows the year’s running cycle, then exits 1 naming the failed source, the edition produced', async () => {
    // Started first on a task queue nobody polls yet, so that the command finds it running.
    const workflowId = 'la-rochelle/cycle/2023';
    const heldQueue = `${taskQueue}-held`;
    const held = await client.workflow.start(territorialCycleWorkflow, {
      workflowId,
      taskQueue: heldQueue,
      args: [{ reportingYear: 2023 }],
    });
    const command = startTerreze(
      ['--project', projectFile, 'run', 'cycle', '--year', '2023', '--json'],
      {
        environment,
      },
    );
    await command.stderrContains('is already running');
    // A worker for its queue: the cycle runs now, and the command follows it to its end.
    workers.push(await startWorker(heldQueue));
    const run = await command.finished;

    const result = JSON.parse(run.stdout) as CycleResult;
    const transit = result.sources.find((source) => source.sourceId === 'transit-gtfs');
    expect(transit?.state).toBe('failed');
    expect(transit?.message).toBe(`GET ${missingFeed} answered 404 Not Found after 1 attempt`);
    expect(existsSync(join(result.inventory.editionDir, 'edition.json'))).toBe(true);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `cycle 2023 is already running: following it (workflow ${workflowId}, run ` +
        `${held.firstExecutionRunId}; Web UI: ${pageOf(workflowId, held.firstExecutionRunId)})\n`,
    );
    const expected =
      `terreze: cycle 2023 produced edition ${result.inventory.editionId} without 1 failed ` +
      `source, reported as not estimated: transit-gtfs (${transit?.message})\n`;
    expect(run.stderr.slice(-expected.length)).toBe(expected);
  }, 120_000);

  it('prints the cause chain of a failed collection, innermost first, with its Web UI page', async () => {
    const run = await terreze(
      ['--project', projectFile, 'collect', 'transit-gtfs', '--year', '2023'],
      {
        environment,
      },
    );
    const workflowId = 'la-rochelle/collect/transit-gtfs/2017';
    const runId = (await client.workflow.getHandle(workflowId).describe()).runId;
    expect(run.code).toBe(1);
    // The progress lines come first; the error closes the output.
    const expected =
      `terreze: collection of transit-gtfs 2017 failed: GET ${missingFeed} answered 404 Not ` +
      'Found after 1 attempt (NonRetryableConnectorError)\n' +
      '  in activity fetchSource, not retried: a failure no retry can mend\n' +
      `  workflow ${workflowId}, run ${runId}; Web UI: ${pageOf(workflowId, runId)}\n`;
    expect(run.stderr.slice(-expected.length)).toBe(expected);
  }, 60_000);

  it('collects the period it is given rather than the vintage of a reporting year', async () => {
    const run = await terreze(
      [
        '--project',
        projectFile,
        'collect',
        'sinoe-recycling-centres',
        '--period',
        '2015',
        '--json',
      ],
      { environment },
    );
    expect(run.code).toBe(0);
    // 17 rows of département 17 in 2015 in the SINOE file (counted with python's csv module).
    expect(JSON.parse(run.stdout)).toMatchObject({
      sourceId: 'sinoe-recycling-centres',
      period: '2015',
      rows: 17,
      replaced: 'new',
    });
  }, 60_000);

  it('fails a cycle whose year no activity source covers, naming the sources and their vintages', async () => {
    // --period names the same as --year for a cycle.
    const run = await terreze(['--project', projectFile, 'run', 'cycle', '--period', '1999'], {
      environment,
    });
    const workflowId = 'la-rochelle/cycle/1999';
    const runId = (await client.workflow.getHandle(workflowId).describe()).runId;
    expect(run.code).toBe(1);
    const expected =
      'terreze: cycle 1999 failed: cycle 1999 has no activity data: no energy, transport or ' +
      'waste source has a vintage on or before 1999; their vintages: ' +
      'enedis-residential-electricity (2023), sdes-heat-networks (2020, 2023), ' +
      'transit-gtfs (2016, 2017), sinoe-recycling-centres (2009, 2011, 2013, 2015, 2017) ' +
      '(NoActivityData)\n' +
      `  workflow ${workflowId}, run ${runId}; Web UI: ${pageOf(workflowId, runId)}\n`;
    expect(run.stderr.slice(-expected.length)).toBe(expected);
  }, 60_000);

  it('refuses, at the plan, a reporting year after the current one in the territory', async () => {
    // The command refuses such a year itself; this is the path of any other client.
    const nextYear =
      Number(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric' }).format(),
      ) + 1;
    const failure = await client.workflow
      .execute(territorialCycleWorkflow, {
        workflowId: `future-cycle-${Date.now()}`,
        taskQueue,
        args: [{ reportingYear: nextYear }],
      })
      .catch((error: unknown) => error);
    expect(causeLines(failure)).toEqual([
      `reporting year ${nextYear} is after the current year ${nextYear - 1} in Europe/Paris: it ` +
        'has no data yet (ReportingYearInFuture)',
      'in activity planCycle, not retried: a failure no retry can mend',
    ]);
  }, 60_000);
});
