-- Vehicle-km of the scheduled transit network over the data year, by route and mode, split by
-- the energy of the fleet the project declares for that mode. Route types follow the GTFS
-- reference (0 tram, 1 metro, 2 rail, 3 bus, 4 ferry, …) and its extended types (700 bus, …).
-- A mode without a declared fleet keeps its vehicle-km under an activity with no factor (NE).
-- TODO(inventory): no road-traffic source yet: on-road (II.1) covers scheduled transit only.
with by_route as (
  select
    r.source_id,
    r.period,
    r.run_id,
    year(r.service_date) as data_year,
    r.route_id,
    case
      when r.route_type in (0, 900) then 'tram'
      when r.route_type in (12, 405) then 'monorail'
      when r.route_type = 1 or r.route_type between 400 and 499 then 'metro'
      when r.route_type = 2 or r.route_type between 100 and 199 then 'rail'
      when r.route_type = 3 or r.route_type between 700 and 799 then 'bus'
      when r.route_type = 4 or r.route_type between 1000 and 1299 then 'ferry'
      when r.route_type in (5, 6, 7) or r.route_type between 1300 and 1499 then 'cable'
      when r.route_type in (11, 800) then 'trolleybus'
      when r.route_type between 200 and 299 then 'coach'
    end as transport_mode,
    sum(r.vehicle_km) as vehicle_km,
    sum(r.trips) as trips,
    count(distinct r.service_date) as service_days
  from raw_gtfs_vehicle_km as r
  where year(r.service_date) = cast(r.period as integer)
  group by all
),
split as (
  select b.*, f.carrier as energy_carrier, coalesce(f.share, 1) as fleet_share, f.source as fleet_source
  from by_route as b
  left join transit_fleet as f on f.mode = b.transport_mode
)
select
  s.source_id,
  s.period,
  s.run_id,
  s.data_year,
  'epci' as geography_level,
  t.epci as geography_code,
  case
    when s.transport_mode in ('tram', 'metro', 'rail', 'monorail', 'cable') then 'II.2'
    when s.transport_mode = 'ferry' then 'II.3'
    else 'II.1'
  end || case when s.energy_carrier = 'electricity' then '.2' else '.1' end as gpc_ref,
  case when s.transport_mode in ('bus', 'coach', 'trolleybus') then 'road-transport'
    else 'other-transport' end as pcaet_sector,
  case when s.energy_carrier = 'electricity' then 2 else 1 end as scope,
  'transit-' || coalesce(s.transport_mode, 'unknown-mode')
    || coalesce('-' || s.energy_carrier, '') as activity_key,
  s.energy_carrier,
  s.transport_mode,
  s.vehicle_km * s.fleet_share as quantity,
  'vehicle-km' as unit,
  cast(null as varchar) as notation_key,
  cast(null as varchar) as notation_reason,
  'estimated' as quality,
  cast(null as integer) as delivery_points,
  s.route_id || '|' || coalesce(s.energy_carrier, '') as detail_key,
  'route ' || s.route_id || ': ' || s.trips || ' trips over ' || s.service_days || ' service days'
    || coalesce(', ' || round(s.fleet_share * 100, 2) || ' % of the ' || s.transport_mode
      || ' fleet on ' || s.energy_carrier || ' (' || s.fleet_source || ')', '') as note
from split as s
cross join territory as t
