-- Emissions = activity × conversion to the factor's unit × factor, row by row. A row without a
-- quantity keeps its notation key (C, NE, IE); a row whose activity has no factor chosen is
-- not estimated (NE), never zero. A stand-in source's row is not the territory's: its figure
-- goes to `illustrative_tco2e`, never to `tco2e`, and the row is NE. A memo item (material
-- recovery) is no emission source: no figure, no notation key, its reason. Each row says
-- which factor version, conversion and mass basis it used.
with computed as (
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
    fa.factor_basis,
    fa.conversion_multiplier,
    fa.conversion_path,
    a.quantity * fa.conversion_multiplier as factor_quantity,
    case
      when a.outside_inventory is null and a.notation_key is null
        then a.quantity * fa.kgco2e_per_activity_unit / 1000
    end as computed_tco2e,
    fa.problem
  from activity as a
  left join factor_application as fa
    on fa.selection_key = a.activity_key and fa.activity_key = a.activity_key
    and fa.carrier is not distinct from a.energy_carrier and fa.unit = a.unit
)
select
  c.* exclude (computed_tco2e, problem),
  case when not c.stand_in then c.computed_tco2e end as tco2e,
  case when c.stand_in then c.computed_tco2e end as illustrative_tco2e,
  case
    when c.outside_inventory is not null then null
    when c.notation_key is not null then c.notation_key
    when c.quantity is null then 'NE'
    when c.computed_tco2e is null then 'NE'
    when c.stand_in then 'NE'
  end as emission_notation_key,
  case
    when c.outside_inventory is not null then c.outside_inventory
    when c.notation_key is not null then c.notation_reason
    when c.quantity is null then 'no quantity'
    when c.computed_tco2e is null then c.problem
    when c.stand_in then 'stand-in data only (illustrative)'
  end as emission_notation_reason
from computed as c
