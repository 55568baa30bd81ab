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

/**
 * Where an assumed figure comes from: "(hypothèse du territoire)" or "(source : …)", and its
 * note. The assumptions are written in French, the language of the reports that print them.
 */
export function assumptionOrigin(assumption: Assumption): string {
  const origin = assumption.territoryAssumption
    ? 'hypothèse du territoire'
    : `source : ${assumption.source}`;
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
          `${lever.dwellings} logements rénovés × ${lever.gasPerDwellingKwhPcs.value} kWh PCS ` +
          `de gaz par logement et par an ${assumptionOrigin(lever.gasPerDwellingKwhPcs)} = ` +
          `${gasKwhPcs} kWh PCS ; leur consommation de gaz réduite de ${lever.gasCutPercent} %`,
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
          `${lever.buses} bus × ${lever.vehicleKmPerBus.value} véhicules-km par bus et par an ` +
          `${assumptionOrigin(lever.vehicleKmPerBus)} = ${vehicleKm} véhicules-km, roulés en ` +
          `${lever.toActivity} au lieu de ${lever.fromActivity}`,
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
          `${lever.tonnes} t (poids ${lever.basis === 'dry' ? 'sec' : 'humide'}) par an ` +
          `traitées en ${lever.toActivity} au lieu de ${lever.fromActivity}`,
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
