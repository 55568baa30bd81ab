import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger.js';
import { ensureData } from './generate.js';
import { startFileServer } from './support/file-server.js';
import { describeMachine } from './support/machine.js';
import { type ChildRun, interleaved, median, runChild, tsxArgs } from './support/measure.js';
import { benchVarDir, repositoryRoot } from './support/paths.js';
import { loadCurveSource, writeBenchProject } from './support/projects.js';
import { ensureDlt } from './support/python-tools.js';
import { format, markdownTable, saveResult, verdict } from './support/results.js';

/**
 * terreze against dlt, the peer a data engineer would pick, on the same load-curve files
 * served over HTTP: download, load into DuckDB, same model SQL. dlt runs two ways (rows as
 * dictionaries, and pyarrow record batches); dictionaries only on the smallest file, as they
 * take minutes beyond it. (`--runs` sets the runs per candidate.)
 *
 *   npx tsx bench/dlt.ts [--quick]
 */

export const dltTarget = { speedup: 10 };

interface LoadResult {
  durationMs: number;
  stages: Record<string, number>;
  modelRows: number;
}

const logger = createLogger({ format: 'pretty', metadata: { bench: 'dlt' } });

export async function runDltBench(options: { quick: boolean; runs?: number }) {
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const data = await ensureData(options.quick ? 'quick' : 'full');
  const dlt = ensureDlt(logger);
  const server = await startFileServer(data.directory);
  const workRoot = join(benchVarDir, 'work', 'dlt');
  // The smallest file only: dlt with dictionaries takes minutes per million rows.
  const curves = data.loadCurves.slice(0, 1);
  const sizes = [];

  try {
    for (const [index, curve] of curves.entries()) {
      const url = `${server.url}/load-curve/sites-${curve.sites}-2023.csv`;
      const project = join(benchVarDir, 'projects', `dlt-${curve.sites}`, 'terreze.yaml');
      await writeBenchProject(project, {
        project: `bench-dlt-${curve.sites}`,
        sources: [loadCurveSource('load-curve', url)],
      });
      const names =
        index === 0
          ? (['terreze', 'dlt-arrow', 'dlt-dicts'] as const)
          : (['terreze', 'dlt-arrow'] as const);
      logger.info('measuring', { rows: curve.rows, candidates: names.join(', '), runs });

      const samples = await interleaved<string, ChildRun<LoadResult>>(
        names,
        runs,
        async (name, run) => {
          const work = join(workRoot, `${name}-${curve.sites}-${run}`);
          await rm(work, { recursive: true, force: true });
          try {
            if (name === 'terreze') {
              return await runChild<LoadResult>('node', [
                ...tsxArgs('bench/ingest/child.ts'),
                '--mode',
                'terreze',
                '--project',
                project,
                '--file',
                curve.file,
                '--work',
                work,
              ]);
            }
            return await runChild<LoadResult>(
              dlt.python,
              [
                join(repositoryRoot, 'bench/dlt/load_curve.py'),
                '--url',
                url,
                '--mode',
                name.replace('dlt-', ''),
                '--work',
                work,
              ],
              { env: dlt.env },
            );
          } finally {
            await rm(work, { recursive: true, force: true });
          }
        },
      );

      const summary = Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [
          name,
          {
            medianMs: median(list.map((sample) => sample.result.durationMs)),
            runsMs: list.map((sample) => Math.round(sample.result.durationMs)),
            maxPeakRssMb: Math.max(...list.map((sample) => sample.peakRssMb)),
            modelRows: list[0]!.result.modelRows,
          },
        ]),
      );
      sizes.push({ sites: curve.sites, rows: curve.rows, candidates: summary });
    }
    const result = {
      machine: await describeMachine(),
      quick: options.quick,
      runs,
      targets: dltTarget,
      sizes,
    };
    await saveResult(options.quick ? 'dlt-quick' : 'dlt', result);
    return result;
  } finally {
    await server.close();
  }
}

export function dltTables(result: Awaited<ReturnType<typeof runDltBench>>): string {
  const rows = result.sizes.flatMap((size) => {
    const terreze = size.candidates.terreze!;
    return Object.entries(size.candidates)
      .filter(([name]) => name !== 'terreze')
      .map(([name, candidate]) => {
        const speedup = candidate.medianMs / terreze.medianMs;
        return [
          format.count(size.rows),
          name,
          format.seconds(candidate.medianMs),
          format.mb(candidate.maxPeakRssMb),
          format.seconds(terreze.medianMs),
          format.mb(terreze.maxPeakRssMb),
          format.ratio(speedup),
          verdict(speedup >= dltTarget.speedup),
        ];
      });
  });
  return markdownTable(
    [
      'rows',
      'dlt resource',
      'dlt',
      'dlt peak RSS',
      'terreze',
      'terreze peak RSS',
      'dlt / terreze',
      'target ≥ 10×',
    ],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } },
  });
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  process.stdout.write(`${dltTables(await runDltBench({ quick: values.quick, runs }))}\n`);
}
