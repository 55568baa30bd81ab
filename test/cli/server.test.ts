import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processRuns } from '../../lib/processes.js';
import { freePort } from '../../temporal/dev-server.js';
import { startTerreze } from './run-terreze.js';

/** `terreze server`, a long-running process: what it records, how it stops, how it fails. */
describe('terreze server', () => {
  async function startServer() {
    const homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = startTerreze(['server', '--port', String(port), '--ui-port', String(uiPort)], {
      environment: { TERREZE_HOME: homeDir, TERREZE_LOG_FORMAT: 'json' },
    });
    await server.stdoutContains('Temporal at');
    const record = JSON.parse(readFileSync(join(homeDir, 'temporal', 'server.json'), 'utf8'));
    return { server, port, uiPort, record };
  }

  it.concurrent('records its addresses for the other commands, and stops its dev server on SIGTERM', async () => {
    const { server, port, uiPort, record } = await startServer();
    expect(server.stdout()).toBe(
      `Temporal at 127.0.0.1:${port}, Web UI at http://127.0.0.1:${uiPort}\n`,
    );
    expect(record).toEqual({
      address: `127.0.0.1:${port}`,
      uiUrl: `http://127.0.0.1:${uiPort}`,
      pid: expect.any(Number),
    });

    server.child.kill('SIGTERM');
    const run = await server.finished;
    expect(run.code).toBe(0);
    expect(processRuns(record.pid)).toBe(false);
  });

  it.concurrent('exits 1 saying how its dev server ended when that process dies', async () => {
    const { server, port, record } = await startServer();
    process.kill(record.pid, 'SIGKILL');
    const run = await server.finished;
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').at(-2)).toBe(
      `terreze: the Temporal dev server exited on SIGKILL while serving 127.0.0.1:${port}`,
    );
  });

  it.concurrent('exits 1 with the output of a dev server that ends before it serves', async () => {
    // A folder where the SQLite file should be: the real server cannot open its database.
    const homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    mkdirSync(join(homeDir, 'temporal', 'dev.sqlite'), { recursive: true });
    const port = await freePort();
    const run = await startTerreze(
      ['server', '--port', String(port), '--ui-port', String(await freePort())],
      { environment: { TERREZE_HOME: homeDir } },
    ).finished;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^terreze: the Temporal dev server exited with code 1 before serving on 127\\.0\\.0\\.1:${port}; ` +
          'its last output: .*unable to open database file',
      ),
    );
  });

  it.concurrent('refuses to start without a Temporal CLI, saying where it looked and the ways out', async () => {
    const homeDir = mkdtempSync(join(tmpdir(), 'terreze-home-'));
    const run = await startTerreze(['server', '--port', String(await freePort())], {
      environment: { TERREZE_HOME: homeDir, TERREZE_TEMPORAL_BIN: join(homeDir, 'no-temporal') },
    }).finished;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "terreze: no Temporal CLI found (looked at TERREZE_TEMPORAL_BIN, .tools/temporal-bin/bin/temporal, PATH and Python's scripts folder): run `bash scripts/setup.sh`, set TERREZE_TEMPORAL_BIN to a `temporal` binary, or set TEMPORAL_ADDRESS to use a running cluster",
    );
  });

  it.concurrent('exits 1 when the server refuses a worker (an unknown namespace) rather than hang', async () => {
    const { server, port } = await startServer();
    const worker = await startTerreze(['worker'], {
      environment: {
        TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
        TEMPORAL_NAMESPACE: 'no-such-namespace',
        TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
        TERREZE_LOG_LEVEL: 'error',
      },
    }).finished;
    server.child.kill('SIGTERM');
    await server.finished;
    expect(worker.code).toBe(1);
    expect(worker.stderr.split('\n').at(-2)).toMatch(
      /^terreze: Namespace no-such-namespace was not found or otherwise could not be described: /,
    );
  });
});
