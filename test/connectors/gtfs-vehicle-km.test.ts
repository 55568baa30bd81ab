import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFeed } from '../../connectors/gtfs/feed.js';
import { tripLengths } from '../../connectors/gtfs/trip-length.js';
import { gtfsVehicleKm } from '../../connectors/gtfs-vehicle-km.js';
import { ParseError } from '../../lib/errors.js';
import type { Simulator } from '../../simulator/index.js';
import {
  annual,
  createTestContext,
  readAll,
  rowsOf,
  type TestContext,
} from '../support/connector-context.js';
import { providerFile } from '../support/provider-data.js';
import { startTestSimulator } from '../support/simulator.js';

const feedPath = 'transport/gtfs_frioul_if_express_transport-site_fixture/gtfs.zip';
const feedRoute = '/transport/gtfs/frioul-if-express.zip';
let simulator: Simulator;
let test: TestContext;
type Row = Record<string, unknown>;
const url = () => `${simulator.url}${feedRoute}`;

beforeAll(async () => {
  simulator = await startTestSimulator();
  test = await createTestContext('gtfs');
});

afterAll(async () => {
  await test.cleanup();
  await simulator.close();
});

const sum = (rows: Row[], field: string) =>
  rows.reduce((total, row) => total + (row[field] as number), 0);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

// Independent figures from python3: csv.DictReader on the unzipped files, haversine with an
// Earth radius of 6371.0088 km between consecutive stops in stop_sequence order, service days
// from calendar.txt's weekday flags between start_date and end_date plus calendar_dates.txt
// (1 adds, 2 removes), then Σ over trips of length × the trip's service days in the year.
describe('the Frioul If Express feed', () => {
  it('holds 61 trips and 140 stop times, in four stop patterns of known length', async () => {
    const bytes = new Uint8Array(await (await fetch(url())).arrayBuffer());
    const feed = openFeed(url(), bytes);
    expect(feed.table('trips.txt')).toHaveLength(61);
    expect(feed.table('stop_times.txt')).toHaveLength(140);
    // Service ids keep their '$'.
    expect(feed.table('trips.txt')[0]!.get('service_id')).toBe('HIV17-TR15$OCT16-TR15$SEPT16-TR15');

    const patterns = new Map<string, Set<number>>();
    const lengths = tripLengths(feed, test.context.logger);
    for (const [tripId, length] of lengths) {
      const stops = feed
        .table('stop_times.txt')
        .filter((row) => row.get('trip_id') === tripId)
        .sort((left, right) => left.number('stop_sequence') - right.number('stop_sequence'))
        .map((row) => row.get('stop_id'))
        .join('>');
      patterns.set(stops, (patterns.get(stops) ?? new Set()).add(length.km));
      expect(length.method).toBe('stops');
    }
    const kilometres = Object.fromEntries([...patterns].map(([stops, set]) => [stops, [...set]]));
    expect(Object.keys(kilometres).sort()).toEqual([
      '7001>7003>7004',
      '7001>7004',
      '7006>7002',
      '7006>7005>7002',
    ]);
    expect(kilometres['7001>7003>7004']![0]).toBeCloseTo(5.741400101983649, 12);
    expect(kilometres['7006>7005>7002']![0]).toBeCloseTo(5.741405663601688, 12);
    expect(kilometres['7001>7004']![0]).toBeCloseTo(5.661048469647228, 12);
    expect(kilometres['7006>7002']![0]).toBeCloseTo(5.661048469647228, 12);
  });
});

describe('gtfs-vehicle-km', () => {
  it('gives 92 service days and 12,543.95 vehicle-km in 2017', async () => {
    const rows = rowsOf(await readAll(gtfsVehicleKm, test.context, { url: url() }, annual(2017)));
    expect(rows).toHaveLength(92);
    expect(new Set(rows.map((row) => row.service_date)).size).toBe(92);
    expect(sum(rows, 'trips')).toBe(2208);
    expect(sum(rows, 'vehicle_km')).toBeCloseTo(12_543.950145368308, 8);
    expect(rows[0]).toEqual({
      service_date: day('2017-01-01'),
      route_id: 'L1',
      route_short_name: '1',
      route_type: 3,
      agency_id: '76',
      trips: 24,
      vehicle_km: expect.closeTo(136.34728418878808, 10),
      length_method: 'stops',
    });
    expect(rows.at(-1)!.service_date).toBe(day('2017-04-02'));
  });

  it('gives 149 service days and 20,026.51 vehicle-km in 2016', async () => {
    const rows = rowsOf(await readAll(gtfsVehicleKm, test.context, { url: url() }, annual(2016)));
    expect(rows).toHaveLength(149);
    expect(sum(rows, 'trips')).toBe(3524);
    expect(sum(rows, 'vehicle_km')).toBeCloseTo(20_026.513016725832, 8);
    // The first service day is Friday 8 April (VSF-TR15), two trips.
    expect(rows[0]).toMatchObject({ service_date: day('2016-04-08'), trips: 2 });
    expect(rows[0]!.vehicle_km).toBeCloseTo(11.322096939294456, 10);
    // 31 October is removed from both HIV17/OCT16 services by calendar_dates.txt.
    const halloween = rows.find((row) => row.service_date === day('2016-10-31'));
    expect(halloween).toBeUndefined();
  });

  it('fails when the feed runs no trip in the year asked', async () => {
    await expect(
      readAll(gtfsVehicleKm, test.context, { url: url() }, annual(2018)),
    ).rejects.toThrow(
      new ParseError(url(), "expected trips running in 2018, found none in the feed's calendar"),
    );
  });
});

describe('gtfs-vehicle-km on a copy of the feed with shapes', () => {
  let dataDir: string;
  let shaped: Simulator;

  beforeAll(async () => {
    // Trip 7674216 gets shape S1 with shape_dist_traveled in metres (0, 2800, 5900: 5.9 km);
    // trip 7674217 gets S2 without distances, whose haversine length along its three points is
    // 5.6610994517641675 km (python3, same radius).
    const files = unzipSync(await readFile(providerFile(feedPath)));
    const trips = new TextDecoder().decode(files['trips.txt']);
    files['trips.txt'] = strToU8(
      trips
        .replace('7674216,Frioul,0,,', '7674216,Frioul,0,S1,')
        .replace('7674217,Frioul,0,,', '7674217,Frioul,0,S2,'),
    );
    files['shapes.txt'] = strToU8(
      [
        '\uFEFFshape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled',
        'S1,43.2946415641,5.3740901055,1,0',
        'S1,43.2801358236,5.3070491308,3,5900',
        'S1,43.29,5.34,2,2800',
        'S2,43.2801358236,5.3070491308,1,',
        'S2,43.285,5.33,2,',
        'S2,43.2946415641,5.3740901055,3,',
      ].join('\r\n'),
    );
    dataDir = await mkdtemp(join(tmpdir(), 'terreze-data-'));
    await mkdir(join(dataDir, 'transport/gtfs_frioul_if_express_transport-site_fixture'), {
      recursive: true,
    });
    await writeFile(join(dataDir, feedPath), zipSync(files));
    shaped = await startTestSimulator(dataDir);
  });

  afterAll(async () => {
    await shaped.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('measures shaped trips along their shape and the others between stops', async () => {
    const rows = rowsOf(
      await readAll(
        gtfsVehicleKm,
        test.context,
        { url: `${shaped.url}${feedRoute}` },
        annual(2017),
      ),
    );
    const firstDay = rows.filter((row) => row.service_date === day('2017-01-01'));
    expect(firstDay.map((row) => [row.length_method, row.trips])).toEqual([
      ['shape', 2],
      ['stops', 22],
    ]);
    // 5.9 + 5.6610994517641675, and 136.34728418878808 − 2 × 5.741400101983649.
    expect(firstDay[0]!.vehicle_km).toBeCloseTo(11.561099451764168, 10);
    expect(firstDay[1]!.vehicle_km).toBeCloseTo(124.86448398482078, 10);
    // 12,543.950145368308 + 92 × (5.9 + 5.6610994517641675 − 2 × 5.741400101983649).
    expect(sum(rows, 'vehicle_km')).toBeCloseTo(12_551.15367616562, 8);
  });
});
