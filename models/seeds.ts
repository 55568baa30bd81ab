import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { PartitionManifest } from '../lake/manifest.js';
import { quoteIdentifier } from '../lib/duckdb.js';
import type { MissingSourceCoverage } from './coverage.js';
import { type BaselineInput, declaredBaseline, methodSeedTables } from './seeds-method.js';

/** Tables the models read besides the raw data: the project's declarations and the catalog. */

export interface SelectedPartition {
  sourceId: string;
  period: string;
  vintage: number | undefined;
  manifest: PartitionManifest;
  absoluteFile: string;
}

export interface SeedTable {
  name: string;
  columns: [name: string, type: string][];
  rows: DuckDBValue[][];
}

function seedTables(
  project: Project,
  reportingYear: number,
  partitions: readonly SelectedPartition[],
): SeedTable[] {
  const { territory, inventory } = project;
  const selected = new Map(partitions.map((partition) => [partition.sourceId, partition]));
  const share = territory.population.inhabitants / territory.department.population.inhabitants;

  return [
    {
      name: 'cycle',
      columns: [
        ['reporting_year', 'INTEGER'],
        ['reference_year', 'INTEGER'],
      ],
      rows: [[reportingYear, inventory.referenceYear]],
    },
    {
      name: 'territory',
      columns: [
        ['name', 'VARCHAR'],
        ['epci', 'VARCHAR'],
        ['time_zone', 'VARCHAR'],
        ['population', 'INTEGER'],
        ['population_year', 'INTEGER'],
        ['population_source', 'VARCHAR'],
        ['department_code', 'VARCHAR'],
        ['department_name', 'VARCHAR'],
      ],
      rows: [
        [
          territory.name,
          territory.epci,
          territory.timeZone,
          territory.population.inhabitants,
          territory.population.year,
          territory.population.source,
          territory.department.code,
          territory.department.name,
        ],
      ],
    },
    {
      name: 'communes',
      columns: [
        ['insee', 'VARCHAR'],
        ['name', 'VARCHAR'],
        ['population', 'INTEGER'],
      ],
      rows: territory.communes.map((commune) => [
        commune.insee,
        commune.name,
        commune.population ?? null,
      ]),
    },
    {
      name: 'downscaling',
      columns: [
        ['area_level', 'VARCHAR'],
        ['area_code', 'VARCHAR'],
        ['area_population', 'INTEGER'],
        ['territory_population', 'INTEGER'],
        ['population_share', 'DOUBLE'],
        ['source', 'VARCHAR'],
      ],
      rows: [
        [
          'department',
          territory.department.code,
          territory.department.population.inhabitants,
          territory.population.inhabitants,
          share,
          `${territory.population.source}; ${territory.department.population.source}`,
        ],
      ],
    },
    {
      name: 'targets',
      columns: [
        ['year', 'INTEGER'],
        ['reduction_percent', 'DOUBLE'],
        ['label', 'VARCHAR'],
      ],
      rows: inventory.targets.map((target) => [
        target.year,
        target.reductionPercent,
        target.label ?? null,
      ]),
    },
    {
      name: 'gwp',
      columns: [
        ['set_name', 'VARCHAR'],
        ['ch4', 'DOUBLE'],
        ['n2o', 'DOUBLE'],
      ],
      rows: [[inventory.gwp.set, inventory.gwp.CH4, inventory.gwp.N2O]],
    },
    {
      name: 'factor_selection',
      columns: [
        ['activity_key', 'VARCHAR'],
        ['factor_ref', 'VARCHAR'],
      ],
      rows: Object.entries(inventory.factors).sort(([a], [b]) => a.localeCompare(b)),
    },
    {
      name: 'local_factors',
      columns: [
        ['id', 'VARCHAR'],
        ['name', 'VARCHAR'],
        ['unit', 'VARCHAR'],
        ['value_kgco2e', 'DOUBLE'],
        ['co2_kg', 'DOUBLE'],
        ['ch4_kg', 'DOUBLE'],
        ['n2o_kg', 'DOUBLE'],
        ['mass_basis', 'VARCHAR'],
        ['year', 'INTEGER'],
        ['source', 'VARCHAR'],
        ['note', 'VARCHAR'],
      ],
      rows: inventory.localFactors.map((factor) => [
        factor.id,
        factor.name,
        factor.unit,
        factor.value ?? null,
        factor.gases?.CO2 ?? 0,
        factor.gases?.CH4 ?? 0,
        factor.gases?.N2O ?? 0,
        factor.basis ?? null,
        factor.year,
        factor.source,
        factor.note ?? null,
      ]),
    },
    {
      name: 'sources',
      columns: [
        ['source_id', 'VARCHAR'],
        ['connector', 'VARCHAR'],
        ['domain', 'VARCHAR'],
        ['title', 'VARCHAR'],
        ['producer', 'VARCHAR'],
        ['licence', 'VARCHAR'],
        ['access', 'VARCHAR'],
        ['vintage', 'INTEGER'],
        ['period', 'VARCHAR'],
        ['stand_in_for', 'VARCHAR'],
        ['stand_in_reason', 'VARCHAR'],
      ],
      rows: project.sources.map((source) => {
        const partition = selected.get(source.id);
        return [
          source.id,
          source.connector,
          source.domain,
          source.title,
          source.producer,
          source.licence,
          source.access,
          partition?.vintage ?? null,
          partition?.period ?? null,
          source.standIn?.for ?? null,
          source.standIn?.reason ?? null,
        ];
      }),
    },
    {
      name: 'partitions',
      columns: [
        ['source_id', 'VARCHAR'],
        ['period', 'VARCHAR'],
        ['run_id', 'VARCHAR'],
        ['connector_version', 'VARCHAR'],
        ['rows', 'BIGINT'],
        ['sha256', 'VARCHAR'],
        ['retrieved_at', 'VARCHAR'],
        ['url', 'VARCHAR'],
        ['file', 'VARCHAR'],
      ],
      rows: partitions.map(({ manifest }) => [
        manifest.source,
        manifest.period,
        manifest.runId,
        manifest.connector.version,
        BigInt(manifest.rows),
        manifest.sha256,
        manifest.retrievedAt,
        manifest.resources.map((resource) => resource.url).join(' '),
        manifest.file,
      ]),
    },
  ];
}

/** `missing_sources`: what the cycle could not collect, and what its staging model made of it. */
function missingSourcesTable(missing: readonly MissingSourceCoverage[]): SeedTable {
  return {
    name: 'missing_sources',
    columns: [
      ['source_id', 'VARCHAR'],
      ['state', 'VARCHAR'],
      ['reason', 'VARCHAR'],
      ['footprint_period', 'VARCHAR'],
      ['footprint_run_id', 'VARCHAR'],
      ['staged_gpc_refs', 'VARCHAR'],
    ],
    rows: missing.map((item) => [
      item.sourceId,
      item.state,
      item.reason,
      item.footprint?.period ?? null,
      item.footprint?.runId ?? null,
      item.stagedGpcRefs === null ? null : item.stagedGpcRefs.join(','),
    ]),
  };
}

export interface SeedInputs {
  project: Project;
  reportingYear: number;
  partitions: readonly SelectedPartition[];
  /** The declared baseline when absent. */
  baseline?: BaselineInput | undefined;
  /** Sources the cycle could not collect; none when absent. */
  missingSources?: readonly MissingSourceCoverage[] | undefined;
}

/** Creates the seed tables in `connection`, replacing any earlier copy. */
export async function writeSeeds(connection: DuckDBConnection, inputs: SeedInputs): Promise<void> {
  const { project } = inputs;
  const tables = [
    ...seedTables(project, inputs.reportingYear, inputs.partitions),
    ...methodSeedTables(project, inputs.baseline ?? declaredBaseline(project)),
    missingSourcesTable(inputs.missingSources ?? []),
  ];
  for (const table of tables) {
    const columns = table.columns.map(([name, type]) => `${quoteIdentifier(name)} ${type}`);
    await connection.run(
      `create or replace table ${quoteIdentifier(table.name)} (${columns.join(', ')})`,
    );
    const placeholders = table.columns.map((_, index) => `$${index + 1}`).join(', ');
    const insert = await connection.prepare(
      `insert into ${quoteIdentifier(table.name)} values (${placeholders})`,
    );
    for (const row of table.rows) {
      insert.bind(row);
      await insert.run();
    }
    insert.destroySync();
  }
}
