import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { Schema } from 'apache-arrow';
import { z } from 'zod';
import { ParseError } from '../lib/errors.js';
import type { CheckResult, Connector, ConnectorContext } from './contract.js';
import { formatOfName, openTabular, tabularOptions } from './formats/tabular.js';
import { createRowTyper, fieldSpec, inferredFields, typingOptions } from './formats/typed.js';
import { checkUrl, singleStream } from './support/checks.js';
import { expandUrl, requireVintage, urlParameter } from './support/params.js';

/**
 * The CSV or XLSX (or JSON, JSON Lines, Parquet) file a provider sends once a year — a waste
 * operator's tonnages, say — dropped in a folder or published at a URL. `{vintage}` in the
 * name picks the year's file; fields declare the columns, or every column lands as text.
 */

const params = z
  .strictObject({
    /** The file's URL; or `folder` and `file`. */
    url: urlParameter.optional(),
    /** A local folder (absolute, or relative to the working directory). */
    folder: z.string().min(1).optional(),
    /** The file's name in the folder, `{vintage}` where the data year goes. */
    file: z.string().min(1).optional(),
    fields: z.array(fieldSpec).min(1).optional(),
    primaryKey: z.array(z.string().min(1)).min(1).optional(),
    /** A field holding the data year: rows of other years are left out. */
    yearField: z.string().min(1).optional(),
    ...tabularOptions.shape,
    ...typingOptions.shape,
  })
  .refine(
    (value) =>
      (value.url === undefined) !== (value.folder === undefined || value.file === undefined),
    {
      message: 'either url, or folder and file',
    },
  );

export type FileDropParams = z.infer<typeof params>;

function location(context: ConnectorContext, parameters: FileDropParams, vintage?: number) {
  if (parameters.url !== undefined) {
    return { url: expandUrl(parameters.url, vintage, context.sourceId) };
  }
  const folder = isAbsolute(parameters.folder!) ? parameters.folder! : resolve(parameters.folder!);
  const file = parameters.file!.includes('{vintage}')
    ? parameters.file!.replaceAll('{vintage}', String(requireVintage(context.sourceId, vintage)))
    : parameters.file!;
  return { path: join(folder, file) };
}

/** The sha256 of a file on disk, read as a stream. */
async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Where the file is on disk: downloaded once per read into the work folder, or the dropped
 * file itself, its provenance recorded either way. The file is read from there as a stream.
 */
async function load(context: ConnectorContext, parameters: FileDropParams, vintage?: number) {
  const where = location(context, parameters, vintage);
  if (where.url !== undefined) {
    const target = join(
      context.workDir,
      `drop-${createHash('sha256').update(where.url).digest('hex').slice(0, 16)}`,
    );
    if (!existsSync(target))
      await context.http.download(where.url, context.workDir, basename(target));
    return { name: where.url, path: target };
  }
  if (!existsSync(where.path)) {
    throw new ParseError(
      where.path,
      'expected the dropped file here; it is not there (check folder and file)',
    );
  }
  if (!context.http.resources.some((resource) => resource.url === `file://${where.path}`)) {
    context.http.resources.push({
      url: `file://${where.path}`,
      status: 200,
      bytes: (await stat(where.path)).size,
      sha256: await sha256OfFile(where.path),
      contentType: undefined,
    });
  }
  return { name: where.path, path: where.path };
}

async function records(context: ConnectorContext, parameters: FileDropParams, vintage?: number) {
  const { name, path } = await load(context, parameters, vintage);
  const wanted = (parameters.fields ?? []).map((field) => field.from ?? field.name);
  const format = parameters.format ?? formatOfName(name);
  const opened = await openTabular(path, name, { ...parameters, format }, wanted, context.workDir);
  return { name, ...opened, fields: parameters.fields ?? inferredFields(opened.columns) };
}

export const fileDrop: Connector<FileDropParams> = {
  id: 'file-drop',
  version: '1.0.0',
  domain: 'waste',
  description: 'A CSV, XLSX, JSON or Parquet file dropped in a folder or published at a URL',
  periodicity: 'annual',
  params,
  schema: new Schema([]),
  async check(context, parameters, request): Promise<CheckResult> {
    const where = location(context, parameters, request?.vintage);
    if (where.url !== undefined) return checkUrl(context, where.url);
    return existsSync(where.path)
      ? { ok: true, message: `${where.path} is there` }
      : { ok: false, message: `${where.path} is not there: check folder and file (and {vintage})` };
  },
  async discover(context, parameters, request) {
    const { fields } = await records(context, parameters, request?.vintage);
    return singleStream('rows', createRowTyper(fields, parameters, () => {}).schema, {
      primaryKey: parameters.primaryKey,
    });
  },
  // TODO(ingest): a dropped CSV still crosses into JavaScript for the typer and lands as Arrow
  // batches; its typing (decimal `auto`, dates, booleans, a bad value or a number under its
  // `minimum` quarantined rather than failing the read) has no SQL twin for the COPY path yet.
  async *read(context, parameters, request) {
    const read = await records(context, parameters, request.vintage);
    const typer = createRowTyper(read.fields, parameters, context.quarantine);
    const year = parameters.yearField;
    const yearColumn = read.fields.find((field) => field.name === year)?.from ?? year;
    let recordsRead = 0;
    async function* kept() {
      for await (const item of read.records()) {
        recordsRead += 1;
        if (year === undefined || request.vintage === undefined) yield item;
        else {
          const value = (item.record as Record<string, unknown>)[yearColumn!];
          if (value === undefined || Number(String(value).trim()) === request.vintage) yield item;
        }
      }
    }
    let rows = 0;
    for await (const batch of typer.batches(kept())) {
      rows += batch.numRows;
      context.heartbeat({ rows });
      yield batch;
    }
    typer.assertFieldsSeen(read.name);
    if (rows === 0 && recordsRead > 0 && year !== undefined) {
      throw new ParseError(read.name, `expected rows of year ${request.vintage}, found none`);
    }
  },
};
