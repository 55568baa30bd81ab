import { jsonReply, type Reply } from '../reply.js';
import { csvExport } from './csv-export.js';
import { loadDataset, type OdsDataset, type OdsDatasetDefinition, portals } from './datasets.js';
import { integerParameter, OdsRequestError, project, refineRows, selectedFields } from './query.js';

/**
 * A simulated Opendatasoft portal answering the Explore v2.1 catalog, records and exports
 * routes for its datasets, with the real API's limits and error bodies.
 */

const apiPrefix = /^\/([a-z]+)\/api\/explore\/v2\.1(\/.*)?$/;
const recordsLimitMax = 100;
// The API refuses a page whose end reaches this record; exports have no such cap.
const recordsWindow = 10_000;

export interface OdsPortals {
  /** Answers an ODS route, or undefined when the path belongs to no simulated portal. */
  reply(url: URL): Promise<Reply | undefined>;
}

function describe(dataset: OdsDataset): Record<string, unknown> {
  const { definition } = dataset;
  return {
    dataset_id: definition.id,
    has_records: dataset.rows.length > 0,
    data_visible: true,
    metas: {
      default: {
        title: definition.title,
        publisher: definition.publisher,
        records_count: dataset.rows.length,
      },
    },
    fields: definition.fields.map((field) => ({
      name: field.name,
      label: field.label,
      type: field.type,
    })),
  };
}

function recordsReply(dataset: OdsDataset, params: URLSearchParams): Reply {
  const limit = integerParameter(params, 'limit', 10);
  const offset = integerParameter(params, 'offset', 0);
  if (limit < 0 || limit > recordsLimitMax) {
    throw new OdsRequestError(
      `Invalid value for limit: ${limit}. limit must be between 0 and ${recordsLimitMax}`,
      'InvalidRESTParameterError',
    );
  }
  if (offset < 0 || offset + limit >= recordsWindow) {
    throw new OdsRequestError(
      `Invalid value for offset and limit: offset + limit must be less than ${recordsWindow}, ` +
        `got offset=${offset} and limit=${limit}; use the exports endpoint for more records`,
      'InvalidRESTParameterError',
    );
  }

  const fields = selectedFields(dataset.definition.fields, params);
  const rows = refineRows(dataset.rows, dataset.definition.fields, params);
  return jsonReply(200, {
    total_count: rows.length,
    results: project(rows.slice(offset, offset + limit), fields),
  });
}

function exportReply(dataset: OdsDataset, format: string, params: URLSearchParams): Reply {
  const fields = selectedFields(dataset.definition.fields, params);
  const limit = integerParameter(params, 'limit', -1);
  const refined = refineRows(dataset.rows, dataset.definition.fields, params);
  const rows = limit < 0 ? refined : refined.slice(0, limit);
  const fileName = `${dataset.definition.id}.${format}`;
  const disposition = `attachment; filename="${fileName}"`;

  if (format === 'json') {
    const reply = jsonReply(200, project(rows, fields));
    reply.headers['content-disposition'] = disposition;
    return reply;
  }
  const body = csvExport(rows, fields, {
    delimiter: params.get('delimiter') ?? ';',
    useLabels: params.get('use_labels') === 'true',
    withBom: params.get('with_bom') !== 'false',
  });
  return {
    status: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition },
    body,
  };
}

/** Creates the portals over one data folder; each dataset is parsed on first use, once. */
export function createOdsPortals(dataDir: string): OdsPortals {
  const loaded = new Map<string, Promise<OdsDataset>>();
  const dataset = (definition: OdsDatasetDefinition) => {
    let pending = loaded.get(definition.id);
    if (pending === undefined) {
      pending = loadDataset(dataDir, definition);
      loaded.set(definition.id, pending);
      pending.catch(() => loaded.delete(definition.id));
    }
    return pending;
  };

  async function route(definitions: readonly OdsDatasetDefinition[], rest: string, url: URL) {
    if (rest === '/catalog/datasets') {
      const all = await Promise.all(definitions.map(dataset));
      return jsonReply(200, { total_count: all.length, results: all.map(describe) });
    }

    const match = /^\/catalog\/datasets\/([^/]+)(\/records|\/exports\/([a-z]+))?$/.exec(rest);
    const definition = definitions.find((item) => item.id === match?.[1]);
    if (match === null || definition === undefined) {
      const message = match === null ? 'Unknown route' : `Unknown dataset: ${match[1]}`;
      return jsonReply(404, { message, error_code: 'NotFound' });
    }

    const found = await dataset(definition);
    if (match[2] === undefined) return jsonReply(200, describe(found));
    if (match[2] === '/records') return recordsReply(found, url.searchParams);
    const format = match[3]!;
    if (format !== 'csv' && format !== 'json') {
      return jsonReply(400, {
        message: `Unsupported export format: ${format} (the simulator exports csv and json)`,
        error_code: 'InvalidRESTParameterError',
      });
    }
    return exportReply(found, format, url.searchParams);
  }

  return {
    async reply(url) {
      const match = apiPrefix.exec(url.pathname);
      const definitions = match === null ? undefined : portals[match[1]!];
      if (match === null || definitions === undefined) return undefined;
      try {
        return await route(definitions, match[2] ?? '', url);
      } catch (error) {
        if (error instanceof OdsRequestError) {
          return jsonReply(400, { message: error.message, error_code: error.errorCode });
        }
        throw error;
      }
    },
  };
}
