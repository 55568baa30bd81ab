import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createDataFair } from './apis/data-fair.js';
import { dropReply } from './apis/drops.js';
import { createGbfs } from './apis/gbfs.js';
import { createLaRochelle } from './apis/larochelle.js';
import { createPatterns } from './apis/patterns.js';
import { assertDataFolder, MissingDataFileError } from './data-files.js';
import { createFaultController, type Fault, type FaultController } from './faults.js';
import { fileReply } from './files.js';
import { createOdsPortals } from './ods/portal.js';
import { jsonReply, notFound, type Reply } from './reply.js';
import { changeColumn, shiftTotals } from './transform.js';

/**
 * The providers' simulator: one HTTP server on 127.0.0.1 serving the real files of the data
 * folder in each provider's API shape, with faults a test can switch on.
 */

export interface SimulatorOptions {
  /** Folder of the providers' files (`../shared/data` in this project). */
  dataDir: string;
  /** Port to listen on; 0 (the default) takes a free one. */
  port?: number;
  /** The one key the Yélo API accepts (`X-Cda-Lr-Api-Key`); `TERREZE_YELO_API_KEY` by default. */
  yeloApiKey?: string;
  /**
   * The folder holds only some of the served files (a test serving an edited copy of one):
   * start anyway, and answer 404 for the routes whose file is not there.
   */
  partialData?: boolean;
}

/** The Yélo key when neither the options nor the environment give one. */
export const defaultYeloApiKey = 'simulator-yelo-key';

export interface Simulator {
  /** Base URL, such as `http://127.0.0.1:41234`, without a trailing slash. */
  url: string;
  faults: FaultController;
  /** Paths (with query) of every request received, in order; for tests counting attempts. */
  requests: readonly string[];
  close(): Promise<void>;
}

function quotaReply(retryAfterSeconds: number): Reply {
  const reply = jsonReply(429, {
    errorcode: 10002,
    reset_time: new Date(Date.now() + retryAfterSeconds * 1000).toISOString(),
    limit_time_unit: 'minute',
    call_limit: 1000,
    error: 'Too many requests on the domain. Please contact the domain administrator.',
  });
  // The header counts whole seconds; the body's date may ask for a fraction of one.
  reply.headers['retry-after'] = String(Math.ceil(retryAfterSeconds));
  return reply;
}

function statusReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
  if (fault.status === 429) {
    const reply = quotaReply(fault.retryAfterSeconds ?? 1);
    if (fault.retryAfterIn === 'body') delete reply.headers['retry-after'];
    return reply;
  }
  const reply = jsonReply(fault.status, {
    message: `simulated answer ${fault.status}`,
    error_code: 'SimulatedFault',
  });
  if (fault.retryAfterSeconds !== undefined) {
    reply.headers['retry-after'] = String(fault.retryAfterSeconds);
  }
  return reply;
}

function write(response: ServerResponse, reply: Reply, fault: Fault | undefined): void {
  response.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(reply.body.byteLength),
  });
  if (fault?.kind !== 'truncate') {
    response.end(reply.body);
    return;
  }
  // Flush part of the body, then drop the connection while the client still waits for the rest.
  const sentBytes = Math.min(
    fault.sentBytes ?? Math.floor(reply.body.byteLength / 2),
    reply.body.byteLength - 1,
  );
  response.write(reply.body.subarray(0, Math.max(0, sentBytes)), () => response.socket?.destroy());
}

/**
 * Starts the simulator on 127.0.0.1 and resolves once it listens. A data folder that does not
 * exist, or lacks a served file (unless `partialData`), is a `ProviderDataError` listing them.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const dataDir = resolve(options.dataDir);
  assertDataFolder(dataDir, options.partialData);
  const faults = createFaultController();
  const portals = createOdsPortals(dataDir);
  const dataFair = createDataFair(dataDir);
  const gbfs = createGbfs(dataDir);
  const patterns = createPatterns(dataDir);
  const laRochelle = createLaRochelle(
    dataDir,
    options.yeloApiKey ?? (process.env.TERREZE_YELO_API_KEY || defaultYeloApiKey),
  );
  const requests: string[] = [];
  let base = '';

  async function answer(url: URL, headers: IncomingHttpHeaders, loop: boolean): Promise<Reply> {
    return (
      (await portals.reply(url)) ??
      (await dataFair(url, base, loop)) ??
      (await laRochelle(url, headers, loop)) ??
      (await gbfs(url, base)) ??
      (await patterns(url, base, loop)) ??
      (await dropReply(dataDir, url)) ??
      (await fileReply(dataDir, url)) ??
      notFound(url.pathname)
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const fault = faults.take(url.pathname);

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      write(
        response,
        jsonReply(405, { error: 'method_not_allowed', method: request.method }),
        undefined,
      );
      return;
    }
    if (fault?.kind === 'status') {
      write(response, statusReply(fault), undefined);
      return;
    }
    if (fault?.kind === 'delay') await new Promise((done) => setTimeout(done, fault.delayMs));
    if (response.destroyed) return;

    let reply: Reply;
    try {
      reply = await answer(url, request.headers, fault?.kind === 'loop');
      if (fault?.kind === 'total' && reply.status === 200) reply = shiftTotals(reply, fault.delta);
      if (fault?.kind === 'schema' && reply.status === 200) {
        reply = changeColumn(reply, fault.column, fault.to);
      }
    } catch (error) {
      // A missing file is not a transient failure: 404, so that no client retries it.
      reply =
        error instanceof MissingDataFileError
          ? notFound(url.pathname, error.message)
          : jsonReply(500, { error: 'simulator_failure', message: String(error) });
    }
    write(response, reply, fault);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
