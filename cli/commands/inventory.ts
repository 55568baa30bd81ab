import { join } from 'node:path';
import type { Command } from 'commander';
import { diffEditions, type EditionDiff, readEditionDiff } from '../../activities/edition-diff.js';
import {
  type EditionManifest,
  editionYears,
  findEdition,
  listEditions,
} from '../../activities/editions.js';
import { openDatabase } from '../../lib/duckdb.js';
import { NotFoundError } from '../../temporal/errors.js';
import { type CommandContext, loadCommandContext } from '../context.js';
import { editionDiffLines } from '../diff-lines.js';
import { formatTco2e } from '../format.js';
import { parseYear } from '../options.js';
import { print } from './operations.js';

/**
 * `terreze inventory list | show | diff`: the inventory editions of the project, their figures
 * by GPC sector with notation keys and completeness, and what changed between two of them.
 */

interface Edition {
  editionDir: string;
  manifest: EditionManifest;
}

/** One GPC sector of an edition; fields an older edition's database lacks are null. */
interface SectorFigures {
  sector: string;
  sectorName: string;
  tco2e: number | null;
  notationKey: string | null;
  /** The sub-sectors reported with a notation key rather than a figure, by GPC reference. */
  subsectorsWithNotationKey: string[];
  complete: boolean | null;
  missingSources: string | null;
  illustrativeTco2e: number | null;
}

interface EditionFigures {
  editionId: string;
  reportingYear: number;
  createdAt: string;
  previousEditionId: string | null;
  totalTco2e: number | null;
  tco2ePerInhabitant: number | null;
  complete: boolean | null;
  missingSources: string | null;
  illustrativeTco2e: number | null;
  failedSources: EditionManifest['failedSources'];
  sectors: SectorFigures[];
}

const numberOrNull = (value: unknown) =>
  value === null || value === undefined ? null : Number(value);
const textOrNull = (value: unknown) =>
  value === null || value === undefined ? null : String(value);
const booleanOrNull = (value: unknown) =>
  value === null || value === undefined ? null : Boolean(value);

/**
 * The editions are local files: these commands load the project without the variables that
 * only its sources' params use (TERREZE_SIMULATOR_URL in the demo), which they never reach.
 */
function loadLocalContext(command: Command): CommandContext {
  return loadCommandContext(command.optsWithGlobals().project, {
    sourceVariables: 'optional-in-sources',
  });
}

function standInsOf(context: CommandContext): ReadonlySet<string> {
  const { sources } = context.loaded.project;
  return new Set(sources.filter((source) => source.standIn).map((source) => source.id));
}

function editionsDirOf(context: CommandContext): string {
  return join(context.settings.homeDir, context.loaded.project.project, 'editions');
}

async function editionNamed(editionsDir: string, editionId: string): Promise<Edition> {
  const found = await findEdition(editionsDir, editionId);
  if (found === undefined) {
    const years = (await editionYears(editionsDir)).join(', ') || 'none';
    throw new NotFoundError(
      `no inventory edition ${editionId} in ${editionsDir} (years with editions: ${years}); ` +
        'terreze inventory list shows them',
      { editionsDir, editionId },
    );
  }
  return found;
}

async function editionsOfYear(editionsDir: string, year: number): Promise<Edition[]> {
  const editions = await listEditions(editionsDir, year);
  if (editions.length === 0) {
    const years = (await editionYears(editionsDir)).join(', ') || 'none';
    throw new NotFoundError(
      `no inventory edition of ${year} in ${editionsDir} (years: ${years}); run the cycle of that year first`,
      { editionsDir, year },
    );
  }
  return editions;
}

/** The headline and sector figures an edition's database holds, read-only. */
async function figuresOf(edition: Edition): Promise<EditionFigures> {
  const database = await openDatabase(join(edition.editionDir, 'inventory.duckdb'), {
    access_mode: 'READ_ONLY',
  });
  try {
    const read = async (sql: string) =>
      (await database.connection.runAndReadAll(sql)).getRowObjectsJS();
    const [summary = {}] = await read('select * from inventory_summary');
    const sectors = await read('select * from inventory_sector order by sector');
    const { manifest } = edition;
    return {
      editionId: manifest.editionId,
      reportingYear: manifest.reportingYear,
      createdAt: manifest.createdAt,
      previousEditionId: manifest.previousEditionId ?? null,
      totalTco2e: numberOrNull(summary.total_tco2e),
      tco2ePerInhabitant: numberOrNull(summary.tco2e_per_inhabitant),
      complete: booleanOrNull(summary.complete),
      missingSources: textOrNull(summary.missing_sources),
      illustrativeTco2e: numberOrNull(summary.illustrative_tco2e),
      failedSources: manifest.failedSources,
      sectors: sectors.map((row) => ({
        sector: String(row.sector),
        sectorName: String(row.sector_name),
        tco2e: numberOrNull(row.tco2e),
        notationKey: textOrNull(row.notation_key) ?? (row.tco2e === null ? 'NE' : null),
        subsectorsWithNotationKey: textOrNull(row.subsectors_with_notation_key)?.split(', ') ?? [],
        complete: booleanOrNull(row.complete),
        missingSources: textOrNull(row.missing_sources),
        illustrativeTco2e: numberOrNull(row.illustrative_tco2e),
      })),
    };
  } finally {
    database.close();
  }
}

function completeness(complete: boolean | null, missingSources: string | null): string {
  if (complete === null) return 'completeness not recorded';
  return complete ? 'complete' : `incomplete: missing ${missingSources}`;
}

/**
 * The sources that failed in an edition, stand-ins marked: a stand-in never makes a figure
 * incomplete, so a `complete` edition may still have lost one, and says so.
 */
function failures(figures: EditionFigures, standIns: ReadonlySet<string>): string {
  if (figures.failedSources.length === 0) return '';
  const named = figures.failedSources.map(({ sourceId }) =>
    standIns.has(sourceId) ? `${sourceId} (stand-in, not counted)` : sourceId,
  );
  return `; failed: ${named.join(', ')}`;
}

function listLines(figures: EditionFigures[], standIns: ReadonlySet<string>): string[] {
  return figures.map(
    (item) =>
      `${item.editionId}  ${item.reportingYear}  ${item.createdAt}  ` +
      `${formatTco2e(item.totalTco2e).padStart(16)}  ` +
      `${completeness(item.complete, item.missingSources)}${failures(item, standIns)}`,
  );
}

function showLines(figures: EditionFigures, standIns: ReadonlySet<string>): string[] {
  const perInhabitant =
    figures.tco2ePerInhabitant === null
      ? ''
      : `, ${figures.tco2ePerInhabitant.toFixed(2)} tCO2e per inhabitant`;
  const lines = [
    `Inventory edition ${figures.editionId}, reporting year ${figures.reportingYear}, created ${figures.createdAt}`,
    `  total ${formatTco2e(figures.totalTco2e)}${perInhabitant} — ` +
      `${completeness(figures.complete, figures.missingSources)}${failures(figures, standIns)}`,
  ];
  for (const sector of figures.sectors) {
    const keys =
      sector.subsectorsWithNotationKey.length > 0
        ? `  notation keys: ${sector.subsectorsWithNotationKey.join(', ')}`
        : '';
    lines.push(
      `  ${sector.sector.padEnd(4)} ${sector.sectorName.padEnd(20)} ` +
        `${formatTco2e(sector.tco2e, sector.notationKey ?? 'NE').padStart(18)}  ` +
        `${completeness(sector.complete, sector.missingSources)}${keys}`,
    );
    if (sector.illustrativeTco2e !== null) {
      lines.push(
        `       stand-in data, illustrative and not counted: ${formatTco2e(sector.illustrativeTco2e)}`,
      );
    }
  }
  for (const failed of figures.failedSources) {
    lines.push(`  source ${failed.sourceId} failed: ${failed.message}`);
  }
  return lines;
}

/** The diff an edition wrote against its predecessor, or one computed against `against`. */
async function diffOf(editionsDir: string, editionId: string, againstId?: string) {
  const edition = await editionNamed(editionsDir, editionId);
  if (againstId !== undefined) {
    return diffEditions(await editionNamed(editionsDir, againstId), edition);
  }
  const written = await readEditionDiff(edition.editionDir);
  if (written) return written;
  const previousId = edition.manifest.previousEditionId;
  if (!previousId) {
    throw new NotFoundError(
      `edition ${editionId} has no previous edition of ${edition.manifest.reportingYear} to ` +
        `compare with: name one, terreze inventory diff ${editionId} <against>`,
      { editionId },
    );
  }
  return diffEditions(await editionNamed(editionsDir, previousId), edition);
}

export function registerInventory(program: Command): void {
  const inventory = program
    .command('inventory')
    .description('inventory editions: list them, show one by GPC sector, diff two');

  inventory
    .command('list')
    .description('the inventory editions of the project: id, year, created, total')
    .option('--year <year>', 'only the editions of this reporting year', parseYear)
    .option('--json', 'print JSON')
    .action(async (options: { year?: number; json?: boolean }, command: Command) => {
      const context = loadLocalContext(command);
      const editionsDir = editionsDirOf(context);
      const years = options.year === undefined ? await editionYears(editionsDir) : [options.year];
      const editions: Edition[] = [];
      for (const year of years) {
        editions.push(
          ...(options.year === undefined
            ? await listEditions(editionsDir, year)
            : await editionsOfYear(editionsDir, year)),
        );
      }
      const figures = await Promise.all(editions.map(figuresOf));
      const listed = figures.map(({ sectors: _sectors, ...rest }) => rest);
      print(listed, options.json ?? false, () => listLines(figures, standInsOf(context)));
    });

  inventory
    .command('show [edition]')
    .description('the total and each GPC sector of an edition, with notation keys and completeness')
    .option('--year <year>', 'the latest edition of this reporting year', parseYear)
    .option('--json', 'print JSON')
    .action(
      async (
        editionId: string | undefined,
        options: { year?: number; json?: boolean },
        command: Command,
      ) => {
        if (editionId === undefined && options.year === undefined) {
          command.error(
            'terreze: inventory show needs an edition id or --year <year>, e.g. inventory show ' +
              '--year 2023; terreze inventory list shows the editions',
            { exitCode: 2 },
          );
        }
        if (editionId !== undefined && options.year !== undefined) {
          command.error('terreze: name an edition or give --year, not both', { exitCode: 2 });
        }
        const context = loadLocalContext(command);
        const editionsDir = editionsDirOf(context);
        const edition =
          editionId === undefined
            ? (await editionsOfYear(editionsDir, options.year!)).at(-1)!
            : await editionNamed(editionsDir, editionId);
        const figures = await figuresOf(edition);
        print(figures, options.json ?? false, () => showLines(figures, standInsOf(context)));
      },
    );

  inventory
    .command('diff <edition> [against]')
    .description(
      'what changed from <against> (default: the previous edition of its year) to <edition>',
    )
    .option('--json', 'print JSON')
    .action(
      async (
        editionId: string,
        againstId: string | undefined,
        options: { json?: boolean },
        command: Command,
      ) => {
        const context = loadLocalContext(command);
        const diff: EditionDiff = await diffOf(editionsDirOf(context), editionId, againstId);
        print(diff, options.json ?? false, () => editionDiffLines(diff));
      },
    );
}
