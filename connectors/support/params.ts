import { z } from 'zod';
import { ConnectorError } from '../../lib/errors.js';

/** Parameter pieces shared by connectors. */

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.replaceAll('{vintage}', '2000'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An http(s) URL, possibly holding a `{vintage}` placeholder. No default: the project says. */
export const urlParameter = z
  .string()
  .refine(isHttpUrl, 'an http(s) URL, with {vintage} where the data year goes');

/** `refine` filters of an Opendatasoft query, field name to exact value. */
export const refineParameter = z.record(z.string().min(1), z.string()).optional();

/** The data year of an annual read; an annual connector cannot run without it. */
export function requireVintage(source: string, vintage: number | undefined): number {
  if (vintage === undefined || !Number.isInteger(vintage)) {
    throw new ConnectorError(`source ${source} is annual: the read needs a data year (vintage)`, {
      source,
      retryable: false,
    });
  }
  return vintage;
}

/** Replaces every `{vintage}` of a URL template with the data year. */
export function expandUrl(template: string, vintage: number | undefined, source: string): string {
  if (!template.includes('{vintage}')) return template;
  return template.replaceAll('{vintage}', String(requireVintage(source, vintage)));
}

/** The export URL of an Opendatasoft dataset, with one `refine` per filter. */
export function odsExportUrl(
  baseUrl: string,
  dataset: string,
  format: 'csv' | 'json',
  options: { refine?: Record<string, string>; useLabels?: boolean } = {},
): string {
  const url = new URL(
    `${baseUrl.replace(/\/+$/, '')}/catalog/datasets/${encodeURIComponent(dataset)}/exports/${format}`,
  );
  for (const [field, value] of Object.entries(options.refine ?? {})) {
    url.searchParams.append('refine', `${field}:${value}`);
  }
  if (options.useLabels) url.searchParams.set('use_labels', 'true');
  return url.toString();
}
