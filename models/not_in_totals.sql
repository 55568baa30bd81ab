-- What is not in the totals, so that a report can list it: every activity row without a
-- figure of its own, by source, sub-sector, activity, notation key and reason, with its
-- quantity. Memo items (material recovery, no GPC reference), stand-in rows (illustrative),
-- confidential cells, activities without a factor, rows included elsewhere.
select
  e.source_id,
  e.gpc_ref,
  e.activity_key,
  case
    when e.outside_inventory is not null then 'memo item'
    when e.stand_in then 'stand-in'
    when e.emission_notation_key = 'C' then 'confidential'
    when e.emission_notation_key = 'IE' then 'included elsewhere'
    when e.emission_notation_key = 'NO' then 'not occurring'
    else 'not estimated'
  end as category,
  e.emission_notation_key as notation_key,
  e.emission_notation_reason as reason,
  count(*) as rows,
  count(*) filter (where e.quantity is null) as rows_without_quantity,
  sum(e.quantity) as quantity,
  e.unit,
  e.mass_basis,
  sum(e.delivery_points) as delivery_points,
  count(*) filter (where e.delivery_points is null) as rows_without_points,
  sum(e.illustrative_tco2e) as illustrative_tco2e,
  string_agg(distinct cast(e.data_year as varchar), ', ' order by cast(e.data_year as varchar))
    as data_years
from emissions as e
where e.tco2e is null
group by all
order by e.source_id, e.gpc_ref nulls last, e.activity_key, category, e.unit
