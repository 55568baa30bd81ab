import { z } from 'zod';
import { inventorySchema } from './inventory-schema.js';
import { operationsSchema } from './operations.js';
import { reportSchema } from './report-schema.js';
import { scheduleProblems, scheduleSchema } from './schedule.js';
import { isKnownTimeZone } from './time-zone.js';

/** The shape of a territory's project file (`terreze.yaml`). */

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case identifier of letters, digits and dashes');

const year = z.number().int().min(1990).max(2100);

const sourcedFigure = z.strictObject({
  inhabitants: z.number().int().positive(),
  year,
  source: z.string().min(1),
});

const commune = z.strictObject({
  insee: z.string().regex(/^\d[\dAB]\d{3}$/, 'a five-character INSEE commune code such as 17300'),
  name: z.string().min(1),
  population: z.number().int().positive().optional(),
});

const schedule = scheduleSchema;

const source = z.strictObject({
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
  standIn: z.strictObject({ for: z.string().min(1), reason: z.string().min(1) }).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  /** When the provider's columns change: land and record the new schema, or fail (default). */
  schemaPolicy: z.enum(['evolve', 'fail']).optional(),
  /** Share of bad records (0 to 1, default 0.01) past which a collection fails, landing nothing. */
  maxBadRowShare: z.number().min(0).max(1).optional(),
  /** HTTP limits of this source's collections; the client's defaults where absent. */
  http: z
    .strictObject({
      timeoutMs: z.number().int().positive(),
      retryLimit: z.number().int().min(0).max(20),
      maxRetryAfterMs: z.number().int().nonnegative(),
      requestsPerSecond: z.number().positive(),
      collectionTimeoutMs: z.number().int().positive(),
      /** First wait before a retry, doubled each time up to `backoffLimitMs` (jittered). */
      backoffBaseMs: z.number().int().nonnegative(),
      backoffLimitMs: z.number().int().nonnegative(),
    })
    .partial()
    .optional(),
});

const report = reportSchema;

export const projectSchema = z
  .strictObject({
    project: slug,
    territory: z.strictObject({
      name: z.string().min(1),
      epci: z.string().regex(/^\d{9}$/, 'a nine-digit SIREN code of the EPCI such as 241700434'),
      timeZone: z.string().min(1).default('Europe/Paris'),
      population: sourcedFigure,
      department: z.strictObject({
        code: z.string().min(2),
        name: z.string(),
        population: sourcedFigure,
      }),
      communes: z.array(commune).min(1),
    }),
    inventory: inventorySchema,
    cycle: z.strictObject({
      schedule: schedule.optional(),
      concurrency: z.number().int().min(1).max(64).default(4),
      onSourceFailure: z.enum(['block', 'continue']).default('continue'),
    }),
    sources: z.array(source).min(1),
    reports: z.array(report).min(1),
    operations: operationsSchema.prefault({}),
  })
  .superRefine((project, context) => {
    const { timeZone } = project.territory;
    if (!isKnownTimeZone(timeZone)) {
      context.addIssue({
        code: 'custom',
        path: ['territory', 'timeZone'],
        message: `an IANA time zone such as Europe/Paris; "${timeZone}" is unknown`,
      });
    }
    const schedules = [
      { schedule: project.cycle.schedule, path: ['cycle', 'schedule'] },
      ...project.sources.map((item, index) => ({
        schedule: item.schedule,
        path: ['sources', index, 'schedule'],
      })),
    ];
    for (const { schedule: declared, path } of schedules) {
      if (declared === undefined) continue;
      for (const problem of scheduleProblems(declared, timeZone, path)) {
        context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
      }
    }
    const reportIds = project.reports.map((item) => item.id);
    project.operations.approval.reports?.forEach((reportId, index) => {
      if (reportIds.includes(reportId)) return;
      context.addIssue({
        code: 'custom',
        path: ['operations', 'approval', 'reports', index],
        message: `one of the reports ${reportIds.join(', ')}; "${reportId}" is not declared`,
      });
    });

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
  });

export type Project = z.infer<typeof projectSchema>;
export type SourceConfig = Project['sources'][number];
export type ReportConfig = Project['reports'][number];
export type Audience = SourceConfig['access'];
export type Domain = SourceConfig['domain'];
