import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type LoadedProject, loadProject } from '../../config/project.js';
import type { AnyConnector } from '../../connectors/contract.js';
import { connectors } from '../../connectors/index.js';
import { loadCurve } from '../connectors/load-curve.js';
import { repositoryRoot } from './paths.js';

/**
 * Project files for the benchmarks: the demo territory's declarations (territory, inventory,
 * cycle, reports) with the sources a benchmark needs in place of the demo's, so that they
 * follow whatever the project file's schema asks of the demo.
 */

export const benchConnectors: ReadonlyMap<string, AnyConnector> = new Map([
  ...connectors,
  [loadCurve.id, loadCurve],
]);

const demoFile = join(repositoryRoot, 'projects', 'la-rochelle', 'terreze.yaml');

export type SourceDeclaration = Record<string, unknown> & { id: string; connector: string };

/** The demo's sources as declared (URLs still holding `${TERREZE_SIMULATOR_URL}`). */
export function demoSources(): SourceDeclaration[] {
  return (parse(readFileSync(demoFile, 'utf8')) as { sources: SourceDeclaration[] }).sources;
}

export async function writeBenchProject(
  file: string,
  options: { project: string; sources: SourceDeclaration[]; concurrency?: number },
): Promise<void> {
  const demo = parse(readFileSync(demoFile, 'utf8')) as Record<string, unknown> & {
    cycle: Record<string, unknown>;
  };
  const project = {
    ...demo,
    project: options.project,
    cycle: { ...demo.cycle, concurrency: options.concurrency ?? demo.cycle.concurrency },
    sources: options.sources,
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    `# Written by the benchmarks; regenerated on every run.\n${stringify(project)}`,
  );
}

/** Loads a bench project with the shipped connectors and the benchmark ones. */
export function loadBenchProject(file: string, environment: NodeJS.ProcessEnv = {}): LoadedProject {
  return loadProject(file, benchConnectors, { ...process.env, ...environment });
}

/** A load-curve source reading `url` (which may hold `{period}`). */
export function loadCurveSource(id: string, url: string): SourceDeclaration {
  return {
    id,
    connector: loadCurve.id,
    domain: 'energy',
    title: 'Half-hourly load curves of delivery points (benchmark data)',
    producer: 'terreze benchmark generator',
    licence: 'Licence Ouverte / Open Licence 2.0',
    access: 'restricted',
    vintages: [2023],
    params: { url },
  };
}
