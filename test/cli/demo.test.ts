import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/context.js';
import { currentPidNamespace, processRuns } from '../../lib/processes.js';
import type { Simulator } from '../../simulator/index.js';
import { sourceIndex, writeProjectVariant } from '../integration/project-variant.js';
import { providerDataDir } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';
import { startTerreze } from './run-terreze.js';

function recordsOf(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function until(probe: () => boolean): Promise<void> {
  while (!probe()) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * `terreze demo` as an operator runs it, from a folder of their own, stopped by SIGTERM while it
 * collects: the heat file comes from a second simulator that holds its answer for a minute.
 */
describe('the demo stopped by a signal', () => {
  let heldSimulator: Simulator;

  beforeAll(async () => {
    heldSimulator = await startTestSimulator();
  });

  afterAll(async () => {
    await heldSimulator?.close();
  });

  // SIGTERM from a supervisor reaches terreze alone; Ctrl-C in a terminal reaches its group.
  it.each([
    { signal: 'SIGTERM', to: 'the process', code: 143 },
    { signal: 'SIGINT', to: 'its process group', code: 130 },
  ] as const)(
    'on $signal to $to, terminates its cycle, stops worker, simulator and dev server in order, leaves no staged file and exits $code',
    async ({ signal, to, code }) => {
      heldSimulator.faults.add('/sdes/', { kind: 'delay', delayMs: 60_000 }, 1);
      const requestsBefore = heldSimulator.requests.length;
      const projectFile = writeProjectVariant({
        [`sources.${sourceIndex('sdes-heat-networks')}.params.url`]: `${heldSimulator.url}/sdes/reseaux-chaleur-froid-iris/{vintage}.csv`,
      });
      // Another folder than the repository: TERREZE_HOME, relative, is read from it, while the
      // default provider data folder is the installation's.
      const workingDir = mkdtempSync(join(tmpdir(), 'terreze-operator-'));
      const environment: NodeJS.ProcessEnv = {
        TERREZE_HOME: 'home',
        TERREZE_LOG_FORMAT: 'json',
        TEMPORAL_ADDRESS: undefined,
        TERREZE_TASK_QUEUE: undefined,
        TERREZE_PROVIDER_DATA:
          providerDataDir() === resolve(packageRoot, '../shared/data')
            ? undefined
            : providerDataDir(),
      };
      const demo = startTerreze(['--project', projectFile, 'demo'], {
        environment,
        cwd: workingDir,
        // A process group of its own, as a shell gives a job, so that the group can be signalled.
        detached: true,
      });

      await demo.stderrContains('"message":"Temporal dev server started"');
      await until(
        () =>
          heldSimulator.requests.slice(requestsBefore).some((path) => path.startsWith('/sdes/')) ||
          demo.child.exitCode !== null,
      );
      process.kill(to === 'the process' ? demo.child.pid! : -demo.child.pid!, signal);
      const run = await demo.finished;

      const records = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const started = records.find((record) => record.message === 'Temporal dev server started');
      expect(run.code).toBe(code);
      expect(run.stderr.split('\n').at(-2)).toBe(
        `terreze: demo interrupted by ${signal}: its cycle was terminated; the worker, the ` +
          'simulator and the Temporal dev server are stopped',
      );
      expect(run.stdout).toBe('');
      // The dev server outlived the worker: nothing failed for want of Temporal on the way out.
      expect(records.filter((record) => record.level === 'error')).toEqual([]);
      expect(typeof started?.pid).toBe('number');
      expect(processRuns(started?.pid as number)).toBe(false);
      const lake = join(workingDir, 'home', 'la-rochelle', 'lake');
      expect(existsSync(lake)).toBe(true);
      const staging = join(lake, '.staging');
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    },
    180_000,
  );

  it('ends the cycle a killed demo left running before its worker polls, even after a demo refused in between: nothing of it runs again', async () => {
    heldSimulator.faults.add('/sdes/', { kind: 'delay', delayMs: 60_000 }, 1);
    const requestsBefore = heldSimulator.requests.length;
    const projectFile = writeProjectVariant({
      [`sources.${sourceIndex('sdes-heat-networks')}.params.url`]: `${heldSimulator.url}/sdes/reseaux-chaleur-froid-iris/{vintage}.csv`,
    });
    const homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    const environment = {
      TERREZE_HOME: homeDir,
      TERREZE_LOG_FORMAT: 'json',
      TEMPORAL_ADDRESS: undefined,
    };
    const killed = startTerreze(['--project', projectFile, 'demo'], { environment });
    await killed.stderrContains('"message":"demo cycle started"');
    await until(() =>
      heldSimulator.requests.slice(requestsBefore).some((path) => path.startsWith('/sdes/')),
    );
    // SIGKILL leaves no chance to stop anything: its dev server outlives it, and is ended here.
    killed.child.kill('SIGKILL');
    const first = recordsOf((await killed.finished).stderr);
    const devServerPid = first.find((record) => record.message === 'Temporal dev server started')
      ?.pid as number;
    if (processRuns(devServerPid)) process.kill(-devServerPid, 'SIGTERM');
    await until(() => !processRuns(devServerPid));

    // A server on the database (this process stands for it) refuses the next demo, which
    // leaves the killed demo's cycle named for the demo after it.
    const serverLock = join(homeDir, 'temporal', 'dev.sqlite.lock');
    writeFileSync(
      serverLock,
      JSON.stringify({
        pids: [process.pid],
        pidNamespace: currentPidNamespace(),
        command: 'server',
        startedAt: new Date().toISOString(),
        token: 'test-server',
        details: { address: '127.0.0.1:7233' },
      }),
    );
    const refused = await startTerreze(['--project', projectFile, 'demo'], { environment })
      .finished;
    rmSync(serverLock);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n').at(-2)).toBe(
      `terreze: terreze server (pid ${process.pid}) runs a Temporal dev server on ` +
        `${join(homeDir, 'temporal', 'dev.sqlite')}; stop it, or give this demo another ` +
        'TERREZE_HOME, or run on it with TEMPORAL_ADDRESS=127.0.0.1:7233',
    );

    const next = startTerreze(['--project', projectFile, 'demo'], { environment });
    await next.stderrContains('"message":"demo cycle started"');
    next.child.kill('SIGTERM');
    const second = recordsOf((await next.finished).stderr);

    const killedCycle = first.find((record) => record.message === 'demo cycle started')?.workflowId;
    const ended = second.filter(
      (record) => record.message === 'ended the cycle of a demo that was killed',
    );
    expect(ended.map((record) => record.workflowId)).toEqual([killedCycle]);
    // Its collections ended with it: none of them ran again on the new worker.
    const resumed = second.filter(
      (record) =>
        typeof record.workflowId === 'string' && record.workflowId.startsWith(`${killedCycle}/`),
    );
    expect(resumed).toEqual([]);
  }, 180_000);

  it('prints its result and exits 1 naming the source that failed under onSourceFailure: continue', async () => {
    const missingFeed = `${heldSimulator.url}/transport/gtfs/no-such-feed.zip`;
    // One HTML report and no approval keep the run short; the transit feed is the failure.
    const projectFile = writeProjectVariant({
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
    const run = await startTerreze(['--project', projectFile, 'demo'], {
      environment: {
        TERREZE_HOME: mkdtempSync(join(tmpdir(), 'terreze-home-')),
        TERREZE_LOG_FORMAT: 'json',
        TEMPORAL_ADDRESS: undefined,
      },
    }).finished;

    const edition = /^Inventory 2023, edition (\S+)$/m.exec(run.stdout)?.[1];
    expect(run.stdout).toMatch(
      /^ {2}source transit-gtfs +failed +2017 +GET .+ answered 404 Not Found/m,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').at(-2)).toBe(
      `terreze: cycle 2023 produced edition ${edition} without 1 failed source, reported as not ` +
        `estimated: transit-gtfs (GET ${missingFeed} answered 404 Not Found after 1 attempt)`,
    );
  }, 180_000);

  it('refuses a second demo on the same home folder at once (exit 2), and so does a server, while the first runs to its end', async () => {
    // One HTML report and no approval keep the first demo short.
    const projectFile = writeProjectVariant({
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
    const homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    const environment = {
      TERREZE_HOME: homeDir,
      TERREZE_LOG_FORMAT: 'json',
      TEMPORAL_ADDRESS: undefined,
    };
    const first = startTerreze(['--project', projectFile, 'demo'], { environment });
    // Before its dev server starts: two servers on one SQLite file is what the lock prevents.
    await until(() => existsSync(join(homeDir, 'demo.lock')) || first.child.exitCode !== null);
    const second = await startTerreze(['--project', projectFile, 'demo'], { environment }).finished;

    await first.stderrContains('"message":"Temporal dev server started"');
    const serverPid = recordsOf(first.stderr()).find(
      (record) => record.message === 'Temporal dev server started',
    )?.pid;
    const server = await startTerreze(['server', '--port', '7399', '--ui-port', '8399'], {
      environment,
    }).finished;
    const run = await first.finished;

    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr.split('\n').at(-2)).toBe(
      `terreze: another demo (pid ${first.child.pid}) is running on ${homeDir}; stop it, or give ` +
        'this one another TERREZE_HOME',
    );
    expect(server.code).toBe(2);
    expect(server.stderr.split('\n').at(-2)).toBe(
      `terreze: a demo (pid ${first.child.pid}, its dev server pid ${serverPid}) runs a Temporal ` +
        `dev server on ${join(homeDir, 'temporal', 'dev.sqlite')}; stop it, or give this one ` +
        'another TERREZE_HOME',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Inventory 2023, edition \S+$/m);
    expect(recordsOf(run.stderr).filter((record) => record.level === 'error')).toEqual([]);
    // Released on the way out: the next demo may run.
    expect(readdirSync(homeDir).filter((name) => name.endsWith('.lock'))).toEqual([]);
    expect(readdirSync(join(homeDir, 'temporal')).filter((name) => name.endsWith('.lock'))).toEqual(
      [],
    );
  }, 240_000);
});
