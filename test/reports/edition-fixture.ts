import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createComputeActivities } from '../../activities/compute.js';
import { type ActivityDependencies, projectPaths } from '../../activities/dependencies.js';
import { readEditionManifest } from '../../activities/editions.js';
import type { Project } from '../../config/project.js';
import { loadSettings } from '../../config/settings.js';
import { connectors } from '../../connectors/index.js';
import { writeParquetFile } from '../../lake/parquet.js';
import { commitPartition, stagingPath } from '../../lake/store.js';
import { batchFromRows } from '../../lib/arrow.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { renderEditionReports } from '../../reports/render.js';
import type { InventorySummary, RenderedReport } from '../../workflows/types.js';
import { testProject } from '../models/fixtures.js';

/**
 * A terreze home for report editions: the test territory of the model tests (1,000
 * inhabitants, a quarter of its département), four sources with rows written here, partitions
 * landed through the real lake and inventory editions built by the real compute activity.
 *
 * Hand computation, with the factors the test project selects: electricity 1,000 MWh ×
 * 0.052 kgCO2e/kWh = 52 t and heat 100 MWh × 0.112 = 11.2 t in I.1.2 (63.2 t); the tertiary
 * heat of La Rochelle is `secret` (I.2.2 confidential); landfilled bulky waste 100 t × 0.25 ×
 * 87 kg/t = 2.175 t in III.1.1 (data year 2017). Total 65.375 t, 0.065375 t per inhabitant.
 */

const electricity = (epci: string, mwh: number) => ({
  year: 2023,
  operator: 'Enedis',
  epci_code: epci,
  epci_name: `EPCI ${epci}`,
  department_code: '17',
  sites: 100,
  consumption_mwh: mwh,
  consumption_flag: null,
  inhabitants: 1000,
});

/** A heat row of La Rochelle's IRIS 173000101; `secret` when `mwh` is null. */
export const heat = (sector: string, mwh: number | null, deliveryPoints = 10) => ({
  network_id: '1701C',
  operator: 'Réseau de test',
  year: 2023,
  iris_code: '173000101',
  iris_label: 'IRIS',
  commune_code: '17300',
  energy: 'heat',
  sector_code: sector,
  consumption_mwh: mwh,
  consumption_flag: mwh === null ? 'secret' : null,
  delivery_points: mwh === null ? null : deliveryPoints,
  delivery_points_flag: mwh === null ? 'secret' : null,
});

const factor = (id: string, value: number, unit: string) => ({
  line_type: 'element',
  factor_id: id,
  structure: null,
  status: 'Valide générique',
  name_fr: `facteur ${id}`,
  attribute_fr: null,
  border_fr: null,
  unit_fr: unit,
  category_code: null,
  contributor: null,
  source: 'ADEME',
  location: 'France',
  validity: '2022',
  validity_year: 2022,
  total_kgco2e: value,
  co2f: null,
  ch4f: null,
  ch4b: null,
  n2o: null,
  co2b: null,
  post_type: null,
  post_name_fr: null,
});

/** Rows and period of each source; `electricity` is the one a provider restates. */
export const editionRows: Record<string, { period: string; rows: Record<string, unknown>[] }> = {
  electricity: { period: '2023', rows: [electricity('241700434', 1000)] },
  heat: { period: '2023', rows: [heat('R', 100), heat('T', null)] },
  waste: {
    period: '2017',
    rows: [
      {
        year: 2017,
        region_code: '75',
        department_code: '17',
        department_name: 'Charente-Maritime',
        waste_code: '02D',
        waste_label: 'Encombrants',
        treatment_code: '02D',
        treatment_label: 'Stockage',
        tonnes: 100,
        tonnes_flag: null,
      },
    ],
  },
  factors: {
    period: 'current',
    rows: [factor('42513', 0.052, 'kgCO2e/kWh'), factor('34682', 87, 'kgCO2e/tonne de déchets')],
  },
};

/**
 * A transit feed of another network, for homes that declare it a stand-in: 2 days of 2017 ×
 * 10 vehicle-km (the 2016 day is outside the year), never counted in a total.
 */
const transitRows = ['2017-03-01', '2017-03-02', '2016-12-31'].map((date) => ({
  service_date: new Date(`${date}T00:00:00Z`),
  route_id: 'L1',
  route_short_name: '1',
  route_type: 3,
  agency_id: 'A',
  trips: 2,
  vehicle_km: 10,
  length_method: 'stops',
}));

/** The restated electricity partition: 1,200 MWh instead of 1,000 (I.1.2 becomes 73.6 t). */
export const restatedElectricity = [electricity('241700434', 1200)];

const sourceConnectors: Record<string, [connector: string, domain: string]> = {
  electricity: ['enedis-residential-epci', 'energy'],
  heat: ['sdes-heat-iris', 'energy'],
  waste: ['sinoe-waste', 'waste'],
  factors: ['base-carbone', 'reference'],
};

export interface EditionHomeOptions {
  /** Adds a `transit` source declared as standing in for the territory's bus network. */
  standInTransit?: boolean;
  /** Keys of the test project's `inventory` section to replace, as a project file writes them. */
  inventory?: Record<string, unknown>;
}

export interface EditionHome {
  homeDir: string;
  project: Project;
  dependencies: ActivityDependencies;
  editionsDir: string;
  /** Lands `rows` as the partition of `sourceId` for its fixture period, as run `runId`. */
  land(sourceId: string, rows: Record<string, unknown>[], runId: string): Promise<void>;
  /** Builds the edition of every source's current partition but the excluded ones, as a cycle would. */
  compute(
    exclusions?: Pick<Parameters<ComputeInventory>[0], 'failed' | 'skipped'>,
  ): Promise<InventorySummary>;
  /** Renders `reportIds` of the project from the edition `summary` names, as a cycle would. */
  render(
    summary: InventorySummary,
    reportIds: string[],
    logger?: Logger,
  ): Promise<RenderedReport[]>;
  remove(): Promise<void>;
}

type ComputeInventory = ReturnType<typeof createComputeActivities>['computeInventory'];

/**
 * The test project with `reports`, in a fresh home where every source is landed once, with
 * its rows of `editionRows` or of `rows` when given.
 */
export async function createEditionHome(
  reports: Project['reports'],
  rows: Partial<Record<string, Record<string, unknown>[]>> = {},
  projectId?: string,
  options: EditionHomeOptions = {},
): Promise<EditionHome> {
  const homeDir = mkdtempSync(join(tmpdir(), 'terreze-report-edition-'));
  const base = testProject(options.inventory);
  const sources = Object.entries(sourceConnectors).map(([id, [connector, domain]]) => ({
    ...base.sources.find((source) => source.connector === connector)!,
    id,
    domain: domain as Project['sources'][number]['domain'],
    title: `${id} title`,
    producer: `${id} producer`,
  }));
  if (options.standInTransit) {
    sources.push({
      ...base.sources.find((source) => source.id === 'transit')!,
      title: 'transit title',
      producer: 'transit producer',
      standIn: { for: 'the territory bus network', reason: 'test feed of another network.' },
    });
  }
  const periods: Record<string, string> = {
    ...Object.fromEntries(Object.entries(editionRows).map(([id, entry]) => [id, entry.period])),
    transit: '2017',
  };
  const defaultRows: Record<string, Record<string, unknown>[]> = {
    ...Object.fromEntries(Object.entries(editionRows).map(([id, entry]) => [id, entry.rows])),
    transit: transitRows,
  };
  const project: Project = { ...base, project: projectId ?? base.project, sources, reports };
  const dependencies: ActivityDependencies = {
    settings: loadSettings({ ...process.env, TERREZE_HOME: homeDir }),
    loaded: { file: join(homeDir, 'terreze.yaml'), directory: homeDir, project },
    connectors,
    logger: createLogger({ level: 'error' }),
  };
  const paths = projectPaths(dependencies);
  const { computeInventory } = createComputeActivities(dependencies);

  const land = async (sourceId: string, rows: Record<string, unknown>[], runId: string) => {
    const source = project.sources.find((candidate) => candidate.id === sourceId)!;
    const schema = connectors.get(source.connector)!.schema;
    const staged = await writeParquetFile(await stagingPath(paths.lake), schema, [
      batchFromRows(schema, rows),
    ]);
    await commitPartition(paths.lake, staged, {
      source: sourceId,
      period: periods[sourceId]!,
      runId,
      workflowId: undefined,
      connector: { id: source.connector, version: '1.0.0' },
      rows: staged.rows,
      bytes: staged.bytes,
      sha256: staged.sha256,
      schema: [],
      retrievedAt: '2024-01-01T00:00:00.000Z',
      resources: [],
      producer: source.producer,
      licence: source.licence,
      access: source.access,
      standIn: source.standIn,
    });
  };

  for (const source of project.sources) {
    await land(source.id, rows[source.id] ?? defaultRows[source.id]!, `run-${source.id}-1`);
  }

  return {
    homeDir,
    project,
    dependencies,
    editionsDir: paths.editions,
    land,
    compute: (exclusions = { failed: [], skipped: [] }) =>
      computeInventory({
        reportingYear: 2023,
        // A source the cycle could not collect brings no partition, as in a cycle.
        collected: project.sources
          .filter((source) =>
            [...exclusions.failed, ...exclusions.skipped].every(
              (missing) => missing.sourceId !== source.id,
            ),
          )
          .map((source) => ({ sourceId: source.id, period: periods[source.id]! })),
        ...exclusions,
      }),
    render: async (summary, reportIds, logger = dependencies.logger) =>
      renderEditionReports({
        loaded: dependencies.loaded,
        edition: await editionOf(summary),
        databaseFile: summary.databaseFile,
        editionsDir: paths.editions,
        reportIds,
        chromiumPath: undefined,
        logger,
      }),
    remove: () => rm(homeDir, { recursive: true, force: true }),
  };
}

/** The manifest of the edition `summary` names. */
export async function editionOf(summary: InventorySummary) {
  const manifest = await readEditionManifest(summary.editionDir);
  if (manifest === undefined) throw new Error(`no edition manifest in ${summary.editionDir}`);
  return manifest;
}
