import { z } from 'zod';
import {
  factorActivityUnit,
  massBases,
  UnitConversionError,
  unitDimension,
  validateConversion,
} from '../lib/units.js';
import { knownActivityKeys, transitModes } from '../models/activity-keys.js';
import { leverSchema } from './lever-schema.js';
import { unknownKeyMessage } from './unknown-keys.js';

/** The `inventory` section of a project file: method, factors, trajectory, levers, secrecy. */

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case identifier of letters, digits and dashes');

const year = z.number().int().min(1990).max(2100);

/** `<registry>:<id>`: `base-carbone:42513`, `local:district-heating-fedene-2023`. */
const factorRef = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]*:[\w.-]+$/,
    'a factor reference <registry>:<id> such as base-carbone:42513 or local:my-factor',
  );

const gpcRef = z
  .string()
  .regex(/^(I|II|III)\.\d\.\d$/, 'a GPC sub-sector reference such as I.1.1 or III.4.1');

const target = z.strictObject({
  year,
  reductionPercent: z.number().min(0).max(100),
  label: z.string().optional(),
});

const gas = z.enum(['CO2', 'CH4', 'N2O']);

const localFactor = z.strictObject({
  id: slug,
  name: z.string().min(1),
  unit: z.string().regex(/^kgCO2e\/.+|^kg(CH4|N2O|CO2)\/.+/, 'a unit such as kgCO2e/kWh'),
  value: z.number().nonnegative().optional(),
  gases: z.partialRecord(gas, z.number().nonnegative()).optional(),
  /**
   * The mass a factor per tonne or kilogram is per: IPCC biological-treatment defaults differ
   * by basis, so a declared basis must match the basis of the quantities it meets.
   */
  basis: z.enum(massBases).optional(),
  year,
  source: z.string().min(1),
  note: z.string().optional(),
});

/** Where the reference year's total comes from: an edition of that year, or a published figure. */
const baseline = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('edition'), note: z.string().optional() }),
  z.strictObject({
    from: z.literal('declared'),
    tco2e: z.number().positive(),
    source: z.string().min(1),
    note: z.string().optional(),
  }),
]);

const notationKey = z.strictObject({
  gpcRef,
  key: z.enum(['NO', 'IE']),
  reason: z.string().min(1),
});

const unitConversion = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  multiplier: z.number().positive(),
  carrier: slug.optional(),
  activityKey: slug.optional(),
  source: z.string().min(1),
});

const transitMode = z.enum(transitModes);

const fleetShare = z.strictObject({
  mode: transitMode,
  carrier: slug,
  share: z.number().gt(0).max(1),
  source: z.string().min(1),
});

const secrecy = z.strictObject({
  /** A cell built from fewer delivery points than this is masked (observatories use 3). */
  minimumUnits: z.number().int().min(1).default(3),
  /** A cell where one unit reaches this share of the total is masked. */
  dominanceShare: z.number().gt(0).max(1).default(0.85),
  /** Audiences that see the masked tables; the others see the values. */
  maskedAudiences: z.array(z.enum(['public', 'committee', 'restricted'])).default(['public']),
  source: z.string().default('rule of the regional energy observatories (PRODUCT.md)'),
});

export const inventorySchema = z
  .strictObject({
    referenceYear: year,
    targets: z.array(target).min(1),
    baseline: baseline.default({ from: 'edition' }),
    gwp: z.strictObject({
      set: z.string().min(1),
      CO2: z.literal(1),
      CH4: z.number(),
      N2O: z.number(),
    }),
    /**
     * Which factor each activity uses, by an activity key the models know (checked below).
     * Activities left out are not estimated (NE).
     */
    factors: z.record(z.string(), factorRef),
    localFactors: z.array(localFactor).default([]),
    /** Factors of emissions avoided by recovery, reported apart and never netted. */
    avoidedFactors: z
      .partialRecord(z.enum(['material-recovery', 'energy-recovery']), factorRef)
      .default({}),
    notationKeys: z.array(notationKey).default([]),
    unitConversions: z.array(unitConversion).default([]),
    transit: z.strictObject({ fleet: z.array(fleetShare).default([]) }).prefault({}),
    secrecy: secrecy.prefault({}),
    levers: z.array(leverSchema).default([]),
  })
  .superRefine((inventory, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });

    inventory.localFactors.forEach((factor, index) => {
      if ((factor.value === undefined) === (factor.gases === undefined)) {
        issue(
          ['localFactors', index],
          'either a value in kgCO2e or per-gas quantities (gases), not both',
        );
      }
      const perUnit = factorActivityUnit(factor.unit);
      if (factor.basis !== undefined && (!perUnit || unitDimension(perUnit) !== 'mass')) {
        issue(
          ['localFactors', index, 'basis'],
          `a basis only on a factor per mass (t, kg); ${factor.unit} is not`,
        );
      }
    });

    // A misspelt activity would meet nothing and leave the activity meant NE, the run complete.
    const activities = knownActivityKeys(inventory);
    for (const activity of Object.keys(inventory.factors)) {
      if (!activities.includes(activity)) {
        const fleet = activity.startsWith('transit-')
          ? '; a transit-<mode>-<carrier> key needs its carrier in inventory.transit.fleet'
          : '';
        const message = unknownKeyMessage(activity, activities, 'inventory.factors');
        issue(['factors', activity], `${message}${fleet}`);
      }
    }

    const localIds = new Set(inventory.localFactors.map((factor) => factor.id));
    const checkLocal = (path: (string | number)[], reference: string) => {
      const [kind, id] = reference.split(':');
      if (kind === 'local' && id !== undefined && !localIds.has(id)) {
        issue(path, `a declared local factor; "${id}" is not in inventory.localFactors`);
      }
    };
    for (const [activity, reference] of Object.entries(inventory.factors)) {
      checkLocal(['factors', activity], reference);
    }
    for (const [recovery, reference] of Object.entries(inventory.avoidedFactors)) {
      checkLocal(['avoidedFactors', recovery], reference);
    }

    let previousYear = inventory.referenceYear;
    inventory.targets.forEach((item, index) => {
      if (item.year <= previousYear) {
        issue(
          ['targets', index, 'year'],
          `a year after ${previousYear} (targets come in order, after the reference year)`,
        );
      }
      previousYear = Math.max(previousYear, item.year);
    });

    inventory.unitConversions.forEach((conversion, index) => {
      try {
        validateConversion(conversion, 'conversion');
      } catch (error) {
        if (!(error instanceof UnitConversionError)) throw error;
        issue(
          ['unitConversions', index],
          `known units (${error.message.replace('conversion: ', '')})`,
        );
      }
    });

    const shares = new Map<string, number>();
    for (const item of inventory.transit.fleet) {
      shares.set(item.mode, (shares.get(item.mode) ?? 0) + item.share);
    }
    for (const [mode, total] of shares) {
      if (Math.abs(total - 1) > 1e-9) {
        issue(['transit', 'fleet'], `shares of mode ${mode} adding up to 1, found ${total}`);
      }
    }

    const leverIds = new Set<string>();
    inventory.levers.forEach((lever, index) => {
      if (leverIds.has(lever.id))
        issue(['levers', index, 'id'], `a lever id used once; "${lever.id}" is declared twice`);
      leverIds.add(lever.id);
    });
  });

export type InventoryConfig = z.infer<typeof inventorySchema>;
