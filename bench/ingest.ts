import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger.js';
import { ensureData } from './generate.js';
import { mainThreadProfile, summarizeProfile } from './support/cpu-profile.js';
import { startFileServer } from './support/file-server.js';
import { describeMachine } from './support/machine.js';
import { interleaved, median, runChild, tsxArgs } from './support/measure.js';
import { benchVarDir } from './support/paths.js';
import { loadCurveSource, writeBenchProject } from './support/projects.js';
import { format, markdownTable, saveResult, verdict } from './support/results.js';

/**
 * Ingest + land + model of half-hourly load curves at three sizes: the terreze collection
 * activities and raw table against DuckDB alone on the same file, and the proposed COPY path,
 * interleaved, each run in a child process for its peak memory. Then one run taken apart
 * stage by stage and one under `--cpu-prof`.
 *
 *   npx tsx bench/ingest.ts [--quick]
 */

export const ingestTargets = { ratioToBare: 1.5, peakRssMb: 1024 };
const candidates = ['terreze', 'duckdb', 'copy'] as const;
type Candidate = (typeof candidates)[number];

interface ChildResult {
  durationMs: number;
  stages: Record<string, number>;
  replay?: Record<string, number>;
  rows?: number;
  modelRows: number;
}

const logger = createLogger({ format: 'pretty', metadata: { bench: 'ingest' } });

export async function runIngestBench(options: { quick: boolean }) {
  const runs = options.quick ? 1 : 5;
  const data = await ensureData(options.quick ? 'quick' : 'full');
  const server = await startFileServer(data.directory);
  const workRoot = join(benchVarDir, 'work', 'ingest');
  const profileDir = join(benchVarDir, 'profiles', 'ingest');
  const sizes = [];

  try {
    for (const curve of data.loadCurves) {
      const project = join(benchVarDir, 'projects', `ingest-${curve.sites}`, 'terreze.yaml');
      const url = `${server.url}/load-curve/sites-${curve.sites}-2023.csv`;
      await writeBenchProject(project, {
        project: `bench-ingest-${curve.sites}`,
        sources: [loadCurveSource('load-curve', url)],
      });
      const child = async (mode: string, run: string, nodeFlags: string[] = []) => {
        const work = join(workRoot, `${mode}-${curve.sites}-${run}`);
        await rm(work, { recursive: true, force: true });
        try {
          return await runChild<ChildResult>('node', [
            ...tsxArgs('bench/ingest/child.ts', nodeFlags),
            '--mode',
            mode,
            '--project',
            project,
            '--file',
            curve.file,
            '--work',
            work,
          ]);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      };

      logger.info('measuring', { rows: curve.rows, sites: curve.sites, runs });
      const samples = await interleaved(candidates, runs, (mode, run) => child(mode, String(run)));
      const summary = Object.fromEntries(
        candidates.map((mode) => [
          mode,
          {
            medianMs: median(samples[mode].map((sample) => sample.result.durationMs)),
            runsMs: samples[mode].map((sample) => Math.round(sample.result.durationMs)),
            medianPeakRssMb: median(samples[mode].map((sample) => sample.peakRssMb)),
            maxPeakRssMb: Math.max(...samples[mode].map((sample) => sample.peakRssMb)),
            stagesMs: Object.fromEntries(
              Object.keys(samples[mode][0]!.result.stages).map((stage) => [
                stage,
                median(samples[mode].map((sample) => sample.result.stages[stage]!)),
              ]),
            ),
            modelRows: samples[mode][0]!.result.modelRows,
          },
        ]),
      ) as Record<
        Candidate,
        {
          medianMs: number;
          medianPeakRssMb: number;
          maxPeakRssMb: number;
          runsMs: number[];
          stagesMs: Record<string, number>;
          modelRows: number;
        }
      >;

      logger.info('taking the terreze path apart', { rows: curve.rows });
      const stages = await child('stages', 'profile');
      sizes.push({
        sites: curve.sites,
        rows: curve.rows,
        csvBytes: curve.bytes,
        candidates: summary,
        ratioToBare: summary.terreze.medianMs / summary.duckdb.medianMs,
        copyRatioToBare: summary.copy.medianMs / summary.duckdb.medianMs,
        stages: stages.result.stages,
        replay: stages.result.replay,
      });
    }

    // The profile at the middle size: large enough to be steady, short enough to keep.
    const middle = data.loadCurves[Math.min(1, data.loadCurves.length - 1)]!;
    await rm(profileDir, { recursive: true, force: true });
    await mkdir(profileDir, { recursive: true });
    const profileProject = join(benchVarDir, 'projects', `ingest-${middle.sites}`, 'terreze.yaml');
    const work = join(workRoot, 'cpu-profile');
    await rm(work, { recursive: true, force: true });
    await runChild<ChildResult>('node', [
      ...tsxArgs('bench/ingest/child.ts', ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
      '--mode',
      'terreze',
      '--project',
      profileProject,
      '--file',
      middle.file,
      '--work',
      work,
    ]);
    await rm(work, { recursive: true, force: true });
    const profileFile = await mainThreadProfile(profileDir);
    const cpuProfile = {
      rows: middle.rows,
      file: profileFile,
      ...(await summarizeProfile(profileFile)),
    };

    const result = {
      machine: await describeMachine(),
      quick: options.quick,
      runs,
      targets: ingestTargets,
      sizes,
      cpuProfile,
    };
    await saveResult(options.quick ? 'ingest-quick' : 'ingest', result);
    return result;
  } finally {
    await server.close();
  }
}

export function ingestTables(result: Awaited<ReturnType<typeof runIngestBench>>): string {
  const main = markdownTable(
    [
      'rows',
      'CSV',
      'terreze',
      'bare DuckDB',
      'ratio',
      'target ≤ 1.5×',
      'terreze peak RSS',
      'DuckDB peak RSS',
      'COPY path',
      'COPY ratio',
      'COPY peak RSS',
    ],
    result.sizes.map((size) => [
      format.count(size.rows),
      format.mb(size.csvBytes / 2 ** 20),
      format.seconds(size.candidates.terreze.medianMs),
      format.seconds(size.candidates.duckdb.medianMs),
      format.ratio(size.ratioToBare),
      verdict(size.ratioToBare <= ingestTargets.ratioToBare),
      format.mb(size.candidates.terreze.maxPeakRssMb),
      format.mb(size.candidates.duckdb.maxPeakRssMb),
      format.seconds(size.candidates.copy.medianMs),
      format.ratio(size.copyRatioToBare),
      format.mb(size.candidates.copy.maxPeakRssMb),
    ]),
  );
  const stageNames = Object.keys(result.sizes[0]!.stages);
  const stages = markdownTable(
    ['stage', ...result.sizes.map((size) => `${format.count(size.rows)} rows`)],
    stageNames.map((name) => [
      name,
      ...result.sizes.map((size) => format.seconds(size.stages[name]!)),
    ]),
  );
  const replayNames = Object.keys(result.sizes[0]!.replay ?? {});
  const replay = markdownTable(
    [
      'result stream step (replayed)',
      ...result.sizes.map((size) => `${format.count(size.rows)} rows`),
    ],
    replayNames.map((name) => [
      name.trim(),
      ...result.sizes.map((size) => format.seconds(size.replay![name]!)),
    ]),
  );
  const parts = markdownTable(
    ['part (self time)', 'ms', 'share'],
    result.cpuProfile.byPart
      .slice(0, 10)
      .map((part) => [part.part, format.count(part.selfMs), format.percent(part.share)]),
  );
  const functions = markdownTable(
    ['function', 'where', 'self ms', 'share'],
    result.cpuProfile.topFunctions.map((entry) => [
      `\`${entry.name}\``,
      entry.where,
      format.count(entry.selfMs),
      format.percent(entry.share),
    ]),
  );
  return [
    main,
    stages,
    replay,
    `CPU profile of the terreze run, ${format.count(result.cpuProfile.rows)} rows:`,
    parts,
    functions,
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const result = await runIngestBench({ quick: values.quick });
  process.stdout.write(`${ingestTables(result)}\n`);
}
