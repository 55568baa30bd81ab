-- Emissions avoided by recovery (material recovery, energy recovered by incineration), row by
-- row, reported apart from the inventory and never netted from it. Without a declared factor
-- (inventory.avoidedFactors) the tonnage is kept and the avoided emissions are not estimated.
select
  a.reporting_year,
  a.source_id,
  a.period,
  a.data_year,
  a.geography_level,
  a.geography_code,
  a.activity_key,
  a.waste_stream,
  a.waste_treatment,
  a.recovery,
  a.quantity,
  a.unit,
  a.quality,
  fa.factor_ref,
  fa.factor_name,
  fa.value_kgco2e as factor_kgco2e_per_unit,
  fa.factor_unit,
  fa.factor_source,
  fa.factor_version,
  fa.conversion_path,
  case when a.quantity is not null then a.quantity * fa.kgco2e_per_activity_unit / 1000 end
    as avoided_tco2e,
  case when a.quantity is null or fa.kgco2e_per_activity_unit is null then 'NE' end
    as notation_key,
  case
    when a.quantity is null then 'no quantity'
    when fa.factor_ref is null
      then 'no avoided-emission factor declared for ' || a.recovery || ' (inventory.avoidedFactors)'
    when fa.kgco2e_per_activity_unit is null then fa.problem
  end as notation_reason,
  a.detail_key,
  a.note
from activity as a
left join factor_application as fa
  on fa.selection_key = 'avoided:' || a.recovery and fa.activity_key = a.activity_key
  and fa.carrier is not distinct from a.energy_carrier and fa.unit = a.unit
where a.recovery is not null
order by a.recovery, a.activity_key, a.detail_key
