import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
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

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const resources: FetchedResource[] = [];
  const attempts = new Map<string, number>();
  const instance: KyInstance = ky.create({
    timeout: options.timeoutMs ?? 30_000,
    headers: options.headers,
    signal: options.signal,
    retry: {
      limit: options.retryLimit ?? 4,
      methods: ['get'],
      statusCodes: retryableStatuses,
      afterStatusCodes: [429, 503],
      maxRetryAfter: options.maxRetryAfterMs ?? 120_000,
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
      return new ConnectorError(
        `GET ${url} answered ${status} ${error.response.statusText} ${after}`,
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

  function checkLength(url: string, response: Response, bytes: number): void {
    const declared = response.headers.get('content-length');
    if (declared !== null && Number(declared) !== bytes) {
      throw new ConnectorError(
        `GET ${url} ended after ${bytes} of the ${declared} bytes it declared (truncated body)`,
        { source: options.source, url, status: response.status, retryable: true },
      );
    }
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
      const response = await instance.get(target, { headers: request.headers });
      const body = new Uint8Array(await response.arrayBuffer());
      checkLength(target, response, body.byteLength);
      const sha256 = createHash('sha256').update(body).digest('hex');
      return { body, resource: record(target, response, body.byteLength, sha256) };
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
        const response = await instance.get(target, { headers: request.headers });
        if (response.body === null) throw new Error('empty response body');
        const hash = createHash('sha256');
        let bytes = 0;
        const meter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            bytes += chunk.byteLength;
            callback(null, chunk);
          },
        });
        await pipeline(
          Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
          meter,
          createWriteStream(path),
        );
        checkLength(target, response, bytes);
        return { path, resource: record(target, response, bytes, hash.digest('hex')) };
      } catch (error) {
        throw failure(target, error);
      }
    },
  };
}
