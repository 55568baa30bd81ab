import { describe, expect, it } from 'vitest';
import { connectors } from '../../connectors/index.js';
import { terreze } from './run-terreze.js';

const environment = { TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9' };

/** `terreze connector list` and `discover`, as people read them and as JSON. */
describe('terreze connector', () => {
  it.concurrent('lists the connectors as JSON: id, version, domain, periodicity, description', async () => {
    const run = await terreze(['connector', 'list', '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { id: string }[];
    expect(listed.map((item) => item.id)).toEqual([...connectors.keys()]);
    expect(listed[0]).toEqual({
      id: 'ore-commune-consumption',
      version: '1.2.0',
      domain: 'energy',
      periodicity: 'annual',
      description: 'Agence ORE electricity and gas consumption by commune and sector',
    });
  });

  it.concurrent("discovers a source's stream, columns, primary key and cursor, as JSON", async () => {
    const [json, text] = await Promise.all([
      terreze(['connector', 'discover', 'transit-gtfs', '--json'], { environment }),
      terreze(['connector', 'discover', 'transit-gtfs'], { environment }),
    ]);
    const field = (name: string, type: string) => ({ name, type, nullable: true });
    expect([json.code, JSON.parse(json.stdout)]).toEqual([
      0,
      {
        source: 'transit-gtfs',
        connector: 'gtfs-vehicle-km',
        selected: 'gtfs-vehicle-km',
        streams: [
          {
            name: 'gtfs-vehicle-km',
            fields: [
              field('service_date', 'Date32<DAY>'),
              field('route_id', 'Utf8'),
              field('route_short_name', 'Utf8'),
              field('route_type', 'Int32'),
              field('agency_id', 'Utf8'),
              field('trips', 'Int32'),
              field('vehicle_km', 'Float64'),
              field('length_method', 'Utf8'),
            ],
            primaryKey: [],
            cursorField: null,
          },
        ],
      },
    ]);
    expect(text.stdout.split('\n').slice(0, 3)).toEqual([
      'transit-gtfs (gtfs-vehicle-km): stream gtfs-vehicle-km, selected; primary key none; ' +
        'cursor none',
      `  ${'service_date'.padEnd(28)} ${'Date32<DAY>'.padEnd(16)} nullable`,
      `  ${'route_id'.padEnd(28)} ${'Utf8'.padEnd(16)} nullable`,
    ]);
  });
});
