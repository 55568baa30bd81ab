import { Bool, Field, Float64, Schema, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { batchFromRows } from '../lib/arrow.js';
import { ParseError } from '../lib/errors.js';
import type { Connector } from './contract.js';
import { checkUrl, singleStream } from './support/checks.js';
import { urlParameter } from './support/params.js';

/**
 * GBFS 3.0 vehicle status: every shared vehicle not in active rental, with where it is, whether
 * it is reserved or disabled, and its remaining range.
 */

const params = z.strictObject({ url: urlParameter });

export type GbfsVehicleStatusParams = z.infer<typeof params>;

// Every field nullable; one flag column beside each number where providers put sentinels.
const schema = new Schema([
  new Field('vehicle_id', new Utf8(), true),
  new Field('vehicle_type_id', new Utf8(), true),
  new Field('station_id', new Utf8(), true),
  new Field('lat', new Float64(), true),
  new Field('lon', new Float64(), true),
  new Field('is_reserved', new Bool(), true),
  new Field('is_disabled', new Bool(), true),
  new Field('current_range_meters', new Float64(), true),
  new Field('last_reported', new Utf8(), true),
]);

const number = (value: unknown) => (typeof value === 'number' ? value : null);
const flag = (value: unknown) => (typeof value === 'boolean' ? value : null);
const text = (value: unknown) => (typeof value === 'string' ? value : null);

export const gbfsVehicleStatus: Connector<GbfsVehicleStatusParams> = {
  id: 'gbfs-vehicle-status',
  version: '0.1.0',
  domain: 'transport',
  description: 'GBFS 3.0 vehicle status: shared vehicles available, reserved or disabled',
  periodicity: 'snapshot',
  params,
  schema,
  check: (context, { url }) => checkUrl(context, url),
  discover: async () => singleStream('gbfs-vehicle-status', schema, { primaryKey: ['vehicle_id'] }),
  async *read(context, { url }) {
    const { body } = await context.http.getJson<{
      data?: { vehicles?: Record<string, unknown>[] };
    }>(url);
    const vehicles = body.data?.vehicles;
    if (!Array.isArray(vehicles))
      throw new ParseError(url, 'expected data.vehicles to be an array');

    const rows = vehicles.flatMap((vehicle, index) => {
      if (typeof vehicle.vehicle_id !== 'string') {
        context.quarantine({
          file: url,
          line: index + 1,
          reason: 'field vehicle_id: expected a text',
          record: JSON.stringify(vehicle),
        });
        return [];
      }
      return [
        {
          vehicle_id: vehicle.vehicle_id,
          vehicle_type_id: text(vehicle.vehicle_type_id),
          station_id: text(vehicle.station_id),
          lat: number(vehicle.lat),
          lon: number(vehicle.lon),
          is_reserved: flag(vehicle.is_reserved),
          is_disabled: flag(vehicle.is_disabled),
          current_range_meters: number(vehicle.current_range_meters),
          last_reported: text(vehicle.last_reported),
        },
      ];
    });
    yield batchFromRows(schema, rows);
  },
};
