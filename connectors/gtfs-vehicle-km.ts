import { readFile } from 'node:fs/promises';
import { DateDay, Field, Float64, Int32, type RecordBatch, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { serviceDays } from './gtfs/calendar.js';
import { openFeed } from './gtfs/feed.js';
import { tripLengths } from './gtfs/trip-length.js';
import { checkUrl, singleStream } from './support/checks.js';
import { downloadToWorkDir } from './support/download.js';
import { requireVintage, urlParameter } from './support/params.js';

/**
 * Vehicle-kilometres of a GTFS feed over one year: for every service date and route, the trips
 * that run and the sum of their lengths.
 */

const params = z.strictObject({ url: urlParameter });

export type GtfsVehicleKmParams = z.infer<typeof params>;

const schema = new Schema([
  new Field('service_date', new DateDay(), true),
  new Field('route_id', new Utf8(), true),
  new Field('route_short_name', new Utf8(), true),
  new Field('route_type', new Int32(), true),
  new Field('agency_id', new Utf8(), true),
  new Field('trips', new Int32(), true),
  new Field('vehicle_km', new Float64(), true),
  new Field('length_method', new Utf8(), true),
]);

const rowsPerBatch = 10_000;

// TODO(gtfs): trips listed in frequencies.txt run once per headway; they count once here.
// TODO(connectors): the zip is unzipped and its tables parsed in memory; the stop_times.txt of a
// large network (hundreds of MB) would need DuckDB's read_csv over the extracted file instead.

interface RouteDay {
  serviceDay: number;
  routeId: string;
  method: 'shape' | 'stops';
  trips: number;
  vehicleKm: number;
}

export const gtfsVehicleKm: Connector<GtfsVehicleKmParams> = {
  id: 'gtfs-vehicle-km',
  version: '1.1.0',
  domain: 'transport',
  description: 'Vehicle-kilometres by service date and route from a GTFS feed',
  periodicity: 'annual',
  params,
  schema,
  check: (context, { url }) => checkUrl(context, url),
  discover: async () => singleStream('gtfs-vehicle-km', schema),
  async *read(context, { url }, request) {
    const vintage = requireVintage(context.sourceId, request.vintage);
    const path = await downloadToWorkDir(context, url, 'gtfs.zip');
    const feed = openFeed(url, await readFile(path));

    const agencies = feed.table('agency.txt', { optional: true });
    const soleAgency = agencies.length === 1 ? agencies[0]!.get('agency_id') : '';
    const routes = new Map(feed.table('routes.txt').map((row) => [row.require('route_id'), row]));
    const lengths = tripLengths(feed, context.logger);
    const days = serviceDays(feed, vintage);
    context.heartbeat({ parsed: url });

    // Grouped by method too, so that a route mixing shaped and unshaped trips says so.
    const routeDays = new Map<string, RouteDay>();
    for (const trip of feed.table('trips.txt')) {
      const routeId = trip.require('route_id');
      if (!routes.has(routeId)) {
        throw new ParseError(trip.file, `expected a route of routes.txt, found "${routeId}"`, {
          line: trip.line,
          field: 'route_id',
        });
      }
      const length = lengths.get(trip.require('trip_id'))!;
      for (const serviceDay of days.get(trip.require('service_id')) ?? []) {
        const key = `${serviceDay}|${routeId}|${length.method}`;
        const routeDay = routeDays.get(key) ?? {
          serviceDay,
          routeId,
          method: length.method,
          trips: 0,
          vehicleKm: 0,
        };
        routeDay.trips += 1;
        routeDay.vehicleKm += length.km;
        routeDays.set(key, routeDay);
      }
    }

    if (routeDays.size === 0) {
      throw new ParseError(
        url,
        `expected trips running in ${vintage}, found none in the feed's calendar`,
      );
    }

    const ordered = [...routeDays.values()].sort(
      (left, right) =>
        left.serviceDay - right.serviceDay ||
        left.routeId.localeCompare(right.routeId) ||
        left.method.localeCompare(right.method),
    );
    context.logger.info('computed GTFS vehicle-km', {
      source: context.sourceId,
      url,
      vintage,
      trips: lengths.size,
      rows: ordered.length,
    });

    for (let start = 0; start < ordered.length; start += rowsPerBatch) {
      const rows = ordered.slice(start, start + rowsPerBatch).map((routeDay) => {
        const route = routes.get(routeDay.routeId)!;
        return {
          service_date: new Date(routeDay.serviceDay),
          route_id: routeDay.routeId,
          route_short_name: route.get('route_short_name') || null,
          route_type: route.number('route_type'),
          agency_id: route.get('agency_id') || soleAgency || null,
          trips: routeDay.trips,
          vehicle_km: routeDay.vehicleKm,
          length_method: routeDay.method,
        };
      });
      const batch: RecordBatch = batchFromRows(schema, rows);
      context.heartbeat({ rows: start + rows.length });
      yield batch;
    }
  },
};
