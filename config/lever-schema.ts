import { z } from 'zod';
import { massBases } from '../lib/units.js';

/**
 * Savings levers of a project file: declarative scenarios turned into avoided tCO2e per year.
 * A figure the data does not give is an assumption with its source, or marked as the
 * territory's own.
 */

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case identifier of letters, digits and dashes');

const gpcRef = z
  .string()
  .regex(/^(I|II|III)\.\d\.\d$/, 'a GPC sub-sector reference such as I.1.1 or III.4.1');

export const assumptionSchema = z
  .strictObject({
    value: z.number().positive(),
    source: z.string().min(1).optional(),
    territoryAssumption: z.literal(true).optional(),
    note: z.string().optional(),
  })
  .refine((item) => (item.source === undefined) !== (item.territoryAssumption === undefined), {
    message: "either a source or territoryAssumption: true (the territory's own figure)",
  });

export type Assumption = z.infer<typeof assumptionSchema>;

const common = {
  id: slug,
  title: z.string().min(1),
};

const renovateDwellings = z.strictObject({
  ...common,
  kind: z.literal('renovate-dwellings'),
  dwellings: z.number().int().positive(),
  gasCutPercent: z.number().gt(0).max(100),
  gasPerDwellingKwhPcs: assumptionSchema,
  activityKey: slug.default('natural-gas'),
  gpcRef: gpcRef.default('I.1.1'),
});

const electrifyBuses = z.strictObject({
  ...common,
  kind: z.literal('electrify-buses'),
  buses: z.number().int().positive(),
  vehicleKmPerBus: assumptionSchema,
  fromActivity: slug.default('transit-bus-diesel'),
  toActivity: slug.default('transit-bus-electricity'),
  gpcRef: gpcRef.default('II.1.1'),
});

const divertWaste = z.strictObject({
  ...common,
  kind: z.literal('divert-waste'),
  tonnes: z.number().positive(),
  /** The basis of `tonnes`: waste as collected (wet) unless the scenario weighs it dried. */
  basis: z.enum(massBases).default('wet'),
  fromActivity: slug,
  toActivity: slug,
  gpcRef,
});

export const leverSchema = z.discriminatedUnion('kind', [
  renovateDwellings,
  electrifyBuses,
  divertWaste,
]);

export type LeverConfig = z.infer<typeof leverSchema>;
