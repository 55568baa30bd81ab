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
 * activities and raw table against DuckDB alone on the same file, and the COPY prototype (the
 * same COPY without the activities, the model over the partition in place), interleaved, each run in a child process for its peak memory. Then one run taken apart
 * stage by stage and one under `--cpu-prof`.
 *
 *   npx tsx bench/ingest.ts [--quick] [--runs N] [--large-runs N] [--max-rows N]
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

export interface IngestOptions {
  quick: boolean;
  /** Runs per candidate and size; 5 unless quick. */
  runs?: number;
  /** Runs at the largest size only, where one terreze run takes minutes; `runs` by default. */
  largeRuns?: number;
  /** Sizes with more rows than this are left out (the 35 M-row file takes the longest). */
  maxRows?: number;
}

// The stage profile replays the whole path twice; above this size it is left out.
const stageProfileMaxRows = 11_000_000;

export async function runIngestBench(options: IngestOptions) {
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const data = await ensureData(options.quick ? 'quick' : 'full');
  const server = await startFileServer(data.directory);
  const workRoot = join(benchVarDir, 'work', 'ingest');
  const profileDir = join(benchVarDir, 'profiles', 'ingest');
  const sizes: IngestSize[] = [];
  const resultName = options.quick ? 'ingest-quick' : 'ingest';
  const save = async (cpuProfile?: IngestResult['cpuProfile']) => {
    const result: IngestResult = {
      machine: await describeMachine(),
      quick: options.quick,
      runs,
      targets: ingestTargets,
      sizes,
      cpuProfile,
    };
    await saveResult(resultName, result);
    return result;
  };

  try {
    const curves = data.loadCurves.filter((curve) => curve.rows <= (options.maxRows ?? Infinity));
    for (const curve of curves) {
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

      const largest = curve === data.loadCurves[data.loadCurves.length - 1];
      const sizeRuns = largest ? (options.largeRuns ?? runs) : runs;
      logger.info('measuring', { rows: curve.rows, sites: curve.sites, runs: sizeRuns });
      const samples = await interleaved(candidates, sizeRuns, (mode, run) =>
        child(mode, String(run)),
      );
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
      ) as Record<Candidate, CandidateSummary>;

      let stages: ChildResult | undefined;
      if (curve.rows <= stageProfileMaxRows) {
        logger.info('taking the terreze path apart', { rows: curve.rows });
        stages = (await child('stages', 'profile')).result;
      }
      sizes.push({
        sites: curve.sites,
        rows: curve.rows,
        csvBytes: curve.bytes,
        runs: sizeRuns,
        candidates: summary,
        ratioToBare: summary.terreze.medianMs / summary.duckdb.medianMs,
        copyRatioToBare: summary.copy.medianMs / summary.duckdb.medianMs,
        stages: stages?.stages,
        replay: stages?.replay,
      });
      // Saved after each size, so that an interrupted run keeps what it measured.
      await save();
    }

    // The profile at the smallest size: long enough to be steady, short enough to keep.
    const middle = data.loadCurves[0]!;
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

    return await save(cpuProfile);
  } finally {
    await server.close();
  }
}

interface CandidateSummary {
  medianMs: number;
  medianPeakRssMb: number;
  maxPeakRssMb: number;
  runsMs: number[];
  stagesMs: Record<string, number>;
  modelRows: number;
}

export interface IngestSize {
  sites: number;
  rows: number;
  csvBytes: number;
  runs: number;
  candidates: Record<Candidate, CandidateSummary>;
  ratioToBare: number;
  copyRatioToBare: number;
  stages: Record<string, number> | undefined;
  replay: Record<string, number> | undefined;
}

export interface IngestResult {
  machine: Awaited<ReturnType<typeof describeMachine>>;
  quick: boolean;
  runs: number;
  targets: typeof ingestTargets;
  sizes: IngestSize[];
  cpuProfile:
    | (Awaited<ReturnType<typeof summarizeProfile>> & { rows: number; file: string })
    | undefined;
}

export function ingestTables(result: IngestResult): string {
  const main = markdownTable(
    [
      'rows',
      'CSV',
      'runs',
      'terreze',
      'bare DuckDB',
      'ratio',
      'target ≤ 1.5×',
      'terreze peak RSS',
      'target ≤ 1 GB',
      'DuckDB peak RSS',
      'COPY prototype',
      'prototype ratio',
      'prototype peak RSS',
    ],
    result.sizes.map((size) => [
      format.count(size.rows),
      format.mb(size.csvBytes / 2 ** 20),
      String(size.runs),
      format.seconds(size.candidates.terreze.medianMs),
      format.seconds(size.candidates.duckdb.medianMs),
      format.ratio(size.ratioToBare),
      verdict(size.ratioToBare <= ingestTargets.ratioToBare),
      format.mb(size.candidates.terreze.maxPeakRssMb),
      verdict(size.candidates.terreze.maxPeakRssMb <= ingestTargets.peakRssMb),
      format.mb(size.candidates.duckdb.maxPeakRssMb),
      format.seconds(size.candidates.copy.medianMs),
      format.ratio(size.copyRatioToBare),
      format.mb(size.candidates.copy.maxPeakRssMb),
    ]),
  );
  const profiled = result.sizes.filter((size) => size.stages !== undefined);
  const tables = [main];
  if (profiled.length > 0) {
    const columns = profiled.map((size) => `${format.count(size.rows)} rows`);
    tables.push(
      markdownTable(
        ['stage (one run taken apart)', ...columns],
        Object.keys(profiled[0]!.stages!).map((name) => [
          name,
          ...profiled.map((size) => format.seconds(size.stages![name]!)),
        ]),
      ),
    );
    // Results of the Arrow path replayed its result stream step by step; the COPY path has none.
    const replayed = Object.keys(profiled[0]!.replay ?? {});
    if (replayed.length > 0) {
      tables.push(
        markdownTable(
          ['result stream step (replayed)', ...columns],
          replayed.map((name) => [
            name.trim(),
            ...profiled.map((size) => format.seconds(size.replay![name]!)),
          ]),
        ),
      );
    }
  }
  const profile = result.cpuProfile;
  if (profile !== undefined) {
    tables.push(
      `CPU profile of one terreze run, ${format.count(profile.rows)} rows (main thread, self time):`,
      markdownTable(
        ['part', 'ms', 'share'],
        profile.byPart
          .slice(0, 10)
          .map((part) => [part.part, format.count(part.selfMs), format.percent(part.share)]),
      ),
      markdownTable(
        ['function', 'where', 'self ms', 'share'],
        profile.topFunctions.map((entry) => [
          `\`${entry.name}\``,
          entry.where,
          format.count(entry.selfMs),
          format.percent(entry.share),
        ]),
      ),
    );
  }
  return tables.join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      'large-runs': { type: 'string' },
      'max-rows': { type: 'string' },
    },
  });
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const result = await runIngestBench({
    quick: values.quick,
    runs: number(values.runs),
    largeRuns: number(values['large-runs']),
    maxRows: number(values['max-rows']),
  });
  process.stdout.write(`${ingestTables(result)}\n`);
}
