-- Totals by GPC sector (I stationary energy, II transportation, III waste).
select
  sector,
  sector_name,
  sum(tco2e) as tco2e,
  count(*) filter (where tco2e is not null) as estimated_subsectors,
  count(*) as subsectors,
  string_agg(gpc_ref, ', ' order by gpc_ref) filter (where notation_key is not null)
    as subsectors_with_notation_key,
  sum(confidential_rows) as confidential_rows,
  bool_or(downscaled) as downscaled,
  bool_or(stand_in) as stand_in
from inventory_gpc
group by sector, sector_name
order by sector
