import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the benchmarks keep their generated data and results: `var/bench/`, never committed. */

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const benchVarDir = join(repositoryRoot, 'var', 'bench');

export interface DataProfile {
  name: 'full' | 'quick';
  loadCurveSites: number[];
  oreYears: number;
  weekdayTrips: number;
  backfillDays: number;
}

/** Full: the sizes the results table reports. Quick: a smoke run of every script. */
export const dataProfiles: Record<DataProfile['name'], DataProfile> = {
  // 57, 571 and 2,000 sites × 17,520 half-hours ≈ 1 M, 10 M and 35 M rows.
  full: {
    name: 'full',
    loadCurveSites: [57, 571, 2000],
    oreYears: 10,
    weekdayTrips: 5000,
    backfillDays: 1000,
  },
  quick: {
    name: 'quick',
    loadCurveSites: [6, 29],
    oreYears: 2,
    weekdayTrips: 500,
    backfillDays: 40,
  },
};

export function benchDataDir(profile: DataProfile['name']): string {
  return join(benchVarDir, 'data', profile);
}
