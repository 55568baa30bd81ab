import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import ky, { HTTPError, type KyInstance, TimeoutError } from 'ky';
import type { FetchedResource } from '../connectors/contract.js';
import { ConnectorError, errorMessage } from './errors.js';
import type { Logger } from './logger.js';

/** HTTP for connectors: ky with timeouts, jittered retries, and a record of what was fetched. */

export interface HttpClientOptions {
  source: string;
  logger: Logger;
  timeoutMs?: number;
  retryLimit?: number;
  /** Longest Retry-After the client accepts before it gives up, in milliseconds. */
  maxRetryAfterMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
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
  ): Promise<{ body: Uint8Array; resource: FetchedResource }>;
  getJson<T>(
    url: string,
    options?: RequestOptions,
  ): Promise<{ body: T; resource: FetchedResource }>;
}

const retryableStatuses = [408, 429, 500, 502, 503, 504];

function withSearchParams(url: string, searchParams: RequestOptions['searchParams']): string {
  if (searchParams === undefined) return url;
  const target = new URL(url);
  for (const [key, value] of Object.entries(searchParams))
    target.searchParams.set(key, String(value));
  return target.toString();
}

/** The wait a Retry-After header asks for (seconds or an HTTP date), in milliseconds. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Creates the HTTP client of one source; every failure becomes a `ConnectorError`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const resources: FetchedResource[] = [];
  const attempts = new Map<string, number>();
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const instance: KyInstance = ky.create({
    timeout: options.timeoutMs ?? 30_000,
    headers: options.headers,
    signal: options.signal,
    retry: {
      limit: options.retryLimit ?? 4,
      methods: ['get'],
      statusCodes: retryableStatuses,
      afterStatusCodes: [429, 503],
      maxRetryAfter: maxRetryAfterMs,
      // ky would wait the capped delay and retry anyway; a provider asking for longer than we
      // accept is better reported at once, so that the schedule retries later.
      shouldRetry: ({ error }) => {
        const waitMs = error instanceof HTTPError ? retryAfterMs(error.response) : undefined;
        return waitMs !== undefined && waitMs > maxRetryAfterMs ? false : undefined;
      },
      backoffLimit: 30_000,
      jitter: true,
      retryOnTimeout: true,
    },
    hooks: {
      beforeRetry: [
        ({ request, error, retryCount }) => {
          attempts.set(request.url, retryCount + 1);
          options.logger.warn('retrying provider request', {
            source: options.source,
            url: request.url,
            attempt: retryCount + 1,
            reason: errorMessage(error),
          });
        },
      ],
    },
  });

  function failure(url: string, error: unknown): ConnectorError {
    const tries = attempts.get(url) ?? 1;
    const after = `after ${tries} attempt${tries === 1 ? '' : 's'}`;
    if (error instanceof ConnectorError) return error;
    if (error instanceof HTTPError) {
      const status = error.response.status;
      const waitMs = retryAfterMs(error.response);
      const asked = waitMs === undefined ? '' : ` (Retry-After ${Math.round(waitMs / 1000)} s)`;
      return new ConnectorError(
        `GET ${url} answered ${status} ${error.response.statusText}${asked} ${after}`,
        { source: options.source, url, status, retryable: retryableStatuses.includes(status) },
        { cause: error },
      );
    }
    if (error instanceof TimeoutError) {
      return new ConnectorError(
        `GET ${url} timed out after ${options.timeoutMs ?? 30_000} ms ${after}`,
        { source: options.source, url, retryable: true },
        { cause: error },
      );
    }
    return new ConnectorError(
      `GET ${url} failed ${after}: ${errorMessage(error)}`,
      { source: options.source, url, retryable: true },
      { cause: error },
    );
  }

  function truncated(url: string, response: Response, bytes: number, cause?: unknown) {
    const declared = response.headers.get('content-length') ?? 'unknown number of';
    return new ConnectorError(
      `GET ${url} ended after ${bytes} of the ${declared} bytes it declared (truncated body)`,
      { source: options.source, url, status: response.status, retryable: true },
      cause === undefined ? undefined : { cause },
    );
  }

  /**
   * Reads a body chunk by chunk so that a connection closed early is reported as a truncated
   * body with the byte count reached, rather than as the socket error fetch raises.
   */
  async function readBody(
    url: string,
    response: Response,
    onChunk: (chunk: Uint8Array) => void | Promise<void>,
  ): Promise<number> {
    if (response.body === null) throw truncated(url, response, 0);
    const reader = response.body.getReader();
    let bytes = 0;
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw truncated(url, response, bytes, error);
      }
      if (next.done) break;
      bytes += next.value.byteLength;
      await onChunk(next.value);
    }
    const declared = response.headers.get('content-length');
    if (declared !== null && Number(declared) !== bytes) throw truncated(url, response, bytes);
    return bytes;
  }

  function record(url: string, response: Response, bytes: number, sha256: string) {
    const resource: FetchedResource = {
      url,
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
    const target = withSearchParams(url, request.searchParams);
    try {
      // A new request starts its attempt count afresh; beforeRetry raises it.
      attempts.delete(target);
      const response = await instance.get(target, { headers: request.headers });
      const chunks: Uint8Array[] = [];
      const hash = createHash('sha256');
      const bytes = await readBody(target, response, (chunk) => {
        chunks.push(chunk);
        hash.update(chunk);
      });
      const body = Buffer.concat(chunks);
      return {
        body: new Uint8Array(body),
        resource: record(target, response, bytes, hash.digest('hex')),
      };
    } catch (error) {
      throw failure(target, error);
    }
  }

  return {
    resources,
    getBytes,

    async getJson<T>(url: string, request: RequestOptions = {}) {
      const { body, resource } = await getBytes(url, request);
      try {
        return { body: JSON.parse(new TextDecoder().decode(body)) as T, resource };
      } catch (error) {
        throw new ConnectorError(
          `GET ${resource.url} answered a body that is not JSON: ${errorMessage(error)}`,
          { source: options.source, url: resource.url, status: resource.status, retryable: false },
        );
      }
    },

    async download(url, directory, fileName, request = {}) {
      const target = withSearchParams(url, request.searchParams);
      const path = join(directory, fileName);
      try {
        attempts.delete(target);
        const response = await instance.get(target, { headers: request.headers });
        const hash = createHash('sha256');
        const file = await open(path, 'w');
        let bytes: number;
        try {
          bytes = await readBody(target, response, async (chunk) => {
            hash.update(chunk);
            await file.write(chunk);
          });
        } finally {
          await file.close();
        }
        return { path, resource: record(target, response, bytes, hash.digest('hex')) };
      } catch (error) {
        throw failure(target, error);
      }
    },
  };
}
