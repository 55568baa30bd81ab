-- Totals by PCAET sector, the French plans' own breakdown, beside the GPC one. A sector none
-- of whose GPC sub-sectors is estimated carries a notation key instead of a figure; one with a
-- sub-sector fed by a source this edition lacks is not `complete`.
select
  g.pcaet_sector,
  p.pcaet_label,
  p.pcaet_order,
  sum(g.tco2e) as tco2e,
  case
    when count(g.tco2e) > 0 then null
    when bool_or(g.notation_key = 'C') then 'C'
    when bool_and(g.notation_key = 'NO') then 'NO'
    when bool_and(g.notation_key in ('NO', 'IE')) then 'IE'
    else 'NE'
  end as notation_key,
  string_agg(g.gpc_ref, ', ' order by g.gpc_ref) as gpc_refs,
  string_agg(g.gpc_ref, ', ' order by g.gpc_ref) filter (where g.tco2e is not null)
    as estimated_gpc_refs,
  sum(g.confidential_rows) as confidential_rows,
  sum(g.illustrative_tco2e) as illustrative_tco2e,
  bool_and(g.complete) as complete,
  (select string_agg(distinct m.source_id, ', ' order by m.source_id)
    from missing_source_subsectors as m
    join gpc_reference as r on r.gpc_ref = m.gpc_ref
    where r.pcaet_sector = g.pcaet_sector) as missing_sources
from inventory_gpc as g
join pcaet_sectors as p on p.pcaet_sector = g.pcaet_sector
group by g.pcaet_sector, p.pcaet_label, p.pcaet_order
order by p.pcaet_order
