-- How each activity meets its factor: for every activity, carrier and unit met in the
-- inventory, the levers and the recovery rows, the selected factor and the declared unit
-- conversion that brings the activity's unit to the factor's (the most specific one: the
-- activity's own, then its carrier's, then a generic one; then the fewest steps).
with selection as (
  select activity_key as selection_key, factor_ref from factor_selection
  union all
  select 'avoided:' || recovery, factor_ref from avoided_factor_selection
),
needed as (
  select distinct activity_key as selection_key, activity_key, energy_carrier as carrier, unit
  from activity
  union
  select distinct activity_key, activity_key, carrier, unit from lever_activities
  union
  select distinct 'avoided:' || recovery, activity_key, energy_carrier, unit
  from activity where recovery is not null
),
matched as (
  select
    n.*,
    s.factor_ref,
    f.factor_ref is not null as factor_exists,
    f.factor_name,
    f.value_kgco2e,
    f.unit as factor_unit,
    f.activity_unit as factor_activity_unit,
    f.validity_year as factor_year,
    f.factor_source,
    f.factor_version,
    f.status as factor_status,
    f.mass_basis as factor_basis,
    c.multiplier as conversion_multiplier,
    c.path as conversion_path,
    c.source as conversion_source
  from needed as n
  left join selection as s on s.selection_key = n.selection_key
  left join factors as f on f.factor_ref = s.factor_ref
  left join unit_conversions as c
    on c.from_unit = n.unit and c.to_unit = f.activity_unit
    and (c.carrier is null or c.carrier = n.carrier)
    and (c.activity_key is null or c.activity_key = n.activity_key)
  qualify row_number() over (
    partition by n.selection_key, n.activity_key, n.carrier, n.unit
    order by (c.activity_key is not null)::int * 2 + (c.carrier is not null)::int desc, c.steps
  ) = 1
)
select
  m.*,
  m.value_kgco2e * m.conversion_multiplier as kgco2e_per_activity_unit,
  case
    when m.factor_ref is null then 'no factor selected for ' || m.selection_key
    when not m.factor_exists then 'factor ' || m.factor_ref || ' is not in the registry'
    when m.factor_activity_unit is null
      then 'unit ' || m.factor_unit || ' of ' || m.factor_ref || ' is not a known unit'
    when m.conversion_multiplier is null
      then 'no declared conversion from ' || m.unit || ' to ' || m.factor_activity_unit
  end as problem
from matched as m
