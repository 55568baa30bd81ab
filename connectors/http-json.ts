import { Schema } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import { type Connector, type ConnectorContext, stateMessage } from './contract.js';
import { createRowTyper, type FieldSpec, fieldSpec, typingOptions } from './formats/typed.js';
import { authParameter, resolveAuth } from './rest/auth.js';
import { cursorFrom, incrementalParameter, laterCursor } from './rest/incremental.js';
import { paginationParameter, readPages } from './rest/pagination.js';
import { checkJson, singleStream } from './support/checks.js';
import { expandUrl, urlParameter } from './support/params.js';

/**
 * A declarative HTTP JSON source: the project file describes the API (URL, authentication,
 * pagination with its declared total, records path, fields, primary key, incremental cursor)
 * and this connector reads it. No code per provider for the common case.
 */

const params = z
  .strictObject({
    /** The endpoint, `{vintage}` where the data year goes. */
    url: urlParameter,
    /** Query parameters of the first request. */
    query: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    auth: authParameter,
    pagination: paginationParameter,
    /** Dot path of the array of records in each answer; the answer itself when absent. */
    recordsPath: z.string().optional(),
    /** Columns to land; every key of the first records, as text or numbers, when absent. */
    fields: z.array(fieldSpec).min(1).optional(),
    primaryKey: z.array(z.string().min(1)).min(1).optional(),
    incremental: incrementalParameter,
    /** A read with more pages than this fails rather than running on. */
    maxPages: z.number().int().positive().default(10_000),
    ...typingOptions.shape,
  })
  .superRefine((value, context) => {
    const names = new Set((value.fields ?? []).map((field) => field.name));
    const keyed = [...(value.primaryKey ?? []), value.incremental?.cursorField].filter(
      (name): name is string => name !== undefined,
    );
    for (const name of keyed) {
      if (value.fields !== undefined && !names.has(name)) {
        context.addIssue({ code: 'custom', path: ['fields'], message: `a field named ${name}` });
      }
    }
    if (value.incremental !== undefined && value.primaryKey === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['primaryKey'],
        message: 'a primary key: rows read again in the look-back window merge on it',
      });
    }
  });

export type HttpJsonParams = z.infer<typeof params>;

function inferFields(records: readonly unknown[]): FieldSpec[] {
  const types = new Map<string, FieldSpec['type']>();
  for (const record of records.slice(0, 100)) {
    if (record === null || typeof record !== 'object') continue;
    for (const [key, value] of Object.entries(record)) {
      const seen = types.get(key);
      const kind: FieldSpec['type'] =
        typeof value === 'number'
          ? Number.isInteger(value) && seen !== 'number'
            ? 'integer'
            : 'number'
          : typeof value === 'boolean'
            ? 'boolean'
            : 'string';
      if (value === null || value === undefined) {
        if (!types.has(key)) types.set(key, 'string');
      } else if (seen === undefined || seen === kind || seen === 'string') types.set(key, kind);
      else if (!(seen === 'integer' && kind === 'number')) types.set(key, 'string');
      else types.set(key, 'number');
    }
  }
  return [...types].map(([key, type]) => ({
    name: key
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, ''),
    from: key,
    type,
    required: false,
  }));
}

function prepare(context: ConnectorContext, parameters: HttpJsonParams, vintage?: number) {
  const auth = resolveAuth(parameters.auth, context.sourceId);
  context.http.addSecrets(auth.secrets);
  return {
    url: expandUrl(parameters.url, vintage, context.sourceId),
    searchParams: parameters.query,
    headers: auth.headers,
    alwaysParams: auth.searchParams,
    recordsPath: parameters.recordsPath,
    maxPages: parameters.maxPages,
  };
}

async function fieldsOf(context: ConnectorContext, parameters: HttpJsonParams, vintage?: number) {
  if (parameters.fields !== undefined) return parameters.fields;
  const request = { ...prepare(context, parameters, vintage), maxPages: 1 };
  for await (const page of readPages(context, { type: 'none' }, request)) {
    return inferFields(page.records);
  }
  return [];
}

export const httpJson: Connector<HttpJsonParams> = {
  id: 'http-json',
  version: '1.0.0',
  domain: 'reference',
  description: 'Any JSON API described in the project file: auth, pagination, fields, cursor',
  periodicity: 'snapshot',
  params,
  schema: new Schema([]),
  async check(context, parameters, request) {
    const prepared = prepare(context, parameters, request?.vintage);
    const target = new URL(prepared.url);
    for (const [key, value] of Object.entries({
      ...prepared.searchParams,
      ...prepared.alwaysParams,
    })) {
      target.searchParams.set(key, String(value));
    }
    const what =
      parameters.auth.type === 'none'
        ? 'the url'
        : `the url, and the secret of the ${parameters.auth.type} auth`;
    return checkJson(context, target.toString(), what, () => undefined, {
      headers: prepared.headers,
    });
  },
  async discover(context, parameters, request) {
    const fields = await fieldsOf(context, parameters, request?.vintage);
    return singleStream('records', createRowTyper(fields, parameters, () => {}).schema, {
      primaryKey: parameters.primaryKey,
      cursorField: parameters.incremental?.cursorField,
    });
  },
  async *read(context, parameters, request) {
    const fields = await fieldsOf(context, parameters, request.vintage);
    const typer = createRowTyper(fields, parameters, context.quarantine);
    const prepared = prepare(context, parameters, request.vintage);
    const incremental = parameters.incremental;
    const from = incremental && cursorFrom(incremental, request.state, context.sourceId);
    if (incremental !== undefined && from !== undefined) {
      prepared.searchParams = { ...prepared.searchParams, [incremental.param]: from };
    }

    let cursor: unknown = request.state?.cursor;
    let line = 0;
    for await (const page of readPages(context, parameters.pagination, prepared)) {
      const rows: Record<string, unknown>[] = [];
      for (const record of page.records) {
        line += 1;
        const row = typer.type(record, { file: page.url, line });
        if (row === undefined) continue;
        rows.push(row);
        if (incremental) cursor = laterCursor(cursor, row[incremental.cursorField]);
      }
      if (rows.length > 0) yield batchFromRows(typer.schema, rows);
    }
    typer.assertFieldsSeen(context.http.redact(prepared.url));
    if (incremental !== undefined && cursor !== undefined) yield stateMessage({ cursor });
  },
};
