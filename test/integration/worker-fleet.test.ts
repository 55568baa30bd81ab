import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectActivities } from '../../activities/collect.js';
import { packageRoot } from '../../cli/context.js';
import { loadProject } from '../../config/project.js';
import { loadSettings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { readCurrentManifest } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { createLogger } from '../../lib/logger.js';
import type { Simulator } from '../../simulator/index.js';
import type { DevServer } from '../../temporal/dev-server.js';
import { installTemporalRuntime } from '../../temporal/runtime.js';
import { createWorker } from '../../worker.js';
import { collectSourceWorkflow, territorialCycleWorkflow } from '../../workflows/index.js';
import { startTestSimulator } from '../support/simulator.js';
import { startTestDevServer } from './dev-server.js';
import { writeProjectVariant } from './project-variant.js';

interface WorkerProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/** A real `terreze worker` process, its JSON log lines parsed as they come. */
function spawnWorker(projectFile: string, environment: NodeJS.ProcessEnv, queues: string[]) {
  const args = ['bin/terreze.js', '--project', projectFile, 'worker'];
  for (const queue of queues) args.push('--task-queue', queue);
  const child = spawn(process.execPath, args, {
    cwd: packageRoot,
    env: { ...process.env, ...environment, TERREZE_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const record = JSON.parse(line) as Record<string, unknown>;
          logs.push(record);
          if (record.message === 'worker polling') resolve();
        } catch {
          // Not a log record (a stack trace): kept out of the parsed logs.
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before polling`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, logs, ready, exited } satisfies WorkerProcess;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing after ${timeoutMs} ms`);
}

describe('a fleet of worker processes on named task queues', () => {
  const queue = `fleet-${Date.now()}`;
  const energyQueue = `${queue}-energy`;
  let server: DevServer;
  let simulator: Simulator;
  let connection: Connection;
  let client: Client;
  let projectFile: string;
  let homeDir: string;
  let environment: NodeJS.ProcessEnv;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await startTestDevServer();
    simulator = await startTestSimulator();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
    homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    projectFile = writeProjectVariant({
      operations: {
        taskQueues: { domains: { energy: energyQueue } },
        // A dead worker is noticed after 2 s without heartbeat, and retried half a second later.
        collection: { heartbeatTimeout: '2 seconds', retry: { initialInterval: '500ms' } },
      },
    });
    environment = {
      TEMPORAL_ADDRESS: server.address,
      TERREZE_SIMULATOR_URL: simulator.url,
      TERREZE_HOME: homeDir,
      TERREZE_TASK_QUEUE: queue,
    };
    for (let index = 0; index < 2; index += 1) {
      workers.push(spawnWorker(projectFile, environment, [queue, energyQueue]));
    }
    await Promise.all(workers.map((worker) => worker.ready));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await connection?.close();
    await simulator?.close();
    await server?.stop();
  });

  it('finishes the cycle on the other worker when one is killed mid-fetch, with the clean run’s partition', async () => {
    // The heat file answers after 6 s: long enough for the kill to land while it is fetched.
    simulator.faults.add('/sdes/', { kind: 'delay', delayMs: 6_000 }, 1);
    const cycleId = `fleet-cycle-${Date.now()}`;
    const cycle = await client.workflow.start(territorialCycleWorkflow, {
      workflowId: cycleId,
      taskQueue: queue,
      args: [{ reportingYear: 2023 }],
    });

    const child = client.workflow.getHandle(`${cycleId}/collect/sdes-heat-networks`);
    const identity = await until(async () => {
      if (!simulator.requests.some((path) => path.startsWith('/sdes/'))) return undefined;
      const pending = (await child.describe()).raw.pendingActivities ?? [];
      return pending[0]?.lastWorkerIdentity ?? undefined;
    }, 30_000);
    const victim = workers.find((worker) => identity.startsWith(`${worker.child.pid}@`))!;
    const survivor = workers.find((worker) => worker !== victim)!;
    victim.child.kill('SIGKILL');

    const result = await cycle.result();
    const heat = result.sources.find((source) => source.sourceId === 'sdes-heat-networks');
    expect(result.sources.map((source) => source.state)).toEqual([
      'done',
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(heat).toMatchObject({ state: 'done', rows: 3646, attempts: 2 });
    expect((await child.describe()).taskQueue).toBe(energyQueue);

    const history = await child.fetchHistory();
    const starts = (history.events ?? [])
      .map((event) => event.activityTaskStartedEventAttributes)
      .filter((started) => started?.attempt !== undefined && started.attempt !== null);
    expect(starts[0]?.attempt).toBe(2);
    expect(starts[0]?.identity).toMatch(new RegExp(`^${survivor.child.pid}@`));
    expect(await victim.exited).toBeNull();
    // The victim's partial download went with its scratch folder, swept by the retried fetch.
    expect(readdirSync(join(homeDir, 'la-rochelle', 'tmp'))).toEqual([]);

    // The survivor's JSON logs say which workflow, run, source, period and attempt they are about.
    const fetched = survivor.logs.find(
      (record) => record.message === 'source fetched' && record.source === 'sdes-heat-networks',
    );
    expect(fetched).toMatchObject({
      workflowId: `${cycleId}/collect/sdes-heat-networks`,
      activity: 'fetchSource',
      attempt: 2,
      period: '2023',
      taskQueue: energyQueue,
    });
    expect(fetched?.runId).toEqual(expect.any(String));

    // The clean run: the same collection, in this process, into a home of its own.
    const cleanHome = mkdtempSync(join(tmpdir(), 'terreze-clean-'));
    const loaded = loadProject(projectFile, connectors, {
      ...process.env,
      TERREZE_SIMULATOR_URL: simulator.url,
    });
    const clean = createCollectActivities({
      settings: loadSettings({ ...process.env, TERREZE_HOME: cleanHome }),
      loaded,
      connectors,
      logger: createLogger({ level: 'error' }),
    });
    const staged = await clean.fetchSource({
      sourceId: 'sdes-heat-networks',
      period: '2023',
      vintage: 2023,
      runId: 'clean',
      workflowId: undefined,
    });
    await clean.validatePartition(staged);
    const cleanSummary = await clean.landPartition(staged);

    const lake = join(homeDir, 'la-rochelle', 'lake');
    const manifest = await readCurrentManifest(lake, 'sdes-heat-networks', '2023');
    expect([manifest?.sha256, manifest?.rows]).toEqual([cleanSummary.sha256, cleanSummary.rows]);
    const folder = join(lake, 'sdes-heat-networks', '2023');
    const files = readdirSync(folder).filter((name) => name.endsWith('.parquet'));
    expect(files).toEqual([`data-${cleanSummary.sha256}.parquet`]);
    const database = await openDatabase();
    const counts = await database.connection.runAndReadAll(
      `select count(*)::integer, (select count(*)::integer from (select distinct * from read_parquet(${quoteLiteral(join(folder, files[0]!))})))
       from read_parquet(${quoteLiteral(join(folder, files[0]!))})`,
    );
    database.close();
    // 3646 rows in the 2023 SDES file for the territory's IRIS, as the cycle test derives them.
    expect(counts.getRows()[0]).toEqual([3646, 3646]);
  }, 120_000);

  it('lets a worker stopped by SIGTERM finish its running fetch, then exit 0', async () => {
    const survivor = workers.find(
      (worker) => worker.child.exitCode === null && worker.child.signalCode === null,
    )!;
    const requestsBefore = simulator.requests.length;
    simulator.faults.add('/sdes/', { kind: 'delay', delayMs: 3_000 }, 1);
    const handle = await client.workflow.start(collectSourceWorkflow, {
      workflowId: `fleet-sigterm-${Date.now()}`,
      taskQueue: energyQueue,
      args: [{ sourceId: 'sdes-heat-networks', period: '2023', vintage: 2023 }],
    });
    // The fetch waits 3 s for the provider, longer than the 2 s heartbeat timeout: the worker's
    // own heartbeats keep that attempt alive, so it is the only one.
    await until(
      async () =>
        simulator.requests.slice(requestsBefore).some((path) => path.startsWith('/sdes/')) ||
        undefined,
      30_000,
    );
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(survivor.logs.some((record) => record.message === 'worker stopped')).toBe(true);

    // The fetch finished on the stopping worker; a new worker carries the workflow on.
    installTemporalRuntime(createLogger({ level: 'error' }));
    const loaded = loadProject(projectFile, connectors, {
      ...process.env,
      TERREZE_SIMULATOR_URL: simulator.url,
    });
    const { worker, connection: workerConnection } = await createWorker({
      address: server.address,
      namespace: 'default',
      taskQueue: energyQueue,
      dependencies: {
        settings: loadSettings({ ...process.env, TERREZE_HOME: homeDir }),
        loaded,
        connectors,
        logger: createLogger({ level: 'error' }),
      },
    });
    const summary = await worker.runUntil(handle.result());
    await workerConnection.close();
    expect([summary.rows, summary.replaced]).toEqual([3646, 'identical']);

    const history = await handle.fetchHistory();
    const fetches = (history.events ?? []).filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchSource',
    );
    const started = (history.events ?? []).map((event) => event.activityTaskStartedEventAttributes);
    expect(fetches).toHaveLength(1);
    expect(started.find((event) => event)?.attempt).toBe(1);
    expect(started.find((event) => event)?.identity).toMatch(new RegExp(`^${survivor.child.pid}@`));
  }, 90_000);
});
