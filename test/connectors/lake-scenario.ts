import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { type CollectOverrides, createCollectActivities } from '../../activities/collect.js';
import { demoProjectFile } from '../../cli/context.js';
import { type LoadedProject, loadProject } from '../../config/project.js';
import { loadSettings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { readSourceSchemas } from '../../lake/schemas.js';
import { readSourceState } from '../../lake/state.js';
import { readCurrentManifest } from '../../lake/store.js';
import { createLogger } from '../../lib/logger.js';

/**
 * Collections through the real activities and the real lake, as a worker runs them: a project
 * file holding the demo territory and the test's sources, loaded once, then one fresh home
 * folder (and lake) per scenario.
 */

let demo: Promise<Record<string, unknown>> | undefined;

/** Writes and loads a project file with the demo territory and `sources`. */
export async function testProject(sources: Record<string, unknown>[]) {
  demo ??= readFile(demoProjectFile, 'utf8').then((text) => parse(text) as Record<string, unknown>);
  const directory = await mkdtemp(join(tmpdir(), 'terreze-project-'));
  const file = join(directory, 'terreze.yaml');
  await writeFile(file, stringify({ ...(await demo), sources }));
  const loaded = loadProject(file, connectors);
  return { loaded, file, cleanup: () => rm(directory, { recursive: true, force: true }) };
}

export interface ScenarioOptions {
  sourceId: string;
  vintage?: number;
  /** Replaces lake steps of the activities, to fail one on purpose. */
  overrides?: CollectOverrides;
}

export type LakeScenario = Awaited<ReturnType<typeof lakeScenario>>;

/** One home folder, lake and set of collect activities over a loaded project. */
export async function lakeScenario(loaded: LoadedProject, options: ScenarioOptions) {
  const { sourceId, vintage } = options;
  const homeDir = await mkdtemp(join(tmpdir(), `terreze-lake-${sourceId}-`));
  const settings = loadSettings({ ...process.env, TERREZE_HOME: homeDir });
  const logger = createLogger({ level: 'error', format: 'json', write: () => {} });
  const activities = createCollectActivities(
    { settings, loaded, connectors, logger },
    options.overrides,
  );
  const lake = join(homeDir, loaded.project.project, 'lake');
  const period = vintage === undefined ? 'current' : String(vintage);
  let run = 0;
  return {
    lake,
    period,
    activities,
    /** Fetches, validates and lands one collection, as the collect workflow does. */
    async collect() {
      run += 1;
      const input = { sourceId, period, vintage, runId: `run-${run}`, workflowId: undefined };
      const staged = await activities.fetchSource(input);
      await activities.validatePartition(staged);
      return activities.landPartition(staged);
    },
    /** Nothing landed, no state, no schema, nothing left in staging. */
    async assertNothingLanded() {
      expect(await readCurrentManifest(lake, sourceId, period)).toBeUndefined();
      expect(await readSourceState(lake, sourceId)).toBeUndefined();
      expect(await readSourceSchemas(lake, sourceId)).toBeUndefined();
      const staging = join(lake, '.staging');
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    },
    cleanup: () => rm(homeDir, { recursive: true, force: true }),
  };
}
