import { Schema } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import type { Connector, ConnectorContext } from './contract.js';
import { createRowTyper, fieldSpec, typingOptions } from './formats/typed.js';
import { readPages } from './rest/pagination.js';
import { checkJson, singleStream } from './support/checks.js';
import { urlParameter } from './support/params.js';
import { assertKnownKeys, describedFields } from './support/provider-fields.js';

/**
 * A dataset of an ADEME data-fair portal (Base Empreinte factors, SINOE): the lines API
 * followed through its `next` links (the `after` cursor), checked against `total`. Columns and
 * types come from the dataset's schema unless declared; an empty cell, which data-fair leaves
 * out of the line, lands as null with an `empty` flag.
 */

const params = z.strictObject({
  /** The API root, such as https://…/data-fair/api/v1. */
  baseUrl: urlParameter,
  dataset: z.string().min(1),
  /** Filters of the lines API: `C_DEPT_eq: "17"`, `ANNEE_gte: 2015`. */
  filters: z
    .record(z.string().regex(/_(eq|in|gte|lte)$/), z.union([z.string(), z.number()]))
    .default({}),
  pageSize: z.number().int().min(1).max(10_000).default(1000),
  fields: z.array(fieldSpec).min(1).optional(),
  primaryKey: z.array(z.string().min(1)).min(1).optional(),
  ...typingOptions.shape,
});

export type DataFairParams = z.infer<typeof params>;

function datasetUrl(parameters: DataFairParams, suffix = ''): string {
  const root = parameters.baseUrl.replace(/\/+$/, '');
  return `${root}/datasets/${encodeURIComponent(parameters.dataset)}${suffix}`;
}

async function fieldsOf(context: ConnectorContext, parameters: DataFairParams) {
  if (parameters.fields !== undefined) return parameters.fields;
  const { body } = await context.http.getJson<{ schema: { key: string; type: string }[] }>(
    datasetUrl(parameters),
  );
  return describedFields(body.schema.filter((column) => !column.key.startsWith('_')));
}

export const dataFair: Connector<DataFairParams> = {
  id: 'ademe-data-fair',
  version: '1.0.0',
  domain: 'reference',
  description: 'A dataset of an ADEME data-fair portal through its lines API',
  periodicity: 'snapshot',
  params,
  schema: new Schema([]),
  check: (context, parameters) =>
    checkJson(context, datasetUrl(parameters), 'baseUrl and dataset', (body) =>
      Array.isArray((body as { schema?: unknown }).schema) ? undefined : 'no schema in the answer',
    ),
  async discover(context, parameters) {
    const fields = await fieldsOf(context, parameters);
    return singleStream(parameters.dataset, createRowTyper(fields, parameters, () => {}).schema, {
      primaryKey: parameters.primaryKey,
    });
  },
  async *read(context, parameters) {
    const fields = await fieldsOf(context, parameters);
    const typer = createRowTyper(fields, parameters, context.quarantine);
    const pagination = {
      type: 'next-link' as const,
      nextPath: 'next',
      sizeParam: 'size',
      pageSize: parameters.pageSize,
      totalPath: 'total',
    };
    const request = {
      url: datasetUrl(parameters, '/lines'),
      searchParams: parameters.filters,
      headers: {},
      alwaysParams: {},
      recordsPath: 'results',
      maxPages: 100_000,
    };
    let line = 0;
    for await (const page of readPages(context, pagination, request)) {
      assertKnownKeys(page.records, fields, page.url);
      const rows = page.records.flatMap((record): Record<string, unknown>[] => {
        line += 1;
        const row = typer.type(record, { file: page.url, line });
        return row === undefined ? [] : [row];
      });
      if (rows.length > 0) yield batchFromRows(typer.schema, rows);
    }
  },
};
