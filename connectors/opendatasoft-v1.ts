import { Schema } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import type { Connector } from './contract.js';
import { createRowTyper, fieldSpec, typingOptions } from './formats/typed.js';
import { readPages } from './rest/pagination.js';
import { checkJson, singleStream } from './support/checks.js';
import { urlParameter } from './support/params.js';

/**
 * A dataset of an Opendatasoft portal still answering the v1 search API
 * (`records/1.0/search/`, as La Rochelle's does): records wrapped as `{datasetid, recordid,
 * fields}`, paged with `start` and `rows` against `nhits`, numbers often sent as text — which
 * the declared field types read back as numbers.
 */

const pageSize = 100;

const params = z.strictObject({
  /** The portal's API root, such as https://…/api (the search route is added). */
  baseUrl: urlParameter,
  dataset: z.string().min(1),
  refine: z.record(z.string().min(1), z.string()).optional(),
  /** The columns, their `from` being the key inside `fields`. */
  fields: z.array(fieldSpec).min(1),
  primaryKey: z.array(z.string().min(1)).min(1).optional(),
  ...typingOptions.shape,
});

export type OpendatasoftV1Params = z.infer<typeof params>;

function searchUrl(parameters: OpendatasoftV1Params): string {
  const url = new URL(`${parameters.baseUrl.replace(/\/+$/, '')}/records/1.0/search/`);
  url.searchParams.set('dataset', parameters.dataset);
  for (const [field, value] of Object.entries(parameters.refine ?? {})) {
    url.searchParams.set(`refine.${field}`, value);
  }
  return url.toString();
}

export const opendatasoftV1: Connector<OpendatasoftV1Params> = {
  id: 'opendatasoft-v1',
  version: '1.0.0',
  domain: 'reference',
  description: 'A dataset of an Opendatasoft portal through the older v1 search API',
  periodicity: 'snapshot',
  params,
  schema: new Schema([]),
  check: (context, parameters) =>
    checkJson(context, `${searchUrl(parameters)}&rows=0`, 'baseUrl and dataset', (body) =>
      typeof (body as { nhits?: unknown }).nhits === 'number'
        ? undefined
        : 'no nhits in the answer',
    ),
  discover: async (_context, parameters) =>
    singleStream(
      parameters.dataset,
      createRowTyper(parameters.fields, parameters, () => {}).schema,
      {
        primaryKey: parameters.primaryKey,
      },
    ),
  async *read(context, parameters) {
    const typer = createRowTyper(parameters.fields, parameters, context.quarantine);
    const pagination = {
      type: 'offset' as const,
      offsetParam: 'start',
      limitParam: 'rows',
      pageSize,
      totalPath: 'nhits',
    };
    let line = 0;
    const request = {
      url: searchUrl(parameters),
      searchParams: {},
      headers: {},
      alwaysParams: {},
      recordsPath: 'records',
      maxPages: 10_000 / pageSize,
    };
    for await (const page of readPages(context, pagination, request)) {
      const rows = page.records.flatMap((record): Record<string, unknown>[] => {
        line += 1;
        const fields = (record as { fields?: unknown }).fields ?? {};
        const row = typer.type(fields, { file: page.url, line });
        return row === undefined ? [] : [row];
      });
      if (rows.length > 0) yield batchFromRows(typer.schema, rows);
    }
    typer.assertFieldsSeen(searchUrl(parameters));
  },
};
