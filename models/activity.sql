-- One normalised activity table: every source's rows in the same columns, each with its unit
-- as published. When two sources report the same activity in the same GPC sub-sector, the
-- rows of the territory's own source (before a stand-in), then of the latest data year, then
-- of the finest geography, are kept and the other's estimated rows become included elsewhere
-- (IE), so nothing is counted twice. A stand-in source's rows are marked `stand_in`: they are
-- illustrative and never enter a total (emissions.sql).
with unioned as (
  select * from stg_electricity_epci
  union all by name select * from stg_ore_commune_consumption
  union all by name select * from stg_heat_network_iris
  union all by name select * from stg_transit_gtfs
  union all by name select * from stg_waste_sinoe
),
ranked as (
  select
    u.*,
    s.stand_in_for is not null as stand_in,
    arg_max(
      u.source_id,
      (case when s.stand_in_for is null then 100000 else 0 end) + u.data_year * 10
        + case u.geography_level when 'commune' then 2 else 1 end
    ) filter (where u.notation_key is null and u.quantity is not null)
      over (partition by u.activity_key, u.gpc_ref) as kept_source_id
  from unioned as u
  join sources as s on s.source_id = u.source_id
)
select
  cycle.reporting_year,
  r.* exclude (notation_key, notation_reason, kept_source_id, stand_in),
  case
    when r.notation_key is null and r.source_id <> r.kept_source_id then 'IE'
    else r.notation_key
  end as notation_key,
  case
    when r.notation_key is null and r.source_id <> r.kept_source_id
      then 'included elsewhere: the same activity is reported by ' || r.kept_source_id
    else r.notation_reason
  end as notation_reason,
  p.pcaet_label,
  r.stand_in
from ranked as r
cross join cycle
left join pcaet_sectors as p on p.pcaet_sector = r.pcaet_sector
