-- One normalised activity table: every source's rows in the same columns and units.
with unioned as (
  select * from stg_electricity_epci
  union all by name select * from stg_heat_network_iris
  union all by name select * from stg_transit_gtfs
  union all by name select * from stg_waste_sinoe
)
select
  cycle.reporting_year,
  u.*,
  s.stand_in_for is not null as stand_in
from unioned as u
cross join cycle
join sources as s on s.source_id = u.source_id
