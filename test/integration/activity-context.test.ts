import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { demoProjectFile } from '../../cli/context.js';
import type { LoadedProject } from '../../config/project.js';
import { ConnectorError } from '../../lib/errors.js';
import { currentPidNamespace } from '../../lib/processes.js';
import type { Simulator } from '../../simulator/index.js';
import type { StagedPartition } from '../../workflows/types.js';
import { type LakeScenario, lakeScenario, testProject } from '../connectors/lake-scenario.js';
import { startTestSimulator } from '../support/simulator.js';

/**
 * The collection activities inside an activity context, as a worker gives them: they heartbeat
 * while they read, and a cancellation (the workflow cancelled, the worker shutting down) stops
 * the download and leaves nothing staged or landed.
 */

const feedPath = '/transport/gtfs/frioul-if-express.zip';

describe('collection activities in an activity context', () => {
  let simulator: Simulator;
  let scenario: LakeScenario;
  let loaded: LoadedProject;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    const demo = parse(readFileSync(demoProjectFile, 'utf8')) as {
      sources: { id: string; params: Record<string, unknown> }[];
    };
    const transit = demo.sources.find((source) => source.id === 'transit-gtfs')!;
    const project = await testProject([
      { ...transit, params: { url: `${simulator.url}${feedPath}` } },
    ]);
    cleanup = project.cleanup;
    loaded = project.loaded;
    scenario = await lakeScenario(loaded, { sourceId: 'transit-gtfs', vintage: 2017 });
  });

  afterAll(async () => {
    await scenario?.cleanup();
    await cleanup?.();
    await simulator?.close();
  });

  const input = (runId: string) => ({
    sourceId: 'transit-gtfs',
    period: '2017',
    vintage: 2017,
    runId,
    workflowId: undefined,
  });

  it('heartbeats what it has read: the download, the feed parsed, then its 92 route-days', async () => {
    const environment = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    environment.on('heartbeat', (details: unknown) => heartbeats.push(details));

    const staged = (await environment.run(
      scenario.activities.fetchSource,
      input('run-heartbeat'),
    )) as StagedPartition;

    expect(staged.rows).toBe(92);
    const url = `${simulator.url}${feedPath}`;
    // 3,318 bytes: the size of the feed's zip in the provider data folder.
    expect(heartbeats).toEqual([
      { downloading: url },
      { downloaded: url, bytes: 3318 },
      { parsed: url },
      { rows: 92 },
      { rows: 92 },
    ]);
  });

  it('stops a download on cancellation, with nothing staged and nothing landed', async () => {
    simulator.faults.add(feedPath, { kind: 'delay', delayMs: 20_000 });
    const cancelled = await lakeScenario(loaded, { sourceId: 'transit-gtfs', vintage: 2017 });
    const environment = new MockActivityEnvironment();
    const fetching = environment.run(cancelled.activities.fetchSource, input('run-cancelled'));
    setTimeout(() => environment.cancel(), 300);

    const error = await fetching.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toBe(`GET ${simulator.url}${feedPath} cancelled`);
    await cancelled.assertNothingLanded();
    const scratch = join(cancelled.lake, '..', 'tmp');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
    await cancelled.cleanup();
  });

  it('removes what a killed fetch left in the scratch folder, and no folder of a live fetch', async () => {
    const sweeping = await lakeScenario(loaded, { sourceId: 'transit-gtfs', vintage: 2017 });
    const scratch = join(sweeping.lake, '..', 'tmp');
    const owner = (pid: number) => JSON.stringify({ pid, pidNamespace: currentPidNamespace() });
    // A worker killed mid-download an hour ago; one killed a moment ago (its pid ended); a
    // fetch of this process, still running.
    const left = {
      old: 'transit-gtfs-old',
      killed: 'transit-gtfs-killed',
      live: 'transit-gtfs-live',
    };
    for (const name of Object.values(left)) {
      await mkdir(join(scratch, name), { recursive: true });
      await writeFile(join(scratch, name, 'frioul-if-express.zip'), 'PK partial');
    }
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(join(scratch, left.killed, '.owner.json'), owner(Number(ended.stdout)));
    await writeFile(join(scratch, left.live, '.owner.json'), owner(process.pid));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(scratch, left.old), anHourAgo, anHourAgo);

    const staged = (await new MockActivityEnvironment().run(
      sweeping.activities.fetchSource,
      input('run-sweep'),
    )) as StagedPartition;

    expect(staged.rows).toBe(92);
    expect(readdirSync(scratch)).toEqual([left.live]);
    await sweeping.cleanup();
  });
});
