-- Vehicle-km of the scheduled transit network over the data year, by route. Route types follow
-- the GTFS reference: 0 tram, 1 metro, 2 rail, 3 bus, 4 ferry.
with by_route as (
  select
    r.source_id,
    r.period,
    r.run_id,
    year(r.service_date) as data_year,
    r.route_id,
    r.route_type,
    sum(r.vehicle_km) as vehicle_km,
    sum(r.trips) as trips,
    count(distinct r.service_date) as service_days
  from raw_gtfs_vehicle_km as r
  where year(r.service_date) = cast(r.period as integer)
  group by all
)
select
  b.source_id,
  b.period,
  b.run_id,
  b.data_year,
  'epci' as geography_level,
  t.epci as geography_code,
  case when b.route_type in (0, 1, 2) then 'II.2.1' when b.route_type = 4 then 'II.3.1'
    else 'II.1.1' end as gpc_ref,
  case when b.route_type = 3 then 'road-transport' else 'other-transport' end as pcaet_sector,
  1 as scope,
  case b.route_type
    when 3 then 'transit-bus-diesel' when 4 then 'transit-ferry' else 'transit-rail-electric'
  end as activity_key,
  b.vehicle_km as quantity,
  'vehicle-km' as unit,
  cast(null as varchar) as notation_key,
  'estimated' as quality,
  cast(null as integer) as delivery_points,
  'route ' || b.route_id || ': ' || b.trips || ' trips over ' || b.service_days || ' service days'
    as note
from by_route as b
cross join territory as t
