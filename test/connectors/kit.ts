import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyConnector, selectedStream } from '../../connectors/contract.js';
import { readSourceSchemas } from '../../lake/schemas.js';
import { readSourceState } from '../../lake/state.js';
import { absolutePartitionFile, readCurrentManifest } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import type { Fault, Simulator, SimulatorOptions } from '../../simulator/index.js';
import { startSimulator } from '../../simulator/index.js';
import { createTestContext } from '../support/connector-context.js';
import { providerDataDir } from '../support/provider-data.js';
import { lakeScenario, testProject } from './lake-scenario.js';

/**
 * The test kit every connector passes, offline, against the providers' simulator and through
 * the real lake: check, discover, a full read equal to the provider file (row count and a
 * checksum computed independently), a second read landing the same Parquet bytes, and each
 * fault mode ending as documented — recovered, or a clear error with nothing landed and no
 * state saved.
 */

export type FaultOutcome = 'recovers' | RegExp;

export interface KitFault {
  name: string;
  fault: Fault;
  times?: number;
  outcome: FaultOutcome;
  /** Where the fault applies; the case's `faultPath` when absent. */
  path?: string;
  /** Collected on a lake that already holds a clean landing (a drift needs one to drift from). */
  afterCleanLanding?: boolean;
}

export interface KitCase {
  connector: AnyConnector;
  /** The source's parameters, given the simulator's URL. */
  params: (simulatorUrl: string) => Record<string, unknown>;
  /** The data year of an annual connector. */
  vintage?: number;
  /** Path prefix the standard faults apply to (the request that carries the data). */
  faultPath: string;
  expected: {
    rows: number;
    /** A DuckDB expression over the landed columns, one text per row. */
    line: string;
    /** sha256 of the sorted lines joined by line feeds, computed from the provider's file. */
    sha256: string;
  };
  /** The provider declares a total the read is checked against. */
  declaresTotal?: boolean;
  /** A column the simulator renames for the schema-change fault, and what the error says. */
  schemaChange?: { column: string; outcome: FaultOutcome };
  extraFaults?: KitFault[];
  environment?: Record<string, string>;
  simulator?: Partial<SimulatorOptions>;
  dataDir?: () => Promise<string>;
}

/**
 * The HTTP limits of kit sources: short, so that a fault resolves in well under a second —
 * time-outs of a few hundred milliseconds (every reply of the simulator, once its tables are
 * loaded by the first landing, comes in far less), and back-offs of tens of milliseconds.
 */
const http = {
  timeoutMs: 500,
  retryLimit: 2,
  maxRetryAfterMs: 5_000,
  backoffBaseMs: 20,
  backoffLimitMs: 100,
};
const attempts = `${http.retryLimit + 1} attempts`;

/** The standard fault matrix of a case. */
export function standardFaults(kitCase: KitCase): KitFault[] {
  const faults: KitFault[] = [
    {
      name: 'a burst of 503',
      fault: { kind: 'status', status: 503 },
      times: 2,
      outcome: 'recovers',
    },
    {
      // Retry-After counts whole seconds: one is the shortest wait a header can ask for.
      name: 'a 429 with Retry-After',
      fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
      outcome: 'recovers',
    },
    {
      // The body's reset_time is a date to the millisecond: a fifth of a second is enough.
      name: 'a 429 telling its reset time in the body only',
      fault: { kind: 'status', status: 429, retryAfterSeconds: 0.2, retryAfterIn: 'body' },
      outcome: 'recovers',
    },
    {
      name: 'an answer slower than the timeout',
      fault: { kind: 'delay', delayMs: 3 * http.timeoutMs },
      outcome: 'recovers',
    },
    {
      name: 'every answer slower than the timeout',
      fault: { kind: 'delay', delayMs: 2 * http.timeoutMs },
      times: http.retryLimit + 1,
      outcome: new RegExp(`timed out after ${http.timeoutMs} ms after ${attempts}`),
    },
    { name: 'a truncated body', fault: { kind: 'truncate' }, outcome: 'recovers' },
    {
      name: 'every body truncated',
      fault: { kind: 'truncate' },
      times: http.retryLimit + 1,
      outcome: new RegExp(`truncated body\\) after ${attempts}`),
    },
    {
      name: 'a 404',
      fault: { kind: 'status', status: 404 },
      outcome: /answered 404 Not Found after 1 attempt/,
    },
  ];
  if (kitCase.declaresTotal) {
    faults.push({
      name: 'a declared total that does not match the rows',
      fault: { kind: 'total', delta: 3 },
      times: 1_000,
      outcome: /short count|declares|exported/,
    });
  }
  if (kitCase.schemaChange !== undefined) {
    faults.push({
      name: `column ${kitCase.schemaChange.column} renamed`,
      fault: {
        kind: 'schema',
        column: kitCase.schemaChange.column,
        to: `${kitCase.schemaChange.column}_renamed`,
      },
      times: 1_000,
      outcome: kitCase.schemaChange.outcome,
      afterCleanLanding: true,
    });
  }
  return [...faults, ...(kitCase.extraFaults ?? [])];
}

/** sha256 of the sorted `line` texts of a landed Parquet file, and its row count. */
export async function landedChecksum(file: string, line: string) {
  const database = await openDatabase();
  try {
    const result = await database.connection.runAndReadAll(
      `SELECT count(*), string_agg(l, chr(10) ORDER BY l) FROM
        (SELECT ${line} AS l FROM read_parquet(${quoteLiteral(file)}))`,
    );
    const [rows, text] = result.getRows()[0]!;
    return {
      rows: Number(rows),
      sha256: createHash('sha256')
        .update(String(text ?? ''))
        .digest('hex'),
    };
  } finally {
    database.close();
  }
}

/** The source of a case, as the kit's project file declares it. */
function kitSource(kitCase: KitCase, simulatorUrl: string) {
  return {
    id: 'kit-source',
    connector: kitCase.connector.id,
    domain: kitCase.connector.domain,
    title: `${kitCase.connector.id} through the kit`,
    producer: 'the providers simulator',
    licence: 'Licence Ouverte / Open Licence 2.0',
    access: 'public',
    ...(kitCase.vintage === undefined ? {} : { vintages: [kitCase.vintage] }),
    http,
    params: kitCase.params(simulatorUrl),
  };
}

/**
 * Registers the kit's tests for one connector case. The cases of a file run side by side (each
 * has its own simulator, so one case's faults never reach another), the steps of one case in
 * order: most of a fault's time is spent waiting, and the waits of several cases overlap.
 */
export function describeConnectorKit(kitCase: KitCase): void {
  describe.concurrent(`connector kit: ${kitCase.connector.id}`, () => {
    let simulator: Simulator;
    let project: Awaited<ReturnType<typeof testProject>>;
    let dataDir: string | undefined;
    let referenceSha256: string | undefined;
    const saved: Record<string, string | undefined> = {};

    beforeAll(async () => {
      for (const [name, value] of Object.entries(kitCase.environment ?? {})) {
        saved[name] = process.env[name];
        process.env[name] = value;
      }
      dataDir = kitCase.dataDir === undefined ? undefined : await kitCase.dataDir();
      simulator = await startSimulator({
        dataDir: dataDir ?? providerDataDir(),
        partialData: dataDir !== undefined,
        ...kitCase.simulator,
      });
      // Loaded once: parsing the demo project takes a while, and would stall every scenario.
      project = await testProject([kitSource(kitCase, simulator.url)]);
    });
    const scenario = () =>
      lakeScenario(project.loaded, { sourceId: 'kit-source', vintage: kitCase.vintage });

    afterAll(async () => {
      await project.cleanup();
      await simulator.close();
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it.sequential('passes check and discovers the stream it lands', async () => {
      const test = await createTestContext(kitCase.connector.id);
      const params = kitCase.connector.params.parse(kitCase.params(simulator.url));
      const request = { period: 'check', vintage: kitCase.vintage };
      const check = await kitCase.connector.check(test.context, params, request);
      expect(check, check.message).toMatchObject({ ok: true });
      const stream = selectedStream(
        await kitCase.connector.discover(test.context, params, request),
      );
      expect(stream.schema.fields.length).toBeGreaterThan(0);
      expect(stream.schema.fields.every((field) => field.nullable)).toBe(true);
      await test.cleanup();
    });

    it.sequential('lands the provider file whole, then the same bytes again', async () => {
      const lake = await scenario();
      const first = await lake.collect();
      const manifest = (await readCurrentManifest(lake.lake, 'kit-source', lake.period))!;
      expect(manifest.connector).toEqual({
        id: kitCase.connector.id,
        version: kitCase.connector.version,
      });
      expect(
        await landedChecksum(absolutePartitionFile(lake.lake, manifest), kitCase.expected.line),
      ).toEqual({
        rows: kitCase.expected.rows,
        sha256: kitCase.expected.sha256,
      });
      expect(first.rows).toBe(kitCase.expected.rows);
      referenceSha256 = first.sha256;
      expect((await readSourceSchemas(lake.lake, 'kit-source'))?.current).toBe(1);

      const second = await lake.collect();
      expect(second.sha256).toBe(first.sha256);
      expect(second.replaced).toBe('identical');
      await lake.cleanup();
    });

    for (const item of standardFaults(kitCase)) {
      it.sequential(`${item.outcome === 'recovers' ? 'recovers from' : 'fails clearly on'} ${item.name}`, async () => {
        if (referenceSha256 === undefined) {
          const clean = await scenario();
          referenceSha256 = (await clean.collect()).sha256;
          await clean.cleanup();
        }
        const reference = { sha256: referenceSha256 };

        const lake = await scenario();
        if (item.afterCleanLanding) await lake.collect();
        const stateBefore = await readSourceState(lake.lake, 'kit-source');
        simulator.faults.add(item.path ?? kitCase.faultPath, item.fault, item.times ?? 1);
        try {
          if (item.outcome === 'recovers') {
            expect((await lake.collect()).sha256).toBe(reference.sha256);
          } else if (item.afterCleanLanding) {
            await expect(lake.collect()).rejects.toThrow(item.outcome);
            const current = await readCurrentManifest(lake.lake, 'kit-source', lake.period);
            expect(current?.sha256).toBe(reference.sha256);
            expect((await readSourceSchemas(lake.lake, 'kit-source'))?.current).toBe(1);
            expect(await readSourceState(lake.lake, 'kit-source')).toEqual(stateBefore);
          } else {
            await expect(lake.collect()).rejects.toThrow(item.outcome);
            await lake.assertNothingLanded();
          }
        } finally {
          simulator.faults.clear();
          await lake.cleanup();
        }
      });
    }
  });
}
