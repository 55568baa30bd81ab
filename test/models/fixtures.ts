import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Project, projectSchema } from '../../config/project-schema.js';
import { connectors } from '../../connectors/index.js';
import { writeParquetFile } from '../../lake/parquet.js';
import { absolutePartitionFile, commitPartition, stagingPath } from '../../lake/store.js';
import { batchFromRows } from '../../lib/arrow.js';
import type { SelectedPartition } from '../../models/seeds.js';
import { testInventory } from './fixture-inventory.js';

/** A small territory and hand-written raw partitions whose inventory is computed by hand. */

type InventoryInput = Record<string, unknown>;

/** The test project, parsed by the real schema so that its defaults apply. */
export function testProject(overrides: InventoryInput = {}): Project {
  const source = (id: string, connector: string, domain: string) => ({
    id,
    connector,
    domain,
    title: `${id} title`,
    producer: `${id} producer`,
    licence: 'Licence Ouverte 2.0',
    access: 'public',
    vintages: [2017, 2023],
    params: {},
  });
  return projectSchema.parse({
    project: 'test-territory',
    territory: {
      name: 'Test territory',
      epci: '241700434',
      timeZone: 'Europe/Paris',
      population: { inhabitants: 1000, year: 2023, source: 'hand-written' },
      department: {
        code: '17',
        name: 'Test',
        population: { inhabitants: 4000, year: 2023, source: 'hand-written' },
      },
      communes: [
        { insee: '17300', name: 'La Rochelle' },
        { insee: '17200', name: 'Lagord' },
      ],
    },
    inventory: { ...testInventory, ...overrides },
    cycle: { concurrency: 2, onSourceFailure: 'continue' },
    sources: [
      source('electricity', 'enedis-residential-epci', 'energy'),
      source('ore', 'ore-commune-consumption', 'energy'),
      source('heat', 'sdes-heat-iris', 'energy'),
      source('transit', 'gtfs-vehicle-km', 'transport'),
      source('waste', 'sinoe-waste', 'waste'),
      { ...source('factors', 'base-carbone', 'reference'), vintages: undefined },
    ],
    reports: [
      {
        id: 'committee',
        template: 'builtin:committee',
        title: 'Report',
        audience: 'committee',
        formats: ['html'],
      },
    ],
  });
}

const heat = (
  commune: string,
  sector: string,
  mwh: number | null,
  flag: string | null,
  energy = 'heat',
) => ({
  network_id: '1701C',
  operator: 'Test network',
  year: 2023,
  iris_code: `${commune}0101`,
  iris_label: 'IRIS',
  commune_code: commune,
  energy,
  sector_code: sector,
  consumption_mwh: mwh,
  consumption_flag: flag,
  delivery_points: mwh === null ? null : 10,
  delivery_points_flag: flag,
});

export const ore = (
  commune: string,
  energy: 'electricity' | 'gas',
  sector: string,
  mwh: number | null,
  points: number,
) => ({
  operator: energy === 'gas' ? 'GRDF' : 'Enedis',
  year: 2023,
  energy,
  commune_code: commune,
  commune_name: `commune ${commune}`,
  epci_code: '241700434',
  department_code: '17',
  sector,
  consumption_mwh: mwh,
  delivery_points: points,
  masked_cells: 0,
  quality_index: 1,
  consumption_flag: mwh === null ? 'secret' : null,
});

const waste = (department: string, wasteCode: string, treatmentCode: string, tonnes: number) => ({
  year: 2017,
  region_code: '75',
  department_code: department,
  department_name: 'Test',
  waste_code: wasteCode,
  waste_label: `waste ${wasteCode}`,
  treatment_code: treatmentCode,
  treatment_label: `treatment ${treatmentCode}`,
  tonnes,
  tonnes_flag: null,
});

const factor = (lineType: string, id: string, value: number, unit: string) => ({
  line_type: lineType,
  factor_id: id,
  structure: null,
  status: 'Valide générique',
  name_fr: `factor ${id}`,
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
  co2f: lineType === 'element' && id === '14087' ? 3.18 : null,
  ch4f: lineType === 'element' && id === '14087' ? 0.05 : null,
  ch4b: lineType === 'element' && id === '14087' ? 0 : null,
  n2o: lineType === 'element' && id === '14087' ? 0.0145 : null,
  co2b: null,
  post_type: null,
  post_name_fr: null,
});

export type RawRows = Record<string, { period: string; rows: Record<string, unknown>[] }>;

/** Raw rows per source: each figure below is used in the hand computation of the tests. */
export const rawRows: RawRows = {
  electricity: {
    period: '2023',
    rows: [
      {
        year: 2023,
        operator: 'Enedis',
        epci_code: '241700434',
        epci_name: 'CA',
        department_code: '17',
        sites: 100,
        consumption_mwh: 1000,
        consumption_flag: null,
        inhabitants: 1000,
      },
      {
        year: 2023,
        operator: 'Enedis',
        epci_code: '200041499',
        epci_name: 'Other',
        department_code: '17',
        sites: 50,
        consumption_mwh: 777,
        consumption_flag: null,
        inhabitants: 500,
      },
    ],
  },
  ore: {
    period: '2023',
    rows: [
      ore('17300', 'electricity', 'tertiary', 200, 40),
      ore('17300', 'gas', 'residential', 500, 120),
      ore('17300', 'gas', 'tertiary', null, 2),
      ore('17200', 'gas', 'residential', 40, 2),
      ore('01053', 'gas', 'residential', 999, 500),
    ],
  },
  heat: {
    period: '2023',
    rows: [
      heat('17300', 'R', 100, null),
      heat('17300', 'T', null, 'secret'),
      heat('17200', 'R', 50, null),
      heat('01053', 'R', 999, null),
      heat('17300', 'T', 10, null, 'cold'),
    ],
  },
  transit: {
    period: '2017',
    rows: ['2017-03-01', '2017-03-02', '2016-12-31'].map((date) => ({
      service_date: new Date(`${date}T00:00:00Z`),
      route_id: 'L1',
      route_short_name: '1',
      route_type: 3,
      agency_id: 'A',
      trips: 2,
      vehicle_km: 10,
      length_method: 'stops',
    })),
  },
  waste: {
    period: '2017',
    rows: [
      waste('17', '02D', '02D', 100),
      waste('17', '02C', '02E', 10),
      waste('17', '02B', '02A', 50),
      waste('17', '02A', '02B', 5),
      waste('17', '02D', '02B', 20),
      waste('79', '02D', '02D', 1000),
    ],
  },
  factors: {
    period: 'current',
    rows: [
      factor('element', '42513', 0.052, 'kgCO2e/kWh'),
      factor('post', '42513', 0.04, 'kgCO2e/kWh'),
      factor('element', '34682', 87, 'kgCO2e/tonne de déchets'),
      factor('element', '14087', 3.25, 'kgCO2e/litre'),
    ],
  },
};

/** Lands raw rows in a fresh lake (or `lake`) through the real Parquet writer and store. */
export async function landRawRows(
  project: Project,
  rows: RawRows = rawRows,
  lake = mkdtempSync(join(tmpdir(), 'terreze-models-')),
): Promise<SelectedPartition[]> {
  const selected: SelectedPartition[] = [];
  for (const source of project.sources) {
    const { period, rows: sourceRows } = rows[source.id]!;
    const schema = connectors.get(source.connector)!.schema;
    const staged = await writeParquetFile(await stagingPath(lake), schema, [
      batchFromRows(schema, sourceRows),
    ]);
    const manifest = await commitPartition(lake, staged, {
      source: source.id,
      period,
      runId: `run-${source.id}`,
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
      standIn: undefined,
    });
    selected.push({
      sourceId: source.id,
      period,
      vintage: period === 'current' ? undefined : Number(period),
      manifest,
      absoluteFile: absolutePartitionFile(lake, manifest),
    });
  }
  return selected;
}
