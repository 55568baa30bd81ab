import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import ky, { type KyInstance, TimeoutError } from 'ky';
import type { FetchedResource } from '../connectors/contract.js';
import { ConnectorError, errorMessage } from './errors.js';
import {
  backoffMs,
  type Clock,
  createRequestBudget,
  isRetryableStatus,
  redactor,
  resetTimeMs,
  retryAfterMs,
  systemClock,
} from './http-policy.js';
import type { Logger } from './logger.js';

/**
 * HTTP for connectors: ky for each attempt, and around it the client's own policy — a
 * requests-per-second budget, jittered exponential retries on time-outs, 408, 429 and 5xx
 * (never on other 4xx), the wait a 429 asks for (Retry-After, or Opendatasoft's `reset_time`),
 * truncated bodies detected and retried, a deadline for the whole collection, secrets kept out
 * of every URL and message it records.
 */

export interface HttpClientOptions {
  source: string;
  logger: Logger;
  timeoutMs?: number;
  /** Attempts after the first; 4 by default. */
  retryLimit?: number;
  /** Longest wait a 429 may ask for before the client gives up, in milliseconds. */
  maxRetryAfterMs?: number;
  /** First backoff step and its cap, in milliseconds. */
  backoffBaseMs?: number;
  backoffLimitMs?: number;
  /** Per-source budget; unlimited when absent. */
  requestsPerSecond?: number;
  /** Budget of the whole collection: past it every request fails at once. */
  deadlineMs?: number;
  headers?: Record<string, string>;
  /** Query parameters sent with every request (an API key passed in the query). */
  searchParams?: Record<string, string>;
  /** Values never to appear in recorded URLs, logs or errors. */
  secrets?: readonly string[];
  signal?: AbortSignal;
  clock?: Clock;
  random?: () => number;
}

export interface RequestOptions {
  searchParams?: Record<string, string | number>;
  headers?: Record<string, string>;
}

export interface HttpClient {
  readonly resources: FetchedResource[];
  /** Streams a body to `directory/fileName`, checking its length and computing its sha256. */
  download(
    url: string,
    directory: string,
    fileName: string,
    options?: RequestOptions,
  ): Promise<{ path: string; resource: FetchedResource }>;
  getBytes(
    url: string,
    options?: RequestOptions,
  ): Promise<{ body: Uint8Array; resource: FetchedResource; headers: Headers }>;
  getJson<T>(
    url: string,
    options?: RequestOptions,
  ): Promise<{ body: T; resource: FetchedResource; headers: Headers }>;
  /** A HEAD request with the same policy: reachability and authentication, no body. */
  probe(url: string, options?: RequestOptions): Promise<{ status: number; headers: Headers }>;
  /** The text with every secret of this client replaced by `***`. */
  redact(text: string): string;
  /** Adds secrets (credentials a connector resolved) to those kept out of URLs and messages. */
  addSecrets(secrets: readonly string[]): void;
}

/** A failed attempt, with what the policy needs to decide on the next one. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | undefined,
    readonly waitMs: number | undefined,
  ) {
    super(message);
  }
}

function withSearchParams(url: string, ...lists: (RequestOptions['searchParams'] | undefined)[]) {
  const target = new URL(url);
  for (const list of lists) {
    for (const [key, value] of Object.entries(list ?? {})) {
      target.searchParams.set(key, String(value));
    }
  }
  return target.toString();
}

/** Creates the HTTP client of one source; every failure becomes a `ConnectorError`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const resources: FetchedResource[] = [];
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryLimit = options.retryLimit ?? 4;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const budget = createRequestBudget(options.requestsPerSecond, clock);
  const secrets = [...(options.secrets ?? [])];
  let redact = redactor(secrets);
  const deadline =
    options.deadlineMs === undefined ? undefined : AbortSignal.timeout(options.deadlineMs);
  const signals = [options.signal, deadline].filter((item) => item !== undefined);
  const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);
  const instance: KyInstance = ky.create({
    timeout: timeoutMs,
    headers: options.headers,
    signal,
    retry: { limit: 0 },
    throwHttpErrors: false,
  });

  function stopped(method: string, url: string, tries: number): ConnectorError | undefined {
    if (deadline?.aborted) {
      return new ConnectorError(
        `${method} ${redact(url)} stopped after ${tries} attempt${tries === 1 ? '' : 's'}: the collection of ${options.source} passed its ${options.deadlineMs} ms budget`,
        { source: options.source, url: redact(url), retryable: true },
      );
    }
    if (options.signal?.aborted) {
      return new ConnectorError(`${method} ${redact(url)} cancelled`, {
        source: options.source,
        url: redact(url),
        retryable: true,
      });
    }
    return undefined;
  }

  /** Runs `handle` on a successful answer, attempt after attempt, as the policy allows. */
  async function attempts<T>(
    method: 'get' | 'head',
    url: string,
    request: RequestOptions,
    handle: (response: Response) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let failure: AttemptFailure;
      try {
        await budget.take(signal);
        const response = await instance(url, { method, headers: request.headers });
        if (!response.ok) {
          const body = method === 'head' ? '' : await response.text().catch(() => '');
          const waitMs =
            retryAfterMs(response.headers, clock.now()) ??
            (response.status === 429 ? resetTimeMs(body, clock.now()) : undefined);
          const asked = waitMs === undefined ? '' : ` (Retry-After ${Math.round(waitMs / 1000)} s)`;
          throw new AttemptFailure(
            `answered ${response.status} ${response.statusText}${asked}`,
            isRetryableStatus(response.status),
            response.status,
            waitMs,
          );
        }
        return await handle(response);
      } catch (error) {
        const halted = stopped(method.toUpperCase(), url, attempt);
        if (halted !== undefined) throw halted;
        if (error instanceof AttemptFailure) failure = error;
        else if (error instanceof TimeoutError) {
          failure = new AttemptFailure(
            `timed out after ${timeoutMs} ms`,
            true,
            undefined,
            undefined,
          );
        } else if (error instanceof ConnectorError) throw error;
        else
          failure = new AttemptFailure(
            `failed: ${errorMessage(error)}`,
            true,
            undefined,
            undefined,
          );
      }

      const tooLong = failure.waitMs !== undefined && failure.waitMs > maxRetryAfterMs;
      if (!failure.retryable || attempt > retryLimit || tooLong) {
        const tries = `after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
        const connector = failure.message.startsWith('failed:')
          ? `${method.toUpperCase()} ${redact(url)} failed ${tries}: ${redact(failure.message.slice(8))}`
          : `${method.toUpperCase()} ${redact(url)} ${failure.message} ${tries}`;
        throw new ConnectorError(connector, {
          source: options.source,
          url: redact(url),
          status: failure.status,
          retryable: failure.retryable,
        });
      }

      const waitMs =
        failure.waitMs ??
        backoffMs(attempt, {
          baseMs: options.backoffBaseMs ?? 300,
          limitMs: options.backoffLimitMs ?? 30_000,
          random: options.random ?? Math.random,
        });
      options.logger.warn('retrying provider request', {
        source: options.source,
        url: redact(url),
        attempt: attempt + 1,
        waitMs: Math.round(waitMs),
        reason: redact(failure.message),
      });
      try {
        await clock.sleep(waitMs, signal);
      } catch {
        throw stopped(method.toUpperCase(), url, attempt) ?? new Error('wait aborted');
      }
    }
  }

  /**
   * Reads a body chunk by chunk so that a connection closed early is reported as a truncated
   * body with the byte count reached, and retried like any broken answer.
   */
  async function readBody(
    response: Response,
    onChunk: (chunk: Uint8Array) => void | Promise<void>,
  ): Promise<number> {
    const declared = response.headers.get('content-length');
    const cut = (bytes: number) =>
      new AttemptFailure(
        `ended after ${bytes} of the ${declared ?? 'unknown number of'} bytes it declared (truncated body)`,
        true,
        response.status,
        undefined,
      );
    if (response.body === null) throw cut(0);
    const reader = response.body.getReader();
    let bytes = 0;
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw cut(bytes);
      }
      if (next.done) break;
      bytes += next.value.byteLength;
      await onChunk(next.value);
    }
    if (declared !== null && Number(declared) !== bytes) throw cut(bytes);
    return bytes;
  }

  function record(url: string, response: Response, bytes: number, sha256: string) {
    const resource: FetchedResource = {
      url: redact(url),
      status: response.status,
      bytes,
      sha256,
      contentType: response.headers.get('content-type') ?? undefined,
    };
    resources.push(resource);
    options.logger.debug('fetched provider resource', { source: options.source, ...resource });
    return resource;
  }

  async function getBytes(url: string, request: RequestOptions = {}) {
    const target = withSearchParams(url, options.searchParams, request.searchParams);
    return attempts('get', target, request, async (response) => {
      const chunks: Uint8Array[] = [];
      const hash = createHash('sha256');
      const bytes = await readBody(response, (chunk) => {
        chunks.push(chunk);
        hash.update(chunk);
      });
      return {
        body: new Uint8Array(Buffer.concat(chunks)),
        resource: record(target, response, bytes, hash.digest('hex')),
        headers: response.headers,
      };
    });
  }

  return {
    resources,
    getBytes,
    redact: (text) => redact(text),
    addSecrets(added) {
      secrets.push(...added);
      redact = redactor(secrets);
    },

    async getJson<T>(url: string, request: RequestOptions = {}) {
      const { body, resource, headers } = await getBytes(url, request);
      try {
        return { body: JSON.parse(new TextDecoder().decode(body)) as T, resource, headers };
      } catch (error) {
        throw new ConnectorError(
          `GET ${resource.url} answered a body that is not JSON: ${errorMessage(error)}`,
          { source: options.source, url: resource.url, status: resource.status, retryable: false },
        );
      }
    },

    async probe(url, request = {}) {
      const target = withSearchParams(url, options.searchParams, request.searchParams);
      return attempts('head', target, request, async (response) => ({
        status: response.status,
        headers: response.headers,
      }));
    },

    async download(url, directory, fileName, request = {}) {
      const target = withSearchParams(url, options.searchParams, request.searchParams);
      const path = join(directory, fileName);
      return attempts('get', target, request, async (response) => {
        const hash = createHash('sha256');
        const file = await open(path, 'w');
        let bytes: number;
        try {
          bytes = await readBody(response, async (chunk) => {
            hash.update(chunk);
            await file.write(chunk);
          });
        } finally {
          await file.close();
        }
        return { path, resource: record(target, response, bytes, hash.digest('hex')) };
      });
    },
  };
}
