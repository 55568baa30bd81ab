import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStack } from '../../cli/embedded-stack.js';
import { connectors } from '../../connectors/index.js';
import { readCurrentManifest } from '../../lake/store.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { planBackfill, runBackfill } from '../../temporal/backfill.js';
import { BackfillError } from '../../temporal/errors.js';
import { applyScheduleSync } from '../../temporal/schedules.js';
import { startTestStack } from '../support/stack.js';
import { sourceIndex, writeProjectVariant } from './project-variant.js';

/*
 * Rows of département 17 in the SINOE recycling-centre file, counted with python3 (csv module,
 * C_DEPT == "17"): 18 in 2013, 17 in 2015, 23 in 2017.
 */
const rowsByPeriod: Record<string, number> = { '2013': 18, '2015': 17, '2017': 23 };

describe('backfill through Temporal schedule backfill', () => {
  let stack: EmbeddedStack;
  let lakeDir: string;
  const sinoe = sourceIndex('sinoe-recycling-centres');

  beforeAll(async () => {
    const projectFile = writeProjectVariant({
      // Every 1 April at 05:00 in Paris: 03:00 UTC, summer time having started in March.
      [`sources.${sinoe}.schedule`]: { cron: ['0 5 1 4 *'], overlap: 'buffer-all' },
      [`sources.${sinoe}.vintages`]: [2013, 2015, 2017],
    });
    const started = await startTestStack({ projectFile });
    stack = started.stack;
    lakeDir = join(started.homeDir, 'la-rochelle', 'lake');
    await applyScheduleSync(stack.client, stack.loaded.project, started.settings.taskQueue);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const plan = (from: string, to: string) =>
    planBackfill(stack.client, stack.loaded.project, connectors, 'sinoe-recycling-centres', {
      from,
      to,
    });

  it('previews the scheduled times of the range and the partition each one collects', async () => {
    const preview = await plan('2014', '2017');
    expect(preview.scheduleId).toBe('la-rochelle-collect-sinoe-recycling-centres');
    // Midnight on 1 January in Paris is 23:00 UTC the day before.
    expect([preview.from, preview.to]).toEqual([
      '2013-12-31T23:00:00.000Z',
      '2017-12-31T23:00:00.000Z',
    ]);
    expect(preview.periods).toEqual([
      { scheduledAt: '2014-04-01T03:00:00.000Z', period: '2013', skipReason: undefined },
      { scheduledAt: '2015-04-01T03:00:00.000Z', period: '2015', skipReason: undefined },
      { scheduledAt: '2016-04-01T03:00:00.000Z', period: '2015', skipReason: undefined },
      { scheduledAt: '2017-04-01T03:00:00.000Z', period: '2017', skipReason: undefined },
    ]);
  });

  it('runs four periods, lands three partitions once each, and checks every one', async () => {
    const results = await runBackfill(stack.client, await plan('2014', '2017'), {
      lakeDir,
      timeoutMs: 120_000,
    });
    expect(results.map((result) => [result.period, result.status, result.rows])).toEqual([
      ['2013', 'COMPLETED', 18],
      ['2015', 'COMPLETED', 17],
      ['2015', 'COMPLETED', 17],
      ['2017', 'COMPLETED', 23],
    ]);
    // The two runs of 2015 landed the same content-addressed file.
    expect(results[1]?.sha256).toBe(results[2]?.sha256);

    const database = await openDatabase();
    try {
      for (const [period, rows] of Object.entries(rowsByPeriod)) {
        const manifest = await readCurrentManifest(lakeDir, 'sinoe-recycling-centres', period);
        expect(manifest?.rows).toBe(rows);
        const folder = join(lakeDir, 'sinoe-recycling-centres', period);
        const files = readdirSync(folder).filter((name) => name.endsWith('.parquet'));
        expect(files).toEqual([`data-${manifest!.sha256}.parquet`]);
        const counted = await database.connection.runAndReadAll(
          `select count(*)::integer from read_parquet(${quoteLiteral(join(folder, files[0]!))})`,
        );
        expect(counted.getRows()[0]?.[0]).toBe(rows);
      }
    } finally {
      database.close();
    }
  }, 150_000);

  it('refuses a backfill that would create nothing, naming each period', async () => {
    const error = await runBackfill(stack.client, await plan('2011', '2012'), {
      lakeDir,
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackfillError);
    expect((error as Error).message).toBe(
      'backfill of la-rochelle-collect-sinoe-recycling-centres would create nothing: ' +
        '2011-04-01T03:00:00.000Z (no vintage of sinoe-recycling-centres on or before 2011 (has 2013, 2015, 2017)); ' +
        '2012-04-01T03:00:00.000Z (no vintage of sinoe-recycling-centres on or before 2012 (has 2013, 2015, 2017))',
    );
  });

  it('refuses a range in which the schedule never fires', async () => {
    const error = await runBackfill(stack.client, await plan('2016-05-01', '2016-06-30'), {
      lakeDir,
      timeoutMs: 10_000,
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'backfill of la-rochelle-collect-sinoe-recycling-centres from 2016-04-30T22:00:00.000Z ' +
        'to 2016-06-30T22:00:00.000Z would create nothing: no scheduled time falls in that range',
    );
  });
});
