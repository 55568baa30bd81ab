import { z } from 'zod';

/** The shape of a territory's project file (`terreze.yaml`). */

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case identifier of letters, digits and dashes');

const year = z.number().int().min(1990).max(2100);

const sourcedFigure = z.object({
  inhabitants: z.number().int().positive(),
  year,
  source: z.string().min(1),
});

const commune = z.object({
  insee: z.string().regex(/^\d[\dAB]\d{3}$/, 'a five-character INSEE commune code such as 17300'),
  name: z.string().min(1),
  population: z.number().int().positive().optional(),
});

const target = z.object({
  year,
  reductionPercent: z.number().min(0).max(100),
  label: z.string().optional(),
});

const gas = z.enum(['CO2', 'CH4', 'N2O']);

const localFactor = z.object({
  id: slug,
  name: z.string().min(1),
  unit: z.string().regex(/^kgCO2e\/.+|^kg(CH4|N2O|CO2)\/.+/, 'a unit such as kgCO2e/kWh'),
  value: z.number().nonnegative().optional(),
  gases: z.partialRecord(gas, z.number().nonnegative()).optional(),
  year,
  source: z.string().min(1),
  note: z.string().optional(),
});

const schedule = z.object({
  cron: z.array(z.string().min(1)).min(1),
  jitter: z.string().optional(),
  paused: z.boolean().default(false),
  note: z.string().optional(),
});

const source = z.object({
  id: slug,
  connector: slug,
  domain: z.enum(['energy', 'transport', 'waste', 'reference', 'territory']),
  title: z.string().min(1),
  producer: z.string().min(1),
  licence: z.string().min(1),
  access: z.enum(['public', 'committee', 'restricted']),
  /**
   * Data years the provider publishes; a reporting year uses the latest not after it. Required
   * for annual connectors; snapshot connectors (reference data) land one current partition.
   */
  vintages: z.array(year).min(1).optional(),
  schedule: schedule.optional(),
  /** Data from another place standing in for the territory's own, declared as such. */
  standIn: z.object({ for: z.string().min(1), reason: z.string().min(1) }).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

const report = z.object({
  id: slug,
  template: z.string().min(1),
  title: z.string().min(1),
  audience: z.enum(['public', 'committee', 'restricted']),
  formats: z
    .array(z.enum(['html', 'pdf']))
    .min(1)
    .default(['html', 'pdf']),
});

export const projectSchema = z
  .object({
    project: slug,
    territory: z.object({
      name: z.string().min(1),
      epci: z.string().regex(/^\d{9}$/, 'a nine-digit SIREN code of the EPCI such as 241700434'),
      timeZone: z.string().min(1).default('Europe/Paris'),
      population: sourcedFigure,
      department: z.object({
        code: z.string().min(2),
        name: z.string(),
        population: sourcedFigure,
      }),
      communes: z.array(commune).min(1),
    }),
    inventory: z.object({
      referenceYear: year,
      targets: z.array(target).min(1),
      gwp: z.object({
        set: z.string().min(1),
        CO2: z.literal(1),
        CH4: z.number(),
        N2O: z.number(),
      }),
      /** Which factor each activity uses: `base-carbone:<id>` or `local:<id>`. */
      factors: z.record(z.string(), z.string().regex(/^(base-carbone|local):[\w-]+$/)),
      localFactors: z.array(localFactor).default([]),
    }),
    cycle: z.object({
      schedule: schedule.optional(),
      concurrency: z.number().int().min(1).max(64).default(4),
      onSourceFailure: z.enum(['block', 'continue']).default('continue'),
    }),
    sources: z.array(source).min(1),
    reports: z.array(report).min(1),
  })
  .superRefine((project, context) => {
    const seen = new Set<string>();
    project.sources.forEach((item, index) => {
      if (seen.has(item.id)) {
        context.addIssue({
          code: 'custom',
          path: ['sources', index, 'id'],
          message: `a source id used once; "${item.id}" is declared twice`,
        });
      }
      seen.add(item.id);
    });

    project.inventory.localFactors.forEach((factor, index) => {
      if ((factor.value === undefined) === (factor.gases === undefined)) {
        context.addIssue({
          code: 'custom',
          path: ['inventory', 'localFactors', index],
          message: 'either a value in kgCO2e or per-gas quantities (gases), not both',
        });
      }
    });

    const localIds = new Set(project.inventory.localFactors.map((factor) => factor.id));
    for (const [activity, reference] of Object.entries(project.inventory.factors)) {
      const [kind, id] = reference.split(':');
      if (kind === 'local' && id !== undefined && !localIds.has(id)) {
        context.addIssue({
          code: 'custom',
          path: ['inventory', 'factors', activity],
          message: `a declared local factor; "${id}" is not in inventory.localFactors`,
        });
      }
    }
  });

export type Project = z.infer<typeof projectSchema>;
export type SourceConfig = Project['sources'][number];
export type ReportConfig = Project['reports'][number];
export type Audience = SourceConfig['access'];
export type Domain = SourceConfig['domain'];
