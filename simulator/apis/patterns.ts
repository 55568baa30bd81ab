import { join } from 'node:path';
import { jsonReply, type Reply } from '../reply.js';
import { filterRows, loadCsvRows, loadJsonRows, type Table, tableCache } from './tables.js';

/**
 * The REST pagination patterns connectors meet, served over real files so that the
 * declarative HTTP connector is tested on each: `/patterns/{style}/{dataset}` where style is
 * `offset` (`offset`, `limit` → `{total, results}`), `page` (`page` from 1, `per_page` →
 * `{total, page, results}`), `cursor` (`cursor`, `limit` → `{total, results, next_cursor}`),
 * `next` (`limit` → `{total, results, next}`) or `link` (`page`, `per_page` → a bare array with
 * `Link: <…>; rel="next"` and `X-Total-Count`). Filters `<field>_gte` and the like apply.
 */

const files: Record<string, string> = {
  'yelo-bus-stops': 'transport/larochelle_yelo_api_bus-stops_2024-04.json',
  'sinoe-dept17': 'waste/sinoe_destination_dechets_decheterie_dept17_subset.csv',
};

const datasets: Record<string, (dataDir: string) => Promise<Table>> = {
  'yelo-bus-stops': (dataDir) => loadJsonRows(dataDir, files['yelo-bus-stops']!),
  'sinoe-dept17': (dataDir) =>
    loadCsvRows(dataDir, { file: files['sinoe-dept17']!, delimiter: ',' }),
};

const maxPageSize = 500;

function bad(message: string): Reply {
  return jsonReply(400, { error: 'bad_request', message });
}

function count(params: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = params.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Creates the pattern routes; `loop` makes every answer point back at the same page. */
export function createPatterns(dataDir: string) {
  const table = tableCache(
    (name) => datasets[name]?.(dataDir),
    (name) => (files[name] === undefined ? undefined : join(dataDir, files[name])),
  );

  return async function reply(url: URL, base: string, loop: boolean): Promise<Reply | undefined> {
    const match = /^\/patterns\/(offset|page|cursor|next|link)\/([a-z0-9-]+)$/.exec(url.pathname);
    if (match === null) return undefined;
    const found = table(match[2]!);
    if (found === undefined) return jsonReply(404, { error: 'not_found', path: url.pathname });
    const rows = filterRows(await found, url.searchParams);
    const params = url.searchParams;
    const style = match[1]!;
    const size = count(params, style === 'page' || style === 'link' ? 'per_page' : 'limit', 50);
    if (size === undefined || size < 1 || size > maxPageSize) {
      return bad(`page size must be an integer from 1 to ${maxPageSize}`);
    }
    const link = (changes: Record<string, string>) => {
      const target = new URL(`${base}${url.pathname}${url.search}`);
      for (const [name, value] of Object.entries(changes)) target.searchParams.set(name, value);
      return target.toString();
    };

    if (style === 'offset') {
      const offset = count(params, 'offset', 0);
      if (offset === undefined) return bad('offset must be an integer');
      const from = loop ? 0 : offset;
      return jsonReply(200, { total: rows.length, results: rows.slice(from, from + size) });
    }
    if (style === 'page' || style === 'link') {
      const page = count(params, 'page', 1);
      if (page === undefined || page < 1) return bad('page must be an integer from 1');
      const from = loop ? 0 : (page - 1) * size;
      const results = rows.slice(from, from + size);
      if (style === 'page') return jsonReply(200, { total: rows.length, page, results });
      const reply = jsonReply(200, results);
      reply.headers['x-total-count'] = String(rows.length);
      if (from + size < rows.length) {
        reply.headers.link = `<${link({ page: String(loop ? page : page + 1) })}>; rel="next"`;
      }
      return reply;
    }

    // Cursors are opaque to clients; here they encode the next offset.
    const cursor = params.get('cursor');
    const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) return bad('unknown cursor');
    const results = rows.slice(offset, offset + size);
    const nextOffset = loop ? offset : offset + size;
    const more = offset + size < rows.length;
    const nextCursor = more ? Buffer.from(String(nextOffset)).toString('base64url') : null;
    if (style === 'cursor') {
      return jsonReply(200, { total: rows.length, results, next_cursor: nextCursor });
    }
    return jsonReply(200, {
      total: rows.length,
      results,
      next: nextCursor === null ? null : link({ cursor: nextCursor }),
    });
  };
}
