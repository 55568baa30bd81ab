-- Emissions = activity × conversion to the factor's unit × factor, row by row. A row without a
-- quantity keeps its notation key (C, NE, IE); a row whose activity has no factor chosen is
-- not estimated (NE), never zero. Each row says which factor version and conversion it used.
select
  a.*,
  fa.factor_ref,
  fa.factor_name,
  fa.value_kgco2e as factor_kgco2e_per_unit,
  fa.factor_unit,
  fa.factor_activity_unit,
  fa.factor_year,
  fa.factor_source,
  fa.factor_version,
  fa.conversion_multiplier,
  fa.conversion_path,
  a.quantity * fa.conversion_multiplier as factor_quantity,
  case
    when a.notation_key is not null or fa.kgco2e_per_activity_unit is null then null
    else a.quantity * fa.kgco2e_per_activity_unit / 1000
  end as tco2e,
  case
    when a.notation_key is not null then a.notation_key
    when a.quantity is null then 'NE'
    when fa.kgco2e_per_activity_unit is null then 'NE'
  end as emission_notation_key,
  case
    when a.notation_key is not null then a.notation_reason
    when a.quantity is null then 'no quantity'
    when fa.kgco2e_per_activity_unit is null then fa.problem
  end as emission_notation_reason
from activity as a
left join factor_application as fa
  on fa.selection_key = a.activity_key and fa.activity_key = a.activity_key
  and fa.carrier is not distinct from a.energy_carrier and fa.unit = a.unit
