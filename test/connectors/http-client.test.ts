import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sinoeWaste } from '../../connectors/sinoe-waste.js';
import { ConnectorError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import {
  annual,
  createTestContext,
  readAll,
  type TestContext,
} from '../support/connector-context.js';
import { startTestSimulator } from '../support/simulator.js';

const path = '/ademe/base-carbone/export.csv';
// ls -l of the Base Carbone export.
const fileBytes = 70_225;
let simulator: Simulator;
let test: TestContext;
const url = () => `${simulator.url}${path}`;
// Requests seen before the current test started are not counted.
let firstRequest = 0;
const attemptsAt = (target: string) =>
  simulator.requests.slice(firstRequest).filter((request) => request === target).length;

beforeAll(async () => {
  simulator = await startTestSimulator();
  // Short waits, so that each fault resolves in well under a second.
  test = await createTestContext('http', {
    timeoutMs: 500,
    retryLimit: 3,
    maxRetryAfterMs: 5_000,
    backoffBaseMs: 20,
    backoffLimitMs: 100,
  });
});

afterEach(() => {
  simulator.faults.clear();
  firstRequest = simulator.requests.length;
  test.logs.length = 0;
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('the HTTP client against the simulator’s faults', () => {
  it('retries a burst of 503 and then succeeds', async () => {
    simulator.faults.add(path, { kind: 'status', status: 503 }, 2);
    const { body, resource } = await test.context.http.getBytes(url());
    expect(body.byteLength).toBe(fileBytes);
    expect(resource.status).toBe(200);
    expect(attemptsAt(path)).toBe(3);
    expect(test.logs.filter((log) => log.message === 'retrying provider request')).toHaveLength(2);
  });

  it('waits the Retry-After of a 429 and then succeeds', async () => {
    simulator.faults.add(path, { kind: 'status', status: 429, retryAfterSeconds: 1 });
    const { body } = await test.context.http.getBytes(url());
    expect(body.byteLength).toBe(fileBytes);
    expect(attemptsAt(path)).toBe(2);
    // The wait the client chose is the one Retry-After: 1 asked for, not its own back-off.
    const retries = test.logs.filter((log) => log.message === 'retrying provider request');
    expect(retries.map((log) => log.waitMs)).toEqual([1000]);
  });

  it('gives up at once when Retry-After asks for longer than the client accepts', async () => {
    simulator.faults.add(path, { kind: 'status', status: 429, retryAfterSeconds: 600 });
    const error = await failureOf(test.context.http.getBytes(url()));
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `GET ${url()} answered 429 Too Many Requests (Retry-After 600 s) after 1 attempt`,
    );
    expect(attemptsAt(path)).toBe(1);
  });

  it('retries an answer slower than the timeout', async () => {
    simulator.faults.add(path, { kind: 'delay', delayMs: 1_500 });
    const { body } = await test.context.http.getBytes(url());
    expect(body.byteLength).toBe(fileBytes);
    expect(attemptsAt(path)).toBe(2);
  });

  it('reports a timeout once every attempt is too slow', async () => {
    const slow = await createTestContext('http-slow', {
      timeoutMs: 200,
      retryLimit: 1,
      backoffBaseMs: 20,
    });
    simulator.faults.add(path, { kind: 'delay', delayMs: 600 }, 2);
    const error = await failureOf(slow.context.http.getBytes(url()));
    expect(error.message).toBe(`GET ${url()} timed out after 200 ms after 2 attempts`);
    expect(error.retryable).toBe(true);
    await slow.cleanup();
  });

  it('retries a body cut mid-way and then succeeds', async () => {
    simulator.faults.add(path, { kind: 'truncate', sentBytes: 1_000 });
    const { body } = await test.context.http.getBytes(url());
    expect(body.byteLength).toBe(fileBytes);
    expect(attemptsAt(path)).toBe(2);
  });

  it('fails with a truncated-body error when every attempt is cut mid-body', async () => {
    // retryLimit 3: four attempts for getBytes, four more for download.
    simulator.faults.add(path, { kind: 'truncate', sentBytes: 1_000 }, 8);
    const bytes = await failureOf(test.context.http.getBytes(url()));
    expect(bytes.message).toBe(
      `GET ${url()} ended after 1000 of the ${fileBytes} bytes it declared (truncated body) after 4 attempts`,
    );
    expect(bytes.retryable).toBe(true);
    expect(attemptsAt(path)).toBe(4);

    const download = await failureOf(
      test.context.http.download(url(), test.context.workDir, 'cut.csv'),
    );
    expect(download.message).toMatch(/truncated body/);
  });

  it('fails non-retryable on a 404, naming the URL, without retrying', async () => {
    const missing = `${simulator.url}/ademe/sinoe/nothing-here.csv`;
    const error = await failureOf(test.context.http.getBytes(missing));
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
    expect(error.url).toBe(missing);
    expect(error.message).toBe(`GET ${missing} answered 404 Not Found after 1 attempt`);
    expect(attemptsAt('/ademe/sinoe/nothing-here.csv')).toBe(1);
  });

  it('lets a connector read through a 503 burst', async () => {
    simulator.faults.add('/ademe/sinoe/', { kind: 'status', status: 503 }, 2);
    const sinoeUrl = `${simulator.url}/ademe/sinoe/destination-dechets-decheterie.csv`;
    const batches = await readAll(
      sinoeWaste,
      test.context,
      { url: sinoeUrl, department: '17' },
      annual(2017),
    );
    // 23 rows of Charente-Maritime in 2017 (see sinoe-waste.test.ts).
    expect(batches.reduce((rows, batch) => rows + batch.numRows, 0)).toBe(23);
    expect(test.heartbeats()).toBeGreaterThan(0);
  });
});
