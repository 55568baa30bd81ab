import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCollectActivities } from '../activities/collect.js';
import { listCurrentManifests } from '../lake/store.js';
import { createLogger } from '../lib/logger.js';
import { collectSourceWorkflow } from '../workflows/index.js';
import { ensureData } from './generate.js';
import { startBenchStack } from './orchestration/stack.js';
import { describeMachine } from './support/machine.js';
import { interleaved, median } from './support/measure.js';
import { benchVarDir } from './support/paths.js';
import { loadCurveSource, writeBenchProject } from './support/projects.js';
import { format, markdownTable, saveResult, verdict } from './support/results.js';

/**
 * A backfill of one daily source over 1,000 distinct periods: 1,000 collection workflows
 * started at once on a real dev server and worker, against the same collection activities
 * called directly on as many lanes as the worker has activity slots. Counts the partitions
 * that landed and the longest wait between two completions (a stall shows there).
 *
 *   npx tsx bench/backfill.ts [--quick]
 */

const logger = createLogger({ format: 'pretty', level: 'warn', metadata: { bench: 'backfill' } });
const lanes = 4;
const sourceId = 'load-curve-daily';

export async function runBackfillBench(options: { quick: boolean; runs?: number }) {
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const data = await ensureData(options.quick ? 'quick' : 'full');
  const periods = (await readdir(data.loadCurveDays.directory))
    .filter((name) => name.endsWith('.csv'))
    .map((name) => name.replace(/\.csv$/, ''))
    .sort();
  const projectFile = join(benchVarDir, 'projects', 'backfill', 'terreze.yaml');
  const stack = await startBenchStack({
    name: 'backfill',
    filesDir: data.directory,
    logger,
    maxConcurrentActivities: lanes,
    async writeProject(urls) {
      await writeBenchProject(projectFile, {
        project: 'bench-backfill',
        sources: [loadCurveSource(sourceId, `${urls.files}/load-curve-days/{period}.csv`)],
      });
      return projectFile;
    },
  });
  const lakeDir = join(stack.projectHome, 'lake');
  const activities = createCollectActivities(stack.dependencies);

  try {
    // A warm worker, as a backfill meets in service: the first workflow task loads the bundle.
    await stack.client.workflow.execute(collectSourceWorkflow, {
      workflowId: `bench-backfill-warm-up-${Date.now()}`,
      taskQueue: stack.taskQueue,
      args: [{ sourceId, period: periods[0]!, vintage: undefined }],
    });
    const samples = await interleaved(['temporal', 'direct'] as const, runs, async (mode) => {
      await stack.resetProjectHome();
      const started = performance.now();
      const completions: number[] = [];
      let failed = 0;
      if (mode === 'temporal') {
        const prefix = `bench-backfill-${Date.now()}`;
        const handles = [];
        for (let index = 0; index < periods.length; index += 50) {
          handles.push(
            ...(await Promise.all(
              periods.slice(index, index + 50).map((period) =>
                stack.client.workflow.start(collectSourceWorkflow, {
                  workflowId: `${prefix}/${period}`,
                  taskQueue: stack.taskQueue,
                  args: [{ sourceId, period, vintage: undefined }],
                }),
              ),
            )),
          );
        }
        await Promise.all(
          handles.map((handle) =>
            handle.result().then(
              () => completions.push(performance.now() - started),
              () => {
                failed += 1;
              },
            ),
          ),
        );
      } else {
        const queue = [...periods];
        await Promise.all(
          Array.from({ length: lanes }, async () => {
            for (let period = queue.shift(); period !== undefined; period = queue.shift()) {
              try {
                const staged = await activities.fetchSource({
                  sourceId,
                  period,
                  vintage: undefined,
                  runId: randomUUID(),
                  workflowId: undefined,
                });
                await activities.validatePartition(staged);
                await activities.landPartition(staged);
                completions.push(performance.now() - started);
              } catch {
                failed += 1;
              }
            }
          }),
        );
      }
      const wallMs = performance.now() - started;
      const landed = await listCurrentManifests(lakeDir);
      const distinct = new Set(landed.map((manifest) => manifest.period)).size;
      const sorted = completions.sort((a, b) => a - b);
      const longestGapMs = sorted.reduce(
        (gap, time, index) => Math.max(gap, time - (sorted[index - 1] ?? 0)),
        0,
      );
      logger.warn('backfill measured', {
        mode,
        wallMs: Math.round(wallMs),
        landed: distinct,
        failed,
      });
      return {
        wallMs,
        landed: distinct,
        failed,
        longestGapMs,
        perSecond: distinct / (wallMs / 1000),
      };
    });

    const summarize = (list: (typeof samples)['temporal']) => ({
      medianWallMs: median(list.map((sample) => sample.wallMs)),
      medianPerSecond: median(list.map((sample) => sample.perSecond)),
      maxLongestGapMs: Math.max(...list.map((sample) => sample.longestGapMs)),
      minLanded: Math.min(...list.map((sample) => sample.landed)),
      totalFailed: list.reduce((sum, sample) => sum + sample.failed, 0),
      samples: list,
    });
    const temporal = summarize(samples.temporal);
    const direct = summarize(samples.direct);
    const result = {
      machine: await describeMachine(),
      quick: options.quick,
      runs,
      periods: periods.length,
      lanes,
      temporal,
      direct,
      ratioToDirect: temporal.medianWallMs / direct.medianWallMs,
    };
    await saveResult(options.quick ? 'backfill-quick' : 'backfill', result);
    return result;
  } finally {
    await stack.stop();
  }
}

export function backfillTables(result: Awaited<ReturnType<typeof runBackfillBench>>): string {
  const row = (label: string, side: typeof result.temporal) => [
    label,
    format.seconds(side.medianWallMs),
    format.rate(side.medianPerSecond),
    `${side.minLanded} / ${result.periods}`,
    String(side.totalFailed),
    format.seconds(side.maxLongestGapMs),
  ];
  const table = markdownTable(
    [
      'candidate',
      'wall time',
      'periods landed per second',
      'partitions landed (worst run)',
      'failed',
      'longest gap between completions',
    ],
    [
      row(`${format.count(result.periods)} collection workflows on Temporal`, result.temporal),
      row('same activities called directly', result.direct),
    ],
  );
  const complete =
    result.temporal.minLanded === result.periods && result.temporal.totalFailed === 0;
  return `${table}\n\nNo skip: ${verdict(complete)} (every run landed ${result.periods} distinct partitions). Temporal over direct: ${format.ratio(result.ratioToDirect)}.`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } },
  });
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  process.stdout.write(
    `${backfillTables(await runBackfillBench({ quick: values.quick, runs }))}\n`,
  );
}
