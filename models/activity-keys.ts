/**
 * The activity keys the models know: the keys the staging models write (`models/stg_*.sql`),
 * the transit keys the declared fleet makes, and the keys of the activities levers change.
 * `inventory.factors` accepts only these, since a factor under any other key meets no activity
 * and leaves the activity it was meant for NE without a word (`electricty:` once dropped the
 * demo's total from 32,428.0 to 9,457.7 tCO2e). The `activity_keys_known` check stops a run
 * whose staging writes a key missing here, so that this list stays the models' own.
 */

/** GTFS modes the transit staging distinguishes (`stg_transit_gtfs.sql`). */
export const transitModes = [
  'tram',
  'metro',
  'rail',
  'bus',
  'ferry',
  'cable',
  'trolleybus',
  'monorail',
  'coach',
] as const;

/** Keys written by the staging models whatever the project declares. */
export const stagedActivityKeys = [
  'electricity',
  'natural-gas',
  'heat-network',
  'cooling-network',
  'waste-incineration-hazardous',
  'waste-incineration-non-hazardous',
  'waste-landfill-hazardous',
  'waste-landfill-non-hazardous',
  'waste-landfill-inert',
  'waste-composting-green',
  'waste-organic-recovery-other',
  'waste-material-recovery',
  'waste-treatment-unspecified',
] as const;

/**
 * Keys levers meet whatever the project declares: the defaults of `electrify-buses`
 * (config/lever-schema.ts), and waste streams no provider file separates but a `divert-waste`
 * lever may take from (SINOE gives no putrescible fraction). A factor declared for them waits
 * for its lever, and is not a typo.
 */
export const leverActivityKeys = [
  'transit-bus-diesel',
  'transit-bus-electricity',
  'waste-landfill-putrescible',
  'waste-incineration-putrescible',
] as const;

export interface ActivityKeyDeclarations {
  transit: { fleet: readonly { mode: string; carrier: string }[] };
  levers: readonly (
    | { kind: 'renovate-dwellings'; activityKey: string }
    | { kind: 'electrify-buses' | 'divert-waste'; fromActivity: string; toActivity: string }
  )[];
}

/** Every activity key a factor can meet in this project, sorted. */
export function knownActivityKeys(declared: ActivityKeyDeclarations): string[] {
  const keys = new Set<string>([...stagedActivityKeys, ...leverActivityKeys]);
  // A mode without a declared fleet keeps its vehicle-km under the mode's key alone.
  keys.add('transit-unknown-mode');
  for (const mode of transitModes) keys.add(`transit-${mode}`);
  for (const item of declared.transit.fleet) keys.add(`transit-${item.mode}-${item.carrier}`);
  for (const lever of declared.levers) {
    if (lever.kind === 'renovate-dwellings') keys.add(lever.activityKey);
    else {
      keys.add(lever.fromActivity);
      keys.add(lever.toActivity);
    }
  }
  return [...keys].sort();
}
