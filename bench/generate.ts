import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger.js';
import { generateCommunes } from './generate/communes.js';
import { writeGtfsFeed } from './generate/gtfs.js';
import { writeLoadCurveDays, writeLoadCurveYear } from './generate/load-curve.js';
import { oreYears, writeOreFile } from './generate/ore.js';
import { writeSinoeFile } from './generate/sinoe.js';
import { benchDataDir, type DataProfile, dataProfiles } from './support/paths.js';

/**
 * Writes the benchmarks' input files, deterministic for a seed, each streamed to disk:
 * national ORE consumption, SINOE tonnages and a GTFS feed under `provider/` (at the paths the
 * provider simulator serves), and half-hourly load curves at three sizes plus one small file
 * per day for the backfill. Skips the work when the files of the same seed are already there.
 *
 *   npx tsx bench/generate.ts [--quick] [--seed 2026] [--force]
 */

export const generatorVersion = 2;
export const defaultSeed = 2026;

export interface GeneratedData {
  directory: string;
  seed: number;
  profile: DataProfile['name'];
  loadCurves: { sites: number; rows: number; bytes: number; file: string }[];
  loadCurveDays: { directory: string; firstDay: string; days: number; sites: number };
  ore: { file: string; rows: number; bytes: number; communes: number; years: number[] };
  sinoe: { file: string; rows: number; bytes: number };
  gtfs: { file: string; weekdayTrips: number; trips: number; stopTimes: number };
  communesFile: string;
}

export const providerPaths = {
  ore: 'energy/ore_conso_elec_gaz_commune_labels_header_chunk10.csv',
  sinoe: 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv',
  gtfs: 'transport/gtfs_frioul_if_express_transport-site_fixture/gtfs.zip',
};

const logger = createLogger({ format: 'pretty', metadata: { bench: 'generate' } });

async function generate(profile: DataProfile, seed: number): Promise<GeneratedData> {
  const directory = benchDataDir(profile.name);
  const provider = join(directory, 'provider');
  await mkdir(provider, { recursive: true });
  const started = Date.now();

  const communes = generateCommunes(seed);
  const communesFile = join(directory, 'communes.json');
  await writeFile(
    communesFile,
    JSON.stringify(
      communes.map((commune) => ({
        insee: commune.insee,
        name: commune.name,
        department: commune.department.code,
        epciCode: commune.epciCode,
        epciName: commune.epciName,
        households: commune.households,
      })),
    ),
  );

  // The latest years: the reports read the last one.
  const years = oreYears.slice(-profile.oreYears);
  const oreFile = join(provider, providerPaths.ore);
  const ore = await writeOreFile(oreFile, communes, seed, years);
  logger.info('wrote ORE consumption', { communes: communes.length, ...ore });

  const sinoeFile = join(provider, providerPaths.sinoe);
  const sinoe = await writeSinoeFile(sinoeFile, seed);
  logger.info('wrote SINOE tonnages', sinoe);

  const gtfsFile = join(provider, providerPaths.gtfs);
  const gtfs = await writeGtfsFeed(gtfsFile, {
    seed,
    year: 2023,
    weekdayTrips: profile.weekdayTrips,
  });
  logger.info('wrote GTFS feed', gtfs);

  const loadCurves: GeneratedData['loadCurves'] = [];
  for (const sites of profile.loadCurveSites) {
    const file = join(directory, 'load-curve', `sites-${sites}-2023.csv`);
    const written = await writeLoadCurveYear(file, { seed, sites, year: 2023 });
    loadCurves.push({ sites, file, ...written });
    logger.info('wrote load curves', { sites, ...written });
  }

  const days = { firstDay: '2021-01-01', days: profile.backfillDays, sites: 10 };
  const daysDir = join(directory, 'load-curve-days');
  await writeLoadCurveDays(daysDir, { seed, ...days });
  logger.info('wrote daily load curves', days);

  const data: GeneratedData = {
    directory,
    seed,
    profile: profile.name,
    loadCurves,
    loadCurveDays: { directory: daysDir, ...days },
    ore: { file: oreFile, communes: communes.length, years, ...ore },
    sinoe: { file: sinoeFile, ...sinoe },
    gtfs: { file: gtfsFile, ...gtfs },
    communesFile,
  };
  await writeFile(
    join(directory, 'manifest.json'),
    `${JSON.stringify({ generatorVersion, ...data }, null, 2)}\n`,
  );
  logger.info('generated bench data', { directory, durationMs: Date.now() - started });
  return data;
}

/** The data of a profile, generated first when missing or made with another seed. */
export async function ensureData(
  profileName: DataProfile['name'],
  options: { seed?: number; force?: boolean } = {},
): Promise<GeneratedData> {
  const seed = options.seed ?? defaultSeed;
  const manifestFile = join(benchDataDir(profileName), 'manifest.json');
  if (!options.force && existsSync(manifestFile)) {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    if (manifest.generatorVersion === generatorVersion && manifest.seed === seed) {
      return manifest as GeneratedData;
    }
  }
  return generate(dataProfiles[profileName], seed);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  await ensureData(values.quick ? 'quick' : 'full', {
    seed: values.seed === undefined ? undefined : Number(values.seed),
    force: values.force,
  });
}
