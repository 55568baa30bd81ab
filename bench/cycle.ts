import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/settings.js';
import { openDatabase, quoteLiteral } from '../lib/duckdb.js';
import { createLogger } from '../lib/logger.js';
import { territorialCycleWorkflow } from '../workflows/index.js';
import { historyTimes } from './orchestration/history.js';
import { startBenchStack } from './orchestration/stack.js';
import { describeMachine } from './support/machine.js';
import { median } from './support/measure.js';
import { benchVarDir } from './support/paths.js';
import { demoSources, type SourceDeclaration, writeBenchProject } from './support/projects.js';
import { format, markdownTable, saveResult, verdict } from './support/results.js';

/**
 * A reporting cycle of 200 sources through a real Temporal dev server and worker: the demo's
 * five sources plus SINOE tonnages of other départements and Enedis figures of other EPCIs,
 * all served by the provider simulator from the real files. The activities' own time comes
 * from the histories of the cycle and of its children; the figure is the cycle's wall time
 * over the time the same activities would take packed perfectly on the cycle's lanes.
 *
 *   npx tsx bench/cycle.ts [--quick]
 */

export const cycleTarget = { overhead: 0.2 };
const logger = createLogger({ format: 'pretty', level: 'warn', metadata: { bench: 'cycle' } });
const collectionActivities = new Set(['fetchSource', 'validatePartition', 'landPartition']);

/** Départements of the SINOE file and EPCIs of the Enedis file other than the demo's own. */
async function otherAreas(providerDataDir: string) {
  const database = await openDatabase();
  try {
    const sinoe = join(
      providerDataDir,
      'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv',
    );
    const enedis = join(
      providerDataDir,
      'energy/enedis_residentiel_epci_2023_with_housing_stats_R-export.csv',
    );
    const departments = await database.connection.runAndReadAll(
      `select distinct C_DEPT from read_csv(${quoteLiteral(sinoe)}, all_varchar = true)
       where C_DEPT <> '17' order by 1`,
    );
    const epcis = await database.connection.runAndReadAll(
      `select distinct "Code.EPCI" from read_csv(${quoteLiteral(enedis)}, all_varchar = true)
       where "Code.EPCI" <> '241700434' order by 1`,
    );
    return {
      departments: departments.getRows().map((row) => String(row[0])),
      epcis: epcis.getRows().map((row) => String(row[0])),
    };
  } finally {
    database.close();
  }
}

function cycleSources(total: number, areas: { departments: string[]; epcis: string[] }) {
  const demo = demoSources();
  const sinoe = demo.find((source) => source.connector === 'sinoe-waste')!;
  const enedis = demo.find((source) => source.connector === 'enedis-residential-epci')!;
  const extra = total - demo.length;
  const departments = areas.departments.slice(0, Math.ceil(extra / 2));
  const epcis = areas.epcis.slice(0, extra - departments.length);
  const params = (source: SourceDeclaration) => source.params as Record<string, unknown>;
  return [
    ...demo,
    ...departments.map((code) => ({
      ...sinoe,
      id: `sinoe-department-${code.toLowerCase()}`,
      params: { ...params(sinoe), department: code },
    })),
    ...epcis.map((code) => ({
      ...enedis,
      id: `enedis-epci-${code}`,
      params: { ...params(enedis), refine: { code_epci: code } },
    })),
  ];
}

export async function runCycleBench(options: { quick: boolean; runs?: number }) {
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const sourceCount = options.quick ? 20 : 200;
  const projectFile = join(benchVarDir, 'projects', `cycle-${sourceCount}`, 'terreze.yaml');
  let concurrency = 0;
  const stack = await startBenchStack({
    name: 'cycle',
    filesDir: benchVarDir,
    logger,
    async writeProject() {
      const areas = await otherAreas(loadSettings().providerDataDir);
      const sources = cycleSources(sourceCount, areas);
      await writeBenchProject(projectFile, { project: 'bench-cycle', sources });
      return projectFile;
    },
  });
  const samples = [];
  try {
    concurrency = stack.dependencies.loaded.project.cycle.concurrency;
    for (let run = 0; run < runs; run += 1) {
      // Each cycle starts from an empty lake, so that no run lands what an earlier one did.
      await stack.resetProjectHome();
      const workflowId = `bench-cycle-${Date.now()}-${run}`;
      const started = performance.now();
      const result = await stack.client.workflow.execute(territorialCycleWorkflow, {
        workflowId,
        taskQueue: stack.taskQueue,
        args: [{ reportingYear: 2023 }],
      });
      const wallMs = performance.now() - started;
      const times = await historyTimes(stack.client, [workflowId]);
      const collectionMs = Object.entries(times.byActivity)
        .filter(([type]) => collectionActivities.has(type))
        .reduce((sum, [, entry]) => sum + entry.ownMs, 0);
      const sequentialMs = times.activityOwnMs - collectionMs;
      // The best any orchestrator could do: the collections packed on the lanes, then the rest.
      const packedMs = collectionMs / concurrency + sequentialMs;
      const done = result.sources.filter((source) => source.state === 'done').length;
      samples.push({ wallMs, packedMs, overhead: wallMs / packedMs - 1, done, ...times });
      logger.warn('cycle measured', {
        run,
        wallMs: Math.round(wallMs),
        packedMs: Math.round(packedMs),
        done,
      });
    }
  } finally {
    await stack.stop();
  }

  const result = {
    machine: await describeMachine(),
    quick: options.quick,
    runs,
    sources: sourceCount,
    concurrency,
    targets: cycleTarget,
    medianWallMs: median(samples.map((sample) => sample.wallMs)),
    medianPackedMs: median(samples.map((sample) => sample.packedMs)),
    medianOverhead: median(samples.map((sample) => sample.overhead)),
    medianScheduleToStartMs: median(
      samples.map((sample) => sample.scheduleToStartMs / sample.activities),
    ),
    samples,
  };
  await saveResult(options.quick ? 'cycle-quick' : 'cycle', result);
  return result;
}

export function cycleTables(result: Awaited<ReturnType<typeof runCycleBench>>): string {
  const last = result.samples[result.samples.length - 1]!;
  const activities = markdownTable(
    ['activity', 'count', 'own time (sum)'],
    Object.entries(last.byActivity).map(([type, entry]) => [
      type,
      format.count(entry.count),
      format.seconds(entry.ownMs),
    ]),
  );
  const main = markdownTable(
    [
      'sources',
      'lanes',
      'cycle wall time',
      'activities packed on the lanes',
      'overhead',
      'target ≤ 20 %',
      'collected',
      'mean schedule-to-start',
    ],
    [
      [
        format.count(result.sources),
        String(result.concurrency),
        format.seconds(result.medianWallMs),
        format.seconds(result.medianPackedMs),
        format.percent(result.medianOverhead),
        verdict(result.medianOverhead <= cycleTarget.overhead),
        `${last.done} / ${result.sources}`,
        format.ms(result.medianScheduleToStartMs),
      ],
    ],
  );
  return `${main}\n\nActivities of the last run (own time from the histories):\n\n${activities}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } },
  });
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  process.stdout.write(`${cycleTables(await runCycleBench({ quick: values.quick, runs }))}\n`);
}
