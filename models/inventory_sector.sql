-- Totals by GPC sector (I stationary energy, II transportation, III waste). A sector none of
-- whose sub-sectors is estimated carries a notation key instead of a figure; one with a
-- sub-sector fed by a source this edition lacks is not `complete`.
select
  g.sector,
  g.sector_name,
  sum(g.tco2e) as tco2e,
  case
    when count(g.tco2e) > 0 then null
    when bool_or(g.notation_key = 'C') then 'C'
    when bool_and(g.notation_key = 'NO') then 'NO'
    when bool_and(g.notation_key in ('NO', 'IE')) then 'IE'
    else 'NE'
  end as notation_key,
  count(*) filter (where g.tco2e is not null) as estimated_subsectors,
  count(*) as subsectors,
  string_agg(g.gpc_ref, ', ' order by g.gpc_ref) filter (where g.notation_key is not null)
    as subsectors_with_notation_key,
  sum(g.confidential_rows) as confidential_rows,
  bool_or(g.downscaled) as downscaled,
  bool_or(g.stand_in) as stand_in,
  sum(g.illustrative_tco2e) as illustrative_tco2e,
  bool_and(g.complete) as complete,
  (select string_agg(distinct m.source_id, ', ' order by m.source_id)
    from missing_source_subsectors as m where m.sector = g.sector) as missing_sources,
  string_agg(g.gpc_ref, ', ' order by g.gpc_ref) filter (where not g.complete)
    as incomplete_subsectors
from inventory_gpc as g
group by g.sector, g.sector_name
order by g.sector
