import { describe, expect, it } from 'vitest';
import { connectors, paramSchemas } from '../../connectors/index.js';

// The output schemas as the connectors promise them, field by field and in order.
const expectedSchemas: Record<string, string[]> = {
  'ore-commune-consumption': [
    'operator:Utf8',
    'year:Int32',
    'energy:Utf8',
    'commune_code:Utf8',
    'commune_name:Utf8',
    'epci_code:Utf8',
    'department_code:Utf8',
    'sector:Utf8',
    'consumption_mwh:Float64',
    'delivery_points:Int32',
    'masked_cells:Int32',
    'quality_index:Float64',
    'consumption_flag:Utf8',
  ],
  'enedis-residential-epci': [
    'year:Int32',
    'operator:Utf8',
    'epci_code:Utf8',
    'epci_name:Utf8',
    'department_code:Utf8',
    'sites:Int32',
    'consumption_mwh:Float64',
    'consumption_flag:Utf8',
    'inhabitants:Int32',
  ],
  'sdes-heat-iris': [
    'network_id:Utf8',
    'operator:Utf8',
    'year:Int32',
    'iris_code:Utf8',
    'iris_label:Utf8',
    'commune_code:Utf8',
    'energy:Utf8',
    'sector_code:Utf8',
    'consumption_mwh:Float64',
    'consumption_flag:Utf8',
    'delivery_points:Int32',
    'delivery_points_flag:Utf8',
  ],
  'gtfs-vehicle-km': [
    'service_date:Date32<DAY>',
    'route_id:Utf8',
    'route_short_name:Utf8',
    'route_type:Int32',
    'agency_id:Utf8',
    'trips:Int32',
    'vehicle_km:Float64',
    'length_method:Utf8',
  ],
  'sinoe-waste': [
    'year:Int32',
    'region_code:Utf8',
    'department_code:Utf8',
    'department_name:Utf8',
    'waste_code:Utf8',
    'waste_label:Utf8',
    'treatment_code:Utf8',
    'treatment_label:Utf8',
    'tonnes:Float64',
    'tonnes_flag:Utf8',
  ],
  'base-carbone': [
    'line_type:Utf8',
    'factor_id:Utf8',
    'structure:Utf8',
    'status:Utf8',
    'name_fr:Utf8',
    'attribute_fr:Utf8',
    'border_fr:Utf8',
    'unit_fr:Utf8',
    'category_code:Utf8',
    'contributor:Utf8',
    'source:Utf8',
    'location:Utf8',
    'validity:Utf8',
    'validity_year:Int32',
    'total_kgco2e:Float64',
    'co2f:Float64',
    'ch4f:Float64',
    'ch4b:Float64',
    'n2o:Float64',
    'co2b:Float64',
    'post_type:Utf8',
    'post_name_fr:Utf8',
  ],
  gbfs: [
    'station_id:Utf8',
    'is_installed:Bool',
    'is_renting:Bool',
    'is_returning:Bool',
    'last_reported:Utf8',
    'vehicles_available:Int32',
    'vehicles_disabled:Int32',
    'docks_available:Int32',
    'docks_disabled:Int32',
    'feed_version:Utf8',
    'feed_last_updated:Utf8',
  ],
  'larochelle-communes': ['insee_code:Utf8', 'name:Utf8', 'list_order:Int32'],
};

// Connectors whose columns come from the provider or the project file: no fixed schema.
const providerSchemas = [
  'http-json',
  'file-drop',
  'opendatasoft',
  'opendatasoft-v1',
  'ademe-data-fair',
];

describe('the connector registry', () => {
  it('holds every connector terreze ships, with its parameter schema', () => {
    // A connector added with `terreze connector new` joins them without editing this list.
    const shipped = [...Object.keys(expectedSchemas), ...providerSchemas];
    expect(shipped.filter((id) => !connectors.has(id))).toEqual([]);
    for (const id of providerSchemas) expect(connectors.get(id)!.schema.fields).toEqual([]);
    for (const [id, connector] of connectors) expect(paramSchemas.get(id)).toBe(connector.params);
  });

  it.each(Object.entries(expectedSchemas))(
    'declares the schema of %s, every field nullable',
    (id, fields) => {
      const connector = connectors.get(id)!;
      expect(connector.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(connector.schema.fields.map((field) => `${field.name}:${String(field.type)}`)).toEqual(
        fields,
      );
      expect(connector.schema.fields.every((field) => field.nullable)).toBe(true);
    },
  );

  it('refuses a URL that is not http(s) and has no default URL', () => {
    const sinoe = paramSchemas.get('sinoe-waste')!;
    expect(sinoe.safeParse({}).success).toBe(false);
    expect(sinoe.safeParse({ url: 'ftp://127.0.0.1/a.csv' }).success).toBe(false);
    expect(sinoe.safeParse({ url: 'http://127.0.0.1:9/a.csv' }).success).toBe(true);
  });
});
