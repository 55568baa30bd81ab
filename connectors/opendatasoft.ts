import { Schema } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import { ConnectorError } from '../lib/errors.js';
import type { Connector, ConnectorContext } from './contract.js';
import { countJsonArray, jsonArrayElements } from './formats/record-files.js';
import { createRowTyper, type FieldSpec, fieldSpec, typingOptions } from './formats/typed.js';
import { readPages } from './rest/pagination.js';
import { checkJson, singleStream } from './support/checks.js';
import { refineParameter, urlParameter } from './support/params.js';
import { assertKnownKeys, describedFields } from './support/provider-fields.js';

/**
 * Any dataset of an Opendatasoft Explore v2.1 portal. Records are paged 100 at a time against
 * `total_count`, within the API's `offset + limit < 10,000` window; larger pulls go through the
 * JSON export, whose row count is checked against the same `total_count`. Columns and types
 * come from the dataset's description unless the source declares its fields.
 */

const recordsWindow = 10_000;
const pageSize = 100;
// Records of the export typed and landed together: a batch, not the whole export.
const exportPageSize = 10_000;

const params = z.strictObject({
  /** The portal's API root, such as https://…/api/explore/v2.1. */
  baseUrl: urlParameter,
  dataset: z.string().min(1),
  refine: refineParameter,
  /** `records` pages, `export` pulls everything at once, `auto` pages when it can. */
  mode: z.enum(['auto', 'records', 'export']).default('auto'),
  fields: z.array(fieldSpec).min(1).optional(),
  primaryKey: z.array(z.string().min(1)).min(1).optional(),
  ...typingOptions.shape,
});

export type OpendatasoftParams = z.infer<typeof params>;

interface DatasetDescription {
  fields: { name: string; type: string }[];
}

function datasetUrl(parameters: OpendatasoftParams, suffix = ''): string {
  const root = parameters.baseUrl.replace(/\/+$/, '');
  const url = new URL(
    `${root}/catalog/datasets/${encodeURIComponent(parameters.dataset)}${suffix}`,
  );
  for (const [field, value] of Object.entries(parameters.refine ?? {})) {
    url.searchParams.append('refine', `${field}:${value}`);
  }
  return url.toString();
}

async function fieldsOf(context: ConnectorContext, parameters: OpendatasoftParams) {
  if (parameters.fields !== undefined) return parameters.fields;
  const { body } = await context.http.getJson<DatasetDescription>(datasetUrl(parameters));
  return describedFields(body.fields.map((field) => ({ key: field.name, type: field.type })));
}

/**
 * The JSON export: every record in one answer, downloaded to the work folder and read from
 * there a page at a time (DuckDB splits the array), its count checked against the records'
 * total before the first page is typed.
 */
async function* exportPages(
  context: ConnectorContext,
  parameters: OpendatasoftParams,
  total: number,
) {
  const url = datasetUrl(parameters, '/exports/json');
  const { path, resource } = await context.http.download(url, context.workDir, 'export.json');
  const count = await countJsonArray(path, resource.url);
  if (count !== total) {
    throw new ConnectorError(
      `${resource.url} exported ${count} records where the dataset declares total_count ${total}`,
      { source: context.sourceId, url: resource.url, retryable: true },
    );
  }
  let records: unknown[] = [];
  for await (const record of jsonArrayElements(path, resource.url)) {
    records.push(record);
    if (records.length === exportPageSize) {
      yield { url: resource.url, records };
      records = [];
    }
  }
  if (records.length > 0) yield { url: resource.url, records };
}

async function* pages(context: ConnectorContext, parameters: OpendatasoftParams) {
  const { body } = await context.http.getJson<{ total_count: number }>(
    datasetUrl(parameters, '/records'),
    { searchParams: { limit: 0 } },
  );
  const total = body.total_count;
  const fits = total + pageSize <= recordsWindow;
  if (parameters.mode === 'records' && !fits) {
    throw new ConnectorError(
      `${parameters.dataset} has ${total} records, past the records window of ${recordsWindow}: set mode: export`,
      { source: context.sourceId, retryable: false },
    );
  }
  if (parameters.mode === 'export' || !fits) {
    yield* exportPages(context, parameters, total);
    return;
  }
  yield* readPages(
    context,
    {
      type: 'offset',
      offsetParam: 'offset',
      limitParam: 'limit',
      pageSize,
      totalPath: 'total_count',
    },
    {
      url: datasetUrl(parameters, '/records'),
      searchParams: {},
      headers: {},
      alwaysParams: {},
      recordsPath: 'results',
      maxPages: recordsWindow / pageSize,
    },
  );
}

export const opendatasoft: Connector<OpendatasoftParams> = {
  id: 'opendatasoft',
  version: '1.0.0',
  domain: 'reference',
  description: 'Any dataset of an Opendatasoft Explore v2.1 portal, paged or exported',
  periodicity: 'snapshot',
  params,
  schema: new Schema([]),
  check: (context, parameters) =>
    checkJson(context, datasetUrl(parameters), 'baseUrl and dataset', (body) =>
      Array.isArray((body as DatasetDescription).fields)
        ? undefined
        : 'no field list in the answer',
    ),
  async discover(context, parameters) {
    const fields: FieldSpec[] = await fieldsOf(context, parameters);
    return singleStream(parameters.dataset, createRowTyper(fields, parameters, () => {}).schema, {
      primaryKey: parameters.primaryKey,
    });
  },
  async *read(context, parameters) {
    const fields = await fieldsOf(context, parameters);
    const typer = createRowTyper(fields, parameters, context.quarantine);
    let line = 0;
    for await (const page of pages(context, parameters)) {
      if (parameters.fields === undefined) assertKnownKeys(page.records, fields, page.url);
      const rows = page.records.flatMap((record): Record<string, unknown>[] => {
        line += 1;
        const row = typer.type(record, { file: page.url, line });
        return row === undefined ? [] : [row];
      });
      if (rows.length > 0) yield batchFromRows(typer.schema, rows);
    }
    typer.assertFieldsSeen(datasetUrl(parameters));
  },
};
