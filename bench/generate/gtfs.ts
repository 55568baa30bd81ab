import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Zip, ZipDeflate } from 'fflate';
import { createRandom, type Random } from '../support/random.js';

/**
 * A GTFS feed of an urban bus network with about 5,000 trips on a weekday: agency, routes,
 * trips, stops, stop_times, calendar and calendar_dates, each file with a UTF-8 BOM and CRLF
 * line ends as the national access point's feeds have them, zipped as it is written.
 */

const bom = '\uFEFF';
const earthRadiusKm = 6371.0088;
const centre = { lat: 46.16, lon: -1.15 };

interface Stop {
  id: string;
  lat: number;
  lon: number;
}

function distanceKm(a: Stop, b: Stop): number {
  const toRadians = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRadians;
  const dLon = (b.lon - a.lon) * toRadians;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * toRadians) * Math.cos(b.lat * toRadians) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.sqrt(h));
}

function clock(seconds: number): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** A zip written entry by entry; each entry takes text chunks and respects back-pressure. */
async function openZip(path: string) {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial);
  let failure: Error | null = null;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else stream.write(chunk);
    if (final) finished();
  });
  const drained = async () => {
    if (failure) throw failure;
    if (stream.writableNeedDrain)
      await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
  return {
    async entry(name: string, lines: AsyncIterable<string> | Iterable<string>) {
      // A fixed date keeps the archive's bytes a function of the seed alone.
      const file = new ZipDeflate(name, { level: 6 });
      file.mtime = '2023-01-01T00:00:00Z';
      zip.add(file);
      let buffer = bom;
      for await (const line of lines) {
        buffer += `${line}\r\n`;
        if (buffer.length >= 1 << 20) {
          file.push(Buffer.from(buffer, 'utf8'));
          buffer = '';
          await drained();
        }
      }
      file.push(Buffer.from(buffer, 'utf8'), true);
      await drained();
    },
    async close() {
      zip.end();
      await done;
      await new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      await rename(partial, path);
    },
  };
}

interface Route {
  id: string;
  stops: Stop[];
  /** Trips per weekday in each direction. */
  tripsPerDirection: number;
}

function buildNetwork(random: Random, routeCount: number, stopCount: number) {
  const stops: Stop[] = Array.from({ length: stopCount }, (_, index) => ({
    id: `S${String(index + 1).padStart(5, '0')}`,
    lat: centre.lat + (random.next() - 0.5) * 0.2,
    lon: centre.lon + (random.next() - 0.5) * 0.28,
  }));
  const routes: Route[] = [];
  for (let index = 0; index < routeCount; index += 1) {
    // A line walks from a random stop to the nearest unvisited stops ahead of it.
    const length = random.integer(14, 34);
    let current = random.pick(stops);
    const path = [current];
    const used = new Set([current.id]);
    while (path.length < length) {
      const candidates = stops
        .filter((stop) => !used.has(stop.id))
        .map((stop) => ({ stop, km: distanceKm(current, stop) + random.next() * 0.3 }))
        .sort((a, b) => a.km - b.km)
        .slice(0, 4);
      current = random.pick(candidates).stop;
      used.add(current.id);
      path.push(current);
    }
    routes.push({ id: `L${index + 1}`, stops: path, tripsPerDirection: 0 });
  }
  return { stops, routes };
}

export interface GtfsOptions {
  seed: number;
  year: number;
  weekdayTrips: number;
  routes?: number;
  stops?: number;
}

/** Writes the feed; returns its weekday trip count and the number of stop times. */
export async function writeGtfsFeed(path: string, options: GtfsOptions) {
  const random = createRandom(options.seed, 'gtfs');
  const { stops, routes } = buildNetwork(random, options.routes ?? 60, options.stops ?? 1_400);
  const perRoute = Math.floor(options.weekdayTrips / routes.length / 2);
  routes.forEach((route, index) => {
    const extra = index < (options.weekdayTrips - perRoute * routes.length * 2) / 2 ? 1 : 0;
    route.tripsPerDirection = perRoute + extra;
  });
  const services = [
    { id: 'SEM', days: '1,1,1,1,1,0,0', share: 1 },
    { id: 'SAM', days: '0,0,0,0,0,1,0', share: 0.7 },
    { id: 'DIM', days: '0,0,0,0,0,0,1', share: 0.4 },
  ];

  const zip = await openZip(path);
  await zip.entry('agency.txt', [
    'agency_id,agency_name,agency_url,agency_timezone,agency_lang,agency_phone',
    'BENCH,"Réseau urbain de banc d\'essai",http://127.0.0.1/,Europe/Paris,fr,',
  ]);
  await zip.entry('routes.txt', [
    'route_id,agency_id,route_short_name,route_long_name,route_type',
    ...routes.map((route, index) => `${route.id},BENCH,"${index + 1}","Ligne ${index + 1}",3`),
  ]);
  await zip.entry('stops.txt', [
    'stop_id,stop_code,stop_name,stop_lat,stop_lon,location_type,parent_station',
    ...stops.map(
      (stop, index) =>
        `${stop.id},${stop.id},"Arrêt ${index + 1}",${stop.lat.toFixed(10)},${stop.lon.toFixed(10)},0,`,
    ),
  ]);
  await zip.entry('calendar.txt', [
    'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date',
    ...services.map(
      (service) => `${service.id},${service.days},${options.year}0101,${options.year}1231`,
    ),
  ]);
  const holidays = ['0101', '0501', '0508', '0714', '0815', '1101', '1111', '1225'];
  await zip.entry('calendar_dates.txt', [
    'service_id,date,exception_type',
    ...holidays.flatMap((day) => [`SEM,${options.year}${day},2`, `DIM,${options.year}${day},1`]),
  ]);

  const trips: { id: string; route: Route; service: string; direction: number; startS: number }[] =
    [];
  let tripNumber = 7_000_000;
  for (const route of routes) {
    for (const service of services) {
      const count = Math.round(route.tripsPerDirection * service.share);
      for (let direction = 0; direction < 2; direction += 1) {
        for (let trip = 0; trip < count; trip += 1) {
          // Spread departures from 05:30 to 00:30 across the day.
          const startS = 19_800 + Math.floor(((trip + random.next() * 0.5) * 68_400) / count);
          trips.push({ id: String(tripNumber++), route, service: service.id, direction, startS });
        }
      }
    }
  }
  await zip.entry('trips.txt', [
    'route_id,service_id,trip_id,trip_headsign,direction_id,shape_id,block_id,wheelchair_accessible,bikes_allowed',
    ...trips.map(
      (trip) => `${trip.route.id},${trip.service},${trip.id},Terminus,${trip.direction},,,1,`,
    ),
  ]);

  let stopTimes = 0;
  await zip.entry(
    'stop_times.txt',
    (function* () {
      yield 'trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type';
      for (const trip of trips) {
        const path = trip.direction === 0 ? trip.route.stops : [...trip.route.stops].reverse();
        let seconds = trip.startS;
        for (let sequence = 0; sequence < path.length; sequence += 1) {
          if (sequence > 0) {
            // 18 km/h between stops plus 20 s dwell.
            seconds +=
              Math.round((distanceKm(path[sequence - 1]!, path[sequence]!) / 18) * 3600) + 20;
          }
          stopTimes += 1;
          yield `${trip.id},${clock(seconds)},${clock(seconds)},${path[sequence]!.id},${sequence + 1},,`;
        }
      }
    })(),
  );
  await zip.close();

  const weekdayTrips = trips.filter((trip) => trip.service === 'SEM').length;
  return { weekdayTrips, trips: trips.length, stopTimes };
}
