import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { jsonReply, type Reply } from '../reply.js';
import { loadJsonRows, type TableRow, tableCache } from './tables.js';

/**
 * La Rochelle's APIs: the Yélo bus-stops API, which wants its key in an `X-Cda-Lr-Api-Key`
 * header (401 without it or with another), and the agglomeration's Opendatasoft portal in the
 * older v1 shape (`/larochelle/api/records/1.0/search/`), whose records come wrapped as
 * `{datasetid, recordid, fields}` with numbers sent as strings.
 */

const stopsFile = 'transport/larochelle_yelo_api_bus-stops_2024-04.json';
const busStopsPath = '/larochelle/api/yelo/bus-stops';
const searchPath = '/larochelle/api/records/1.0/search/';
const v1Datasets: Record<string, string> = { 'yelo-arrets': stopsFile };
const v1Window = 10_000;

function sameKey(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A v1 record: every value as text, as the portal sends them. */
function v1Record(dataset: string, row: TableRow, index: number) {
  const fields = Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.toLowerCase(),
      value === null ? null : String(value),
    ]),
  );
  const recordid = createHash('sha1').update(`${dataset}/${index}`).digest('hex');
  return { datasetid: dataset, recordid, fields, record_timestamp: '2024-04-02T08:00:00.000Z' };
}

/** Creates La Rochelle's routes; `apiKey` is the one key the Yélo API accepts. */
export function createLaRochelle(dataDir: string, apiKey: string) {
  const table = tableCache((file) => loadJsonRows(dataDir, file));

  return async function reply(
    url: URL,
    headers: IncomingHttpHeaders,
    loop: boolean,
  ): Promise<Reply | undefined> {
    if (url.pathname === busStopsPath) {
      const given = headers['x-cda-lr-api-key'];
      if (typeof given !== 'string' || !sameKey(given, apiKey)) {
        return jsonReply(401, {
          error: 'unauthorized',
          message: 'a valid API key is required in the X-Cda-Lr-Api-Key header',
        });
      }
      return jsonReply(200, (await table(stopsFile)!).rows);
    }

    if (url.pathname !== searchPath) return undefined;
    const dataset = url.searchParams.get('dataset') ?? '';
    const file = v1Datasets[dataset];
    if (file === undefined) {
      return jsonReply(404, { errorcode: 10000, error: `Unknown dataset: ${dataset}` });
    }
    const rows = Number(url.searchParams.get('rows') ?? '10');
    const start = Number(url.searchParams.get('start') ?? '0');
    if (!Number.isInteger(rows) || !Number.isInteger(start) || rows < 0 || start < 0) {
      return jsonReply(400, {
        errorcode: 10001,
        error: 'rows and start must be positive integers',
      });
    }
    if (start + rows > v1Window) {
      return jsonReply(400, {
        errorcode: 10001,
        error: `start + rows must not exceed ${v1Window}; use the download API for more`,
      });
    }
    const all = (await table(file)!).rows.map((row, index) => v1Record(dataset, row, index));
    const refined = [...url.searchParams]
      .filter(([name]) => name.startsWith('refine.'))
      .reduce(
        (kept, [name, value]) => kept.filter((record) => record.fields[name.slice(7)] === value),
        all,
      );
    const from = loop ? 0 : start;
    return jsonReply(200, {
      nhits: refined.length,
      parameters: { dataset, rows, start, format: 'json', timezone: 'UTC' },
      records: refined.slice(from, from + rows),
    });
  };
}
