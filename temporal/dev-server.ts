import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { TerrezeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { resolveTemporalBinary } from './binary.js';

/** The embedded Temporal: the CLI's dev server (SQLite persistence, Web UI, Schedules). */

export interface DevServerOptions {
  projectRoot: string;
  databaseFile: string;
  explicitBinary: string | undefined;
  logger: Logger;
  /** 0 picks a free port. */
  port?: number;
  uiPort?: number;
  namespace?: string;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  origin: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilServing(address: string, timeoutMs: number, child: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new TerrezeError(`the Temporal dev server exited with code ${child.exitCode}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new TerrezeError(
    `the Temporal dev server did not answer on ${address} in ${timeoutMs} ms`,
    {
      lastError: String(lastError),
    },
  );
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1. Without a binary on this machine it falls
 * back to the SDK's own download of the same server, which needs internet access.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port || (await freePort());
  const uiPort = options.uiPort || (await freePort());
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${port}`;
  mkdirSync(dirname(options.databaseFile), { recursive: true });

  const binary = resolveTemporalBinary(options.explicitBinary, options.projectRoot);
  if (binary === undefined) {
    options.logger.warn('no Temporal CLI found; downloading the dev server through the SDK', {
      action: 'run the setup script or set TERREZE_TEMPORAL_BIN to avoid the download',
    });
    const environment = await TestWorkflowEnvironment.createLocal({
      server: { ip: '127.0.0.1', port, uiPort, dbFilename: options.databaseFile, namespace },
    });
    return {
      address: environment.connection.options.address,
      uiUrl: `http://127.0.0.1:${uiPort}`,
      origin: 'sdk-download',
      stop: () => environment.teardown(),
    };
  }

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    options.databaseFile,
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  const child = spawn(binary.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });

  try {
    await waitUntilServing(address, options.startTimeoutMs ?? 30_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new TerrezeError(`${(error as Error).message}; its last output: ${stderr.trim()}`);
  }
  options.logger.info('Temporal dev server started', {
    address,
    ui: `http://127.0.0.1:${uiPort}`,
    binary: binary.path,
    origin: binary.origin,
  });

  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    origin: binary.origin,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
