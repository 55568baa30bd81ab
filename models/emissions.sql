-- Emissions = activity × factor, row by row. A row without a quantity keeps its notation key
-- (C, NE, IE); a row whose activity has no factor chosen is not estimated (NE), never zero.
select
  a.*,
  s.factor_ref,
  f.factor_name,
  f.value_kgco2e as factor_kgco2e_per_unit,
  f.unit as factor_unit,
  f.activity_unit as factor_activity_unit,
  f.validity_year as factor_year,
  f.factor_source,
  case
    when a.notation_key is not null or f.factor_ref is null then null
    else a.quantity * f.value_kgco2e / 1000
  end as tco2e,
  case
    when a.notation_key is not null then a.notation_key
    when f.factor_ref is null then 'NE'
  end as emission_notation_key
from activity as a
left join factor_selection as s on s.activity_key = a.activity_key
left join factors as f on f.factor_ref = s.factor_ref
