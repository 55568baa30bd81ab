import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { startTestSimulator } from '../support/simulator.js';

let simulator: Simulator;
const path = '/ademe/base-carbone/export.csv';
// The Base Carbone export is 70,225 bytes (ls -l).
const fileBytes = 70_225;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterEach(() => {
  simulator.faults.clear();
});

afterAll(async () => {
  await simulator.close();
});

/** Reads a reply with node:http, counting the bytes that arrive before the socket closes. */
function rawGet(url: string): Promise<{ declared: number; received: number; complete: boolean }> {
  return new Promise((done, fail) => {
    request(url, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
      });
      const finish = () =>
        done({
          declared: Number(response.headers['content-length']),
          received,
          complete: response.complete,
        });
      response.on('end', finish);
      response.on('aborted', finish);
      response.on('error', finish);
    })
      .on('error', fail)
      .end();
  });
}

describe('simulator faults', () => {
  it('answers a status for the next N requests of a prefix, then the real reply', async () => {
    simulator.faults.add('/ademe/', { kind: 'status', status: 503 }, 2);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(`${simulator.url}${path}`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    expect(simulator.faults.pending()).toBe(0);
  });

  it('answers 429 with Retry-After and the ODS quota body', async () => {
    simulator.faults.add(path, { kind: 'status', status: 429, retryAfterSeconds: 7 });
    const response = await fetch(`${simulator.url}${path}`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'call_limit',
      'error',
      'errorcode',
      'limit_time_unit',
      'reset_time',
    ]);
    expect(body.errorcode).toBe(10002);
  });

  it('delays the answer by the requested milliseconds', async () => {
    simulator.faults.add(path, { kind: 'delay', delayMs: 300 });
    const started = performance.now();
    const response = await fetch(`${simulator.url}${path}`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('declares the full length, sends part of the body, then closes the socket', async () => {
    simulator.faults.add(path, { kind: 'truncate', sentBytes: 1000 });
    const truncated = await rawGet(`${simulator.url}${path}`);
    expect(truncated).toEqual({ declared: fileBytes, received: 1000, complete: false });

    const whole = await rawGet(`${simulator.url}${path}`);
    expect(whole).toEqual({ declared: fileBytes, received: fileBytes, complete: true });
  });

  it('leaves other prefixes alone and forgets everything on clear', async () => {
    simulator.faults.add('/sdes/', { kind: 'status', status: 500 }, 5);
    expect((await fetch(`${simulator.url}${path}`)).status).toBe(200);
    simulator.faults.clear();
    expect(simulator.faults.pending()).toBe(0);
    expect((await fetch(`${simulator.url}/sdes/reseaux-chaleur-froid-iris/2023.csv`)).status).toBe(
      200,
    );
  });
});
