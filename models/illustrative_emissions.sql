-- What the rows of stand-in sources would emit: data from another place that stands in for
-- the territory's own (declared `standIn` in the project file). Illustrative only: none of it
-- is in a total; its sub-sectors carry NE, "stand-in data only (illustrative)".
select
  e.source_id,
  s.stand_in_for,
  s.stand_in_reason,
  e.gpc_ref,
  e.activity_key,
  e.data_year,
  sum(e.quantity) as quantity,
  e.unit,
  sum(e.illustrative_tco2e) as illustrative_tco2e,
  count(*) as rows,
  string_agg(distinct e.factor_ref, ', ' order by e.factor_ref) as factor_refs
from emissions as e
join sources as s on s.source_id = e.source_id
where e.stand_in
group by all
order by e.source_id, e.gpc_ref, e.activity_key
