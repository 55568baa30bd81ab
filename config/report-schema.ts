import { z } from 'zod';

/** The `reports` entries of a project file: which template, for which audiences, in what. */

const audience = z.enum(['public', 'committee', 'restricted']);

/** One entry of the project file's `reports` list. */
export const reportSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case identifier of letters, digits and dashes'),
    /** `builtin:<name>` for a report shipped with terreze, else a path from the project file. */
    template: z.string().min(1),
    title: z.string().min(1),
    /** The audience of the one edition; without it (or `audiences`), the template's own. */
    audience: audience.optional(),
    /** One edition per audience from the same template, each with its secrecy rule. */
    audiences: z.array(audience).min(1).optional(),
    formats: z
      .array(z.enum(['html', 'pdf']))
      .min(1)
      .default(['html', 'pdf']),
    /** A source retrieved longer than this before the edition is reported as stale. */
    retrievalMaxAgeDays: z.number().int().positive().default(90),
  })
  .superRefine((report, context) => {
    if (report.audience !== undefined && report.audiences !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['audiences'],
        message: 'either audience or audiences, not both',
      });
    }
    const seen = new Set<string>();
    report.audiences?.forEach((entry, index) => {
      if (seen.has(entry)) {
        context.addIssue({
          code: 'custom',
          path: ['audiences', index],
          message: `each audience once; "${entry}" is listed twice`,
        });
      }
      seen.add(entry);
    });
  });

export type ReportAudience = z.infer<typeof audience>;
