import { ParseError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { GtfsFeed, GtfsRow } from './feed.js';
import { type Point, pathLengthKm } from './geometry.js';

/**
 * The length of every trip: along its shape when it has one (shape_dist_traveled when every
 * point carries it, else haversine between the shape's points), else haversine between its
 * stops in stop_sequence order.
 */

export interface TripLength {
  km: number;
  method: 'shape' | 'stops';
}

interface ShapePoint extends Point {
  sequence: number;
  distance: number | undefined;
}

function pointOf(row: GtfsRow, latitude: string, longitude: string): Point {
  return { latitude: row.number(latitude), longitude: row.number(longitude) };
}

function groupBy<Item>(items: readonly Item[], key: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * shape_dist_traveled has no fixed unit: feeds use kilometres or metres. The unit is the one
 * that brings the travelled distance close to the haversine length of the same points.
 */
function travelledKm(points: readonly ShapePoint[], haversine: number): number | undefined {
  if (points.some((point) => point.distance === undefined) || haversine === 0) return undefined;
  const travelled = points.at(-1)!.distance! - points[0]!.distance!;
  for (const kilometresPerUnit of [1, 0.001]) {
    const ratio = (travelled * kilometresPerUnit) / haversine;
    if (ratio >= 0.8 && ratio <= 1.25) return travelled * kilometresPerUnit;
  }
  return undefined;
}

/**
 * A point's shape_dist_traveled, if it has one. A negative distance is a broken feed, not a
 * length to take the absolute value of: it would count as negative vehicle-kilometres.
 */
function travelledDistance(row: GtfsRow): number | undefined {
  if (row.get('shape_dist_traveled') === '') return undefined;
  const distance = row.number('shape_dist_traveled');
  if (distance < 0) {
    throw new ParseError(row.file, `expected a distance of zero or more, found ${distance}`, {
      line: row.line,
      field: 'shape_dist_traveled',
    });
  }
  return distance;
}

function shapeLengths(feed: GtfsFeed, logger: Logger): Map<string, number> {
  const rows = feed.table('shapes.txt', { optional: true });
  const shapes = groupBy(rows, (row) => row.require('shape_id'));
  const lengths = new Map<string, number>();
  for (const [shapeId, shapeRows] of shapes) {
    const points: ShapePoint[] = shapeRows
      .map((row) => ({
        ...pointOf(row, 'shape_pt_lat', 'shape_pt_lon'),
        sequence: row.number('shape_pt_sequence'),
        distance: travelledDistance(row),
      }))
      .sort((left, right) => left.sequence - right.sequence);
    const haversine = pathLengthKm(points);
    const travelled = travelledKm(points, haversine);
    if (travelled === undefined && points.every((point) => point.distance !== undefined)) {
      logger.warn('shape_dist_traveled matches neither kilometres nor metres; using haversine', {
        shapeId,
        haversineKm: haversine,
      });
    }
    lengths.set(shapeId, travelled ?? haversine);
  }
  return lengths;
}

/** Trip id → its length and how it was measured. */
export function tripLengths(feed: GtfsFeed, logger: Logger): Map<string, TripLength> {
  const stops = new Map(
    feed.table('stops.txt').map((row) => [row.require('stop_id'), row] as const),
  );
  const stopTimes = groupBy(feed.table('stop_times.txt'), (row) => row.require('trip_id'));
  const shapes = shapeLengths(feed, logger);
  const lengths = new Map<string, TripLength>();

  for (const trip of feed.table('trips.txt')) {
    const tripId = trip.require('trip_id');
    const shapeLength = shapes.get(trip.get('shape_id'));
    if (shapeLength !== undefined) {
      lengths.set(tripId, { km: shapeLength, method: 'shape' });
      continue;
    }

    const calls = [...(stopTimes.get(tripId) ?? [])].sort(
      (left, right) => left.number('stop_sequence') - right.number('stop_sequence'),
    );
    if (calls.length < 2) {
      logger.warn('trip has fewer than two stop times; counted with no length', {
        tripId,
        stopTimes: calls.length,
      });
    }
    const points = calls.map((call) => {
      const stopId = call.require('stop_id');
      const stop = stops.get(stopId);
      if (stop === undefined) {
        throw new ParseError(call.file, `expected a stop of stops.txt, found "${stopId}"`, {
          line: call.line,
          field: 'stop_id',
        });
      }
      return pointOf(stop, 'stop_lat', 'stop_lon');
    });
    lengths.set(tripId, { km: pathLengthKm(points), method: 'stops' });
  }
  return lengths;
}
