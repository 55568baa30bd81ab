import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../lib/http.js';
import { type Clock, createRequestBudget } from '../../lib/http-policy.js';
import { createLogger } from '../../lib/logger.js';
import type { Simulator } from '../../simulator/index.js';
import { startTestSimulator } from '../support/simulator.js';

/**
 * The per-source requests-per-second budget, on a clock the test drives: no assertion depends
 * on how long anything took on the wall clock. Slots are 1000 / rate milliseconds apart, so
 * at 4 requests per second they fall at 0, 250, 500, 750 and 1000 ms.
 */

/**
 * A clock whose time moves only by its sleeps and `advance`: a sleep moves it to the wake-up
 * time at once and records that time.
 */
function manualClock(startMs = 0) {
  let nowMs = startMs;
  const wakeUps: number[] = [];
  const clock: Clock = {
    now: () => nowMs,
    async sleep(ms) {
      nowMs += ms;
      wakeUps.push(nowMs);
    },
  };
  return {
    clock,
    wakeUps,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

const path = '/gbfs/3.0/station_status.json';
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.close();
});

describe('the requests-per-second budget', () => {
  it('spaces requests asked at once 1000 / rate ms apart, in the order they asked', async () => {
    const manual = manualClock();
    const budget = createRequestBudget(4, manual.clock);
    await Promise.all([budget.take(), budget.take(), budget.take(), budget.take(), budget.take()]);
    // The first leaves at once; the others wait for the slots 250, 500, 750 and 1000.
    expect(manual.wakeUps).toEqual([250, 500, 750, 1000]);
  });

  it('lets a request leave at once when the last slot is past', async () => {
    const manual = manualClock(10_000);
    const budget = createRequestBudget(2, manual.clock);
    await budget.take();
    manual.advance(500);
    // 500 ms after a request at 2 per second: its 500 ms interval is over, no wait.
    await budget.take();
    expect(manual.wakeUps).toEqual([]);
    await budget.take();
    expect(manual.wakeUps).toEqual([11_000]);
  });

  it('is unlimited without a rate', async () => {
    const manual = manualClock();
    const budget = createRequestBudget(undefined, manual.clock);
    await Promise.all([budget.take(), budget.take(), budget.take()]);
    expect(manual.wakeUps).toEqual([]);
  });

  it("holds the HTTP client's requests to the source's rate against the simulator", async () => {
    const manual = manualClock();
    const logger = createLogger({ level: 'error', format: 'json', write: () => {} });
    const http = createHttpClient({
      source: 'budgeted',
      logger,
      requestsPerSecond: 4,
      clock: manual.clock,
    });
    const before = simulator.requests.length;

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => http.getJson(`${simulator.url}${path}`)),
    );

    expect(answers.map((answer) => answer.resource.status)).toEqual([200, 200, 200, 200, 200]);
    expect(simulator.requests.slice(before)).toEqual(Array(5).fill(path));
    expect(manual.wakeUps).toEqual([250, 500, 750, 1000]);
  });

  it('waits a 429 out on the same clock, then books the next slot', async () => {
    const manual = manualClock();
    const logger = createLogger({ level: 'error', format: 'json', write: () => {} });
    const http = createHttpClient({
      source: 'budgeted',
      logger,
      requestsPerSecond: 4,
      clock: manual.clock,
    });
    simulator.faults.add(path, { kind: 'status', status: 429, retryAfterSeconds: 2 });
    const before = simulator.requests.length;

    await http.getJson(`${simulator.url}${path}`);

    // The 429 at 0 asks for 2000 ms; by then the retry's slot (250) is past: no second wait.
    expect(manual.wakeUps).toEqual([2000]);
    expect(simulator.requests.slice(before)).toEqual([path, path]);
    simulator.faults.clear();
  });
});
