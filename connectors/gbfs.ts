import { Bool, Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import { ConnectorError, ParseError } from '../lib/errors.js';
import type { Catalog, Connector, ConnectorContext, StreamDescription } from './contract.js';
import { checkJson } from './support/checks.js';
import { urlParameter } from './support/params.js';

/**
 * A shared-mobility feed in GBFS 2.x or 3.0: from the discovery file (`gbfs.json`), the
 * stations (`station_information`: place and capacity) or their status (`station_status`:
 * vehicles and docks available). Both versions land in one shape: 3.0's localised names are
 * read in the source's language, 2.x's POSIX times become ISO 8601, 2.x's bikes are vehicles.
 */

const feeds = ['station_information', 'station_status'] as const;
type Feed = (typeof feeds)[number];

const params = z.strictObject({
  /** The feed's discovery file, `gbfs.json`. */
  discoveryUrl: urlParameter,
  feed: z.enum(feeds),
  /** The language of names (3.0) and of the feed list (2.x). */
  language: z.string().min(2).default('en'),
});

export type GbfsParams = z.infer<typeof params>;

const common = [
  new Field('feed_version', new Utf8(), true),
  new Field('feed_last_updated', new Utf8(), true),
];

const schemas: Record<Feed, Schema> = {
  station_information: new Schema([
    new Field('station_id', new Utf8(), true),
    new Field('name', new Utf8(), true),
    new Field('lat', new Float64(), true),
    new Field('lon', new Float64(), true),
    new Field('capacity', new Int32(), true),
    new Field('vehicle_capacity', new Int32(), true),
    new Field('dock_capacity', new Int32(), true),
    new Field('is_virtual_station', new Bool(), true),
    ...common,
  ]),
  station_status: new Schema([
    new Field('station_id', new Utf8(), true),
    new Field('is_installed', new Bool(), true),
    new Field('is_renting', new Bool(), true),
    new Field('is_returning', new Bool(), true),
    new Field('last_reported', new Utf8(), true),
    new Field('vehicles_available', new Int32(), true),
    new Field('vehicles_disabled', new Int32(), true),
    new Field('docks_available', new Int32(), true),
    new Field('docks_disabled', new Int32(), true),
    ...common,
  ]),
};

interface Envelope {
  last_updated: number | string;
  version?: string;
  data: Record<string, unknown>;
}

/** A GBFS time: POSIX seconds (2.x) or an RFC 3339 text (3.0), as ISO 8601 in UTC. */
function isoTime(value: unknown): string | null {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toISOString();
  }
  return null;
}

function localised(value: unknown, language: string): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  const texts = value as { text?: string; language?: string }[];
  return (texts.find((item) => item.language === language) ?? texts[0])?.text ?? null;
}

/** Sum of capacity counts, from 2.x's `{type: count}` or 3.0's `[{vehicle_type_ids, count}]`. */
function capacitySum(value: unknown): number | null {
  if (Array.isArray(value)) {
    return value.reduce(
      (total, item) => total + Number((item as { count?: number }).count ?? 0),
      0,
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce((total: number, count) => total + Number(count), 0);
  }
  return null;
}

const integer = (value: unknown) => (Number.isInteger(value) ? (value as number) : null);
const flag = (value: unknown) => (typeof value === 'boolean' ? value : null);

function feedUrls(discovery: Envelope, language: string): Map<string, string> {
  const data = discovery.data;
  const list = (
    Array.isArray(data.feeds) ? data.feeds : (data[language] as { feeds?: unknown })?.feeds
  ) as { name: string; url: string }[] | undefined;
  return new Map((list ?? []).map((feed) => [feed.name, feed.url]));
}

async function discoverFeeds(context: ConnectorContext, parameters: GbfsParams) {
  const { body } = await context.http.getJson<Envelope>(parameters.discoveryUrl);
  const urls = feedUrls(body, parameters.language);
  if (urls.size === 0) {
    throw new ParseError(
      parameters.discoveryUrl,
      `expected a feed list (in language ${parameters.language})`,
    );
  }
  return urls;
}

export const gbfs: Connector<GbfsParams> = {
  id: 'gbfs',
  version: '1.0.0',
  domain: 'transport',
  description: 'GBFS 2.x and 3.0 stations and station status from a discovery file',
  periodicity: 'snapshot',
  params,
  schema: schemas.station_status,
  check: (context, parameters) =>
    checkJson(context, parameters.discoveryUrl, 'discoveryUrl', (body) =>
      (body as Envelope)?.data === undefined ? 'not a GBFS discovery file (no data)' : undefined,
    ),
  async discover(context, parameters): Promise<Catalog> {
    const urls = await discoverFeeds(context, parameters);
    const streams: StreamDescription[] = feeds
      .filter((feed) => urls.has(feed))
      .map((feed) => ({ name: feed, schema: schemas[feed], primaryKey: ['station_id'] }));
    if (!urls.has(parameters.feed)) {
      throw new ConnectorError(
        `${parameters.discoveryUrl} lists no ${parameters.feed} feed (it lists ${[...urls.keys()].join(', ')})`,
        { source: context.sourceId, url: parameters.discoveryUrl, retryable: false },
      );
    }
    return { streams, selected: parameters.feed };
  },
  async *read(context, parameters) {
    const url = (await discoverFeeds(context, parameters)).get(parameters.feed);
    if (url === undefined)
      throw new ParseError(parameters.discoveryUrl, `lists no ${parameters.feed} feed`);
    const { body } = await context.http.getJson<Envelope>(url);
    const stations = body.data?.stations;
    if (!Array.isArray(stations))
      throw new ParseError(url, 'expected data.stations to be an array');
    const envelope = {
      feed_version: body.version ?? null,
      feed_last_updated: isoTime(body.last_updated),
    };

    const rows = (stations as Record<string, unknown>[]).flatMap(
      (station, index): Record<string, unknown>[] => {
        if (typeof station.station_id !== 'string' || station.station_id === '') {
          context.quarantine({
            file: url,
            line: index + 1,
            reason: 'field station_id: expected a text identifier',
            record: JSON.stringify(station),
          });
          return [];
        }
        if (parameters.feed === 'station_information') {
          return [
            {
              station_id: station.station_id,
              name: localised(station.name, parameters.language),
              lat: typeof station.lat === 'number' ? station.lat : null,
              lon: typeof station.lon === 'number' ? station.lon : null,
              capacity: integer(station.capacity),
              vehicle_capacity: capacitySum(
                station.vehicle_types_capacity ?? station.vehicle_type_capacity,
              ),
              dock_capacity: capacitySum(station.vehicle_docks_capacity),
              is_virtual_station: flag(station.is_virtual_station),
              ...envelope,
            },
          ];
        }
        return [
          {
            station_id: station.station_id,
            is_installed: flag(station.is_installed),
            is_renting: flag(station.is_renting),
            is_returning: flag(station.is_returning),
            last_reported: isoTime(station.last_reported),
            vehicles_available: integer(
              station.num_vehicles_available ?? station.num_bikes_available,
            ),
            vehicles_disabled: integer(station.num_vehicles_disabled ?? station.num_bikes_disabled),
            docks_available: integer(station.num_docks_available),
            docks_disabled: integer(station.num_docks_disabled),
            ...envelope,
          },
        ];
      },
    );
    yield batchFromRows(schemas[parameters.feed], rows);
  },
};
