import type { Assumption, LeverConfig } from '../config/lever-schema.js';

/**
 * Turns each declared lever into the activities it changes: the same quantities, units and
 * activity keys as the inventory's, so that a lever meets exactly the factors and unit
 * conversions the inventory uses. Its assumptions are written out next to the result.
 */

export interface LeverActivity {
  leverId: string;
  caseName: 'baseline' | 'scenario';
  activityKey: string;
  carrier: string | null;
  quantity: number;
  unit: string;
  /** Wet or dry, for a mass; null otherwise. */
  basis: string | null;
}

export interface LeverDeclaration {
  leverId: string;
  kind: LeverConfig['kind'];
  title: string;
  gpcRef: string;
  assumptions: string;
  position: number;
}

/** Where an assumed figure comes from: "(territory's assumption)" or "(source: …)", and its note. */
export function assumptionOrigin(assumption: Assumption): string {
  const origin = assumption.territoryAssumption
    ? "territory's assumption"
    : `source: ${assumption.source}`;
  const note = assumption.note ? `; ${assumption.note}` : '';
  return `(${origin}${note})`;
}

function activitiesOf(lever: LeverConfig): {
  baseline: Omit<LeverActivity, 'leverId' | 'caseName' | 'basis'>[];
  scenario: Omit<LeverActivity, 'leverId' | 'caseName' | 'basis'>[];
  basis?: string;
  assumptions: string;
} {
  switch (lever.kind) {
    case 'renovate-dwellings': {
      const gasKwhPcs = lever.dwellings * lever.gasPerDwellingKwhPcs.value;
      const gas = { activityKey: lever.activityKey, carrier: 'natural-gas', unit: 'kWh PCS' };
      return {
        baseline: [{ ...gas, quantity: gasKwhPcs }],
        scenario: [{ ...gas, quantity: gasKwhPcs * (1 - lever.gasCutPercent / 100) }],
        assumptions:
          `${lever.dwellings} dwellings renovated × ${lever.gasPerDwellingKwhPcs.value} kWh PCS ` +
          `of gas per dwelling and year ${assumptionOrigin(lever.gasPerDwellingKwhPcs)} = ` +
          `${gasKwhPcs} kWh PCS; their gas cut by ${lever.gasCutPercent} %`,
      };
    }
    case 'electrify-buses': {
      const vehicleKm = lever.buses * lever.vehicleKmPerBus.value;
      return {
        baseline: [
          {
            activityKey: lever.fromActivity,
            carrier: 'diesel',
            unit: 'vehicle-km',
            quantity: vehicleKm,
          },
        ],
        scenario: [
          {
            activityKey: lever.toActivity,
            carrier: 'electricity',
            unit: 'vehicle-km',
            quantity: vehicleKm,
          },
        ],
        assumptions:
          `${lever.buses} buses × ${lever.vehicleKmPerBus.value} vehicle-km per bus and year ` +
          `${assumptionOrigin(lever.vehicleKmPerBus)} = ${vehicleKm} vehicle-km, run as ` +
          `${lever.toActivity} instead of ${lever.fromActivity}`,
      };
    }
    case 'divert-waste':
      return {
        baseline: [
          { activityKey: lever.fromActivity, carrier: null, unit: 't', quantity: lever.tonnes },
        ],
        scenario: [
          { activityKey: lever.toActivity, carrier: null, unit: 't', quantity: lever.tonnes },
        ],
        basis: lever.basis,
        assumptions:
          `${lever.tonnes} t (${lever.basis} weight) a year treated as ${lever.toActivity} ` +
          `instead of ${lever.fromActivity}`,
      };
  }
}

/** The activities and declarations of every lever, for the `lever_*` seed tables. */
export function leverTables(levers: readonly LeverConfig[]): {
  activities: LeverActivity[];
  declarations: LeverDeclaration[];
} {
  const activities: LeverActivity[] = [];
  const declarations: LeverDeclaration[] = [];
  levers.forEach((lever, position) => {
    const { baseline, scenario, assumptions, basis = null } = activitiesOf(lever);
    for (const item of baseline)
      activities.push({ leverId: lever.id, caseName: 'baseline', ...item, basis });
    for (const item of scenario)
      activities.push({ leverId: lever.id, caseName: 'scenario', ...item, basis });
    declarations.push({
      leverId: lever.id,
      kind: lever.kind,
      title: lever.title,
      gpcRef: lever.gpcRef,
      assumptions,
      position,
    });
  });
  return { activities, declarations };
}
