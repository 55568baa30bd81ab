import type { Project } from '../config/project.js';
import { conversionTable, unitAliases, units } from '../lib/units.js';
import { knownActivityKeys } from './activity-keys.js';
import { leverTables } from './levers.js';
import type { SeedTable } from './seeds.js';

/**
 * Seed tables of the inventory method: units and their declared conversions, the activity
 * keys the models know (`activity-keys.ts`), notation keys the project declares, the transit
 * fleet, recovery factors, secrecy thresholds, the levers and the baseline the trajectory
 * starts from.
 */

/** The reference year's total, as found by the compute step before the models run. */
export interface BaselineInput {
  kind: 'declared' | 'edition' | 'edition-missing';
  tco2e: number | null;
  source: string;
  editionId: string | null;
  sameModels: boolean | null;
  estimatedSubsectors: string | null;
  /**
   * Whether the edition read was complete, and the sources it lacked: a target applied to an
   * edition a failed source left short is lower than the territory's, and must say so. Null
   * for a declared figure (its publisher answers for it) and for an edition that did not say.
   */
  complete: boolean | null;
  missingSources: string | null;
  note: string | null;
}

/** The baseline a project declares, before any edition of another year is looked up. */
export function declaredBaseline(project: Project): BaselineInput {
  const { baseline } = project.inventory;
  if (baseline.from === 'declared') {
    return {
      kind: 'declared',
      tco2e: baseline.tco2e,
      source: baseline.source,
      editionId: null,
      sameModels: null,
      estimatedSubsectors: null,
      complete: null,
      missingSources: null,
      note: baseline.note ?? null,
    };
  }
  return {
    kind: 'edition',
    tco2e: null,
    source: `inventory edition of ${project.inventory.referenceYear}`,
    editionId: null,
    sameModels: null,
    estimatedSubsectors: null,
    complete: null,
    missingSources: null,
    note: baseline.note ?? null,
  };
}

export function methodSeedTables(project: Project, baseline: BaselineInput): SeedTable[] {
  const { inventory } = project;
  const levers = leverTables(inventory.levers);
  return [
    {
      name: 'units',
      columns: [
        ['unit', 'VARCHAR'],
        ['dimension', 'VARCHAR'],
        ['label', 'VARCHAR'],
      ],
      rows: units.map((unit) => [unit.unit, unit.dimension, unit.label]),
    },
    {
      name: 'unit_aliases',
      columns: [
        ['alias', 'VARCHAR'],
        ['unit', 'VARCHAR'],
      ],
      rows: unitAliases().map(({ alias, unit }) => [alias, unit]),
    },
    {
      name: 'unit_conversions',
      columns: [
        ['from_unit', 'VARCHAR'],
        ['to_unit', 'VARCHAR'],
        ['multiplier', 'DOUBLE'],
        ['carrier', 'VARCHAR'],
        ['activity_key', 'VARCHAR'],
        ['path', 'VARCHAR'],
        ['steps', 'INTEGER'],
        ['source', 'VARCHAR'],
      ],
      rows: conversionTable(inventory.unitConversions).map((path) => [
        path.from,
        path.to,
        path.multiplier,
        path.carrier ?? null,
        path.activityKey ?? null,
        path.path,
        path.steps,
        path.source,
      ]),
    },
    {
      name: 'activity_keys',
      columns: [['activity_key', 'VARCHAR']],
      rows: knownActivityKeys(inventory).map((key) => [key]),
    },
    {
      name: 'notation_declarations',
      columns: [
        ['gpc_ref', 'VARCHAR'],
        ['notation_key', 'VARCHAR'],
        ['reason', 'VARCHAR'],
      ],
      rows: inventory.notationKeys.map((item) => [item.gpcRef, item.key, item.reason]),
    },
    {
      name: 'avoided_factor_selection',
      columns: [
        ['recovery', 'VARCHAR'],
        ['factor_ref', 'VARCHAR'],
      ],
      rows: Object.entries(inventory.avoidedFactors).sort(([a], [b]) => a.localeCompare(b)),
    },
    {
      name: 'transit_fleet',
      columns: [
        ['mode', 'VARCHAR'],
        ['carrier', 'VARCHAR'],
        ['share', 'DOUBLE'],
        ['source', 'VARCHAR'],
      ],
      rows: inventory.transit.fleet.map((item) => [
        item.mode,
        item.carrier,
        item.share,
        item.source,
      ]),
    },
    {
      name: 'secrecy_settings',
      columns: [
        ['minimum_units', 'INTEGER'],
        ['dominance_share', 'DOUBLE'],
        ['masked_audiences', 'VARCHAR'],
        ['source', 'VARCHAR'],
      ],
      rows: [
        [
          inventory.secrecy.minimumUnits,
          inventory.secrecy.dominanceShare,
          inventory.secrecy.maskedAudiences.join(', '),
          inventory.secrecy.source,
        ],
      ],
    },
    {
      name: 'baseline_input',
      columns: [
        ['kind', 'VARCHAR'],
        ['tco2e', 'DOUBLE'],
        ['source', 'VARCHAR'],
        ['edition_id', 'VARCHAR'],
        ['same_models', 'BOOLEAN'],
        ['estimated_subsectors', 'VARCHAR'],
        ['complete', 'BOOLEAN'],
        ['missing_sources', 'VARCHAR'],
        ['note', 'VARCHAR'],
      ],
      rows: [
        [
          baseline.kind,
          baseline.tco2e,
          baseline.source,
          baseline.editionId,
          baseline.sameModels,
          baseline.estimatedSubsectors,
          baseline.complete,
          baseline.missingSources,
          baseline.note,
        ],
      ],
    },
    {
      name: 'lever_declarations',
      columns: [
        ['lever_id', 'VARCHAR'],
        ['kind', 'VARCHAR'],
        ['title', 'VARCHAR'],
        ['gpc_ref', 'VARCHAR'],
        ['assumptions', 'VARCHAR'],
        ['position', 'INTEGER'],
      ],
      rows: levers.declarations.map((item) => [
        item.leverId,
        item.kind,
        item.title,
        item.gpcRef,
        item.assumptions,
        item.position,
      ]),
    },
    {
      name: 'lever_activities',
      columns: [
        ['lever_id', 'VARCHAR'],
        ['case_name', 'VARCHAR'],
        ['activity_key', 'VARCHAR'],
        ['carrier', 'VARCHAR'],
        ['quantity', 'DOUBLE'],
        ['unit', 'VARCHAR'],
        ['mass_basis', 'VARCHAR'],
      ],
      rows: levers.activities.map((item) => [
        item.leverId,
        item.caseName,
        item.activityKey,
        item.carrier,
        item.quantity,
        item.unit,
        item.basis,
      ]),
    },
  ];
}
