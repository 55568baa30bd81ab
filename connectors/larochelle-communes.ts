import { Field, Int32, Schema, Utf8 } from 'apache-arrow';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { urlParameter } from './support/params.js';

/**
 * The communes of CA de La Rochelle from the agglomeration's former XML web service
 * (`decoupage_cda_liste`). Its values come wrapped in literal double quotes and its apostrophes
 * escaped twice (`L&amp;apos;Houmeau`): both are undone here.
 */

const params = z.strictObject({ url: urlParameter });

export type LaRochelleCommunesParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('insee_code', new Utf8(), true),
  new Field('name', new Utf8(), true),
  new Field('list_order', new Int32(), true),
]);

const entities: Record<string, string> = { apos: "'", quot: '"', amp: '&', lt: '<', gt: '>' };

/** One value as the service meant it: quotes dropped, entities decoded until none is left. */
export function cleanValue(raw: unknown): string {
  let text = String(raw ?? '').trim();
  for (let round = 0; round < 3; round += 1) {
    text = text.replace(/&(apos|quot|amp|lt|gt);/g, (_match, name: string) => entities[name]!);
  }
  return text.replace(/^"(.*)"$/s, '$1').trim();
}

export const laRochelleCommunes: Connector<LaRochelleCommunesParams> = {
  id: 'larochelle-communes',
  version: '1.0.0',
  domain: 'territory',
  description: "Communes of CA de La Rochelle from the agglomeration's XML web service",
  periodicity: 'snapshot',
  params,
  schema,
  check: (context, { url }) => checkUrl(context, url),
  discover: async () => singleStream('communes', schema, { primaryKey: ['insee_code'] }),
  async *read(context, { url }) {
    const { body } = await context.http.getBytes(url);
    const parser = new XMLParser({
      processEntities: false,
      parseTagValue: false,
      trimValues: true,
    });
    const document = parser.parse(new TextDecoder().decode(body)) as {
      opendata?: { answer?: { status?: string; data?: { row?: unknown } } };
    };
    const answer = document.opendata?.answer;
    if (answer === undefined || !/code=0\b/.test(String(answer.status ?? ''))) {
      throw new ParseError(
        url,
        `expected <answer> with status code=0, found "${String(answer?.status ?? 'none')}"`,
      );
    }
    const list = answer.data?.row;
    const rows = (Array.isArray(list) ? list : list === undefined ? [] : [list]) as Record<
      string,
      unknown
    >[];
    const typed = rows.flatMap((row, index) => {
      const insee = cleanValue(row.code_insee);
      const order = Number(cleanValue(row.id));
      if (!/^\d[\dAB]\d{3}$/.test(insee) || !Number.isInteger(order)) {
        context.quarantine({
          file: url,
          line: index + 1,
          reason: `row ${index + 1}: expected a five-character INSEE code and an integer id`,
          record: JSON.stringify(row),
        });
        return [];
      }
      return [{ insee_code: insee, name: cleanValue(row.nom_commune), list_order: order }];
    });
    if (typed.length === 0 && rows.length === 0)
      throw new ParseError(url, 'expected <row> elements, found none');
    yield batchFromRows(schema, typed);
  },
};
