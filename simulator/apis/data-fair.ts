import { jsonReply, type Reply } from '../reply.js';
import { filterRows, loadCsvRows, selectKeys, type Table, tableCache } from './tables.js';

/**
 * ADEME's data-fair API (`/ademe/data-fair/api/v1/datasets/{id}` and `…/lines`) over the Base
 * Carbone and SINOE files: `{total, next, results}`, `size` up to 10,000, `page` while
 * page × size stays within 10,000, and the `after` cursor behind the `next` link for deeper
 * reads. Empty cells are left out of a line, as data-fair does.
 */

const prefix = '/ademe/data-fair/api/v1/datasets/';
const maxSize = 10_000;

const datasets: Record<string, { title: string; load: (dataDir: string) => Promise<Table> }> = {
  'base-carboner': {
    title: 'Base Carbone® (ADEME)',
    load: (dataDir) =>
      loadCsvRows(dataDir, {
        file: 'emission_factors/base_carbone_export_subset_abc_seed_latin1.csv',
        delimiter: ';',
        encoding: 'latin-1',
        decimalComma: true,
        keyOf: (header) => header.trim().replaceAll(' ', '_'),
      }),
  },
  'sinoe-destination-dechets-decheterie': {
    title: 'SINOE® : destination des déchets collectés en déchèterie par type de traitement',
    load: (dataDir) =>
      loadCsvRows(dataDir, {
        file: 'waste/sinoe_destination_dechets_decheterie_par_type_traitement_dept.csv',
        delimiter: ',',
      }),
  },
};

function error(status: number, message: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: Buffer.from(message),
  };
}

function integer(params: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Creates the data-fair routes over one data folder. */
export function createDataFair(dataDir: string) {
  const table = tableCache((id) => datasets[id]?.load(dataDir));

  return async function reply(url: URL, base: string, loop: boolean): Promise<Reply | undefined> {
    if (!url.pathname.startsWith(prefix)) return undefined;
    const [id, rest, ...more] = url.pathname.slice(prefix.length).split('/');
    const definition = datasets[id ?? ''];
    if (definition === undefined || more.length > 0 || (rest !== undefined && rest !== 'lines')) {
      return jsonReply(404, { error: 'Dataset not found' });
    }
    const found = await table(id!)!;
    if (rest === undefined) {
      return jsonReply(200, {
        id,
        title: definition.title,
        count: found.rows.length,
        schema: found.columns.map((column) => ({
          key: column.key,
          type: column.type,
          'x-originalName': column.originalName,
        })),
      });
    }

    const params = url.searchParams;
    const size = integer(params, 'size', 12);
    const page = integer(params, 'page', 1);
    const after = integer(params, 'after', 0);
    if (size === undefined || page === undefined || after === undefined || page < 1) {
      return error(400, 'size, page and after must be positive integers');
    }
    if (size > maxSize) return error(400, `"size" cannot be more than ${maxSize}`);
    if (params.has('after') && params.has('page')) {
      return error(400, '"page" and "after" cannot be used together');
    }
    if (!params.has('after') && page * size > maxSize) {
      return error(400, `"page" × "size" cannot be more than ${maxSize}; use "after"`);
    }

    const rows = filterRows(found, params);
    const start = params.has('after') ? after : (page - 1) * size;
    const slice = selectKeys(rows.slice(start, start + size), params.get('select')).map((row) =>
      Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null && value !== '')),
    );
    const nextStart = loop ? start : start + size;
    const next = new URL(`${base}${url.pathname}`);
    for (const [name, value] of params)
      if (name !== 'after' && name !== 'page') next.searchParams.append(name, value);
    next.searchParams.set('after', String(nextStart));
    return jsonReply(200, {
      total: rows.length,
      ...(start + size < rows.length ? { next: next.toString() } : {}),
      results: slice,
    });
  };
}
